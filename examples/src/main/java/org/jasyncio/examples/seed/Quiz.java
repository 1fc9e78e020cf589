package org.jasyncio.examples.seed;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;

/**
 * Seed section 7, "Quiz: sequential vs concurrent awaits". Awaiting {@code sayAfter} calls
 * one after the other takes 1 + 2 = ~3 s; wrapping them in tasks first lets the sleeps
 * overlap, ~2 s.
 */
public final class Quiz {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Quiz() {
    }

    static void sayAfter(PrintStream out, double delay, String what) {
        Asyncio.sleep(Pace.seconds(delay));
        out.println(what);
    }

    private static String now() {
        return LocalTime.now().format(CLOCK); // Python's time.strftime('%X')
    }

    /** The sequential program: {@code await say_after(1, 'hello'); await say_after(2, 'world')}. */
    public static void sequential(PrintStream out) {
        long start = System.nanoTime();
        Asyncio.run(() -> {
            out.println("started at " + now());
            sayAfter(out, 1, "hello");
            sayAfter(out, 2, "world");
            out.println("finished at " + now());
        });
        out.println("took " + Pace.elapsedSince(start) + " (sequential: 1 s + 2 s)");
    }

    /** The concurrent program: both calls wrapped in tasks first, then awaited. */
    public static void concurrent(PrintStream out) {
        long start = System.nanoTime();
        Asyncio.run(() -> {
            Task<Void> task1 = Asyncio.createTask(() -> sayAfter(out, 1, "hello"));
            Task<Void> task2 = Asyncio.createTask(() -> sayAfter(out, 2, "world"));
            out.println("started at " + now());
            task1.await();
            task2.await();
            out.println("finished at " + now());
        });
        out.println("took " + Pace.elapsedSince(start) + " (concurrent: the sleeps overlap)");
    }

    /**
     * Runs both programs on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        sequential(System.out);
        concurrent(System.out);
    }
}
