package org.jasyncio.examples.seed;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Runner;
import org.jasyncio.Task;

/**
 * Seed section 7, "Quiz: sequential vs concurrent awaits". Awaiting {@code sayAfter} calls
 * one after the other takes 1 + 2 = ~3 s; wrapping them in tasks first lets the sleeps
 * overlap, ~2 s. {@link #underVirtualTime} runs both again on a loop with a virtual clock
 * (what a test would use): the same 3 s against 2 s, read from the loop's clock, in no real time.
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
     * Both programs again, each on a {@link Runner} with virtual time: the loop's clock reads
     * exactly 3.0 and 2.0 seconds at the end, and no real second passes. Delays are the seed's
     * own (the time scale does not apply: virtual seconds cost nothing).
     *
     * @param out where the programs print
     */
    public static void underVirtualTime(PrintStream out) {
        long start = System.nanoTime();
        double sequential = onVirtualClock(out, () -> {
            sayAfterSeedSeconds(out, 1, "hello");
            sayAfterSeedSeconds(out, 2, "world");
        });
        double concurrent = onVirtualClock(out, () -> {
            Task<Void> task1 = Asyncio.createTask(() -> sayAfterSeedSeconds(out, 1, "hello"));
            Task<Void> task2 = Asyncio.createTask(() -> sayAfterSeedSeconds(out, 2, "world"));
            task1.await();
            task2.await();
        });
        double realSeconds = (System.nanoTime() - start) / 1e9;
        out.println(String.format(Locale.ROOT, "loop time: sequential %.1f s, concurrent %.1f s", sequential, concurrent));
        out.println(realSeconds < 1 ? "real time: under a second for both" : String.format(Locale.ROOT,
                "real time: %.1f s for both", realSeconds));
    }

    private static void sayAfterSeedSeconds(PrintStream out, double delay, String what) {
        Asyncio.sleep(delay);
        out.println(what);
    }

    /** Runs {@code program} as the main task of a virtual-time runner; returns the loop time at its end. */
    private static double onVirtualClock(PrintStream out, org.jasyncio.AsyncRunnable program) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            EventLoop loop = runner.getLoop();
            runner.run(program);
            return loop.time();
        }
    }

    /**
     * Runs both programs on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        sequential(System.out);
        concurrent(System.out);
        underVirtualTime(System.out);
    }
}
