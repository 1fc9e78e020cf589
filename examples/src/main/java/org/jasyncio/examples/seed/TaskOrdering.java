package org.jasyncio.examples.seed;

import java.io.PrintStream;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;

/**
 * Seed section 6, "Task ordering": tasks start in creation order (T1, T3, T2) on the next
 * loop iteration after {@code main} suspends; T1 then sleeps, so T3 and T2 run to completion
 * before it ends.
 */
public final class TaskOrdering {

    private TaskOrdering() {
    }

    /** Runs the program, printing to {@code out}. */
    public static void run(PrintStream out) {
        long start = System.nanoTime();
        Asyncio.run(() -> {
            out.println("main start");
            Task<Void> t1 = Asyncio.createTask(() -> {
                out.println("T1 start");
                Asyncio.sleep(Pace.seconds(2));
                out.println("T1 end");
            });
            Task<Void> t3 = Asyncio.createTask(() -> {
                out.println("T3 start");
                out.println("T3 end");
            });
            Task<Void> t2 = Asyncio.createTask(() -> {
                out.println("T2 start");
                out.println("T2 end");
            });
            out.println("main middle");
            t1.await();
            t2.await();
            t3.await();
            out.println("main end");
        });
        out.println("wall time: " + Pace.elapsedSince(start) + " (T1's sleep)");
    }

    /**
     * Runs the program on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }
}
