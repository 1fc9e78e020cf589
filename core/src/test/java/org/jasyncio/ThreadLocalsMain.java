package org.jasyncio;

import java.util.ArrayList;
import java.util.List;
import org.jasyncio.internal.strand.Strands;

/**
 * The child JVM's program for {@link ThreadLocalsWithoutOpensTest}: two tasks set the same
 * ThreadLocal and read it back after the other ran, a third task reads it when it starts, and
 * a task made by a task reads an InheritableThreadLocal; then whether ThreadLocals are per task,
 * and the strand.
 */
public final class ThreadLocalsMain {

    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    private static final InheritableThreadLocal<String> INHERITED = new InheritableThreadLocal<>();

    private ThreadLocalsMain() {
    }

    /**
     * Runs the program and prints what each task saw on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        List<String> seen = Asyncio.run(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> {
                LOCAL.set("a");
                Asyncio.sleep(0);
                log.add("a sees " + LOCAL.get());
            });
            Task<Void> b = Asyncio.createTask(() -> {
                LOCAL.set("b");
                Asyncio.sleep(0);
                log.add("b sees " + LOCAL.get());
            });
            Asyncio.gather(a, b).await();
            log.add("a new task sees " + Asyncio.createTask(LOCAL::get).await());
            INHERITED.set("parent");
            log.add("a child sees " + Asyncio.createTask(INHERITED::get).await());
            return log;
        });
        seen.forEach(System.out::println);
        System.out.println("per-task: " + Strands.perTaskThreadLocals());
        System.out.println("strand: " + Asyncio.strandName());
    }
}
