package org.jasyncio.examples.seed;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seed section 1, "Threads example": ten platform threads, each computing its sum and then
 * blocking in a sleep of {@code n} seconds. The wall time is the longest job (~9 s), not the
 * sum of all of them (~45 s).
 *
 * <pre>{@code
 * result = [0 for _ in range(10)]
 * def job(n):
 *     result[n] = sum(i * i for i in range(n * 1000))
 *     time.sleep(n)
 * for i in range(10): threading.Thread(target=job, args=(i,)).start() ... join()
 * }</pre>
 */
public final class ThreadsJob {

    private ThreadsJob() {
    }

    /** Runs the program, printing to {@code out}. */
    public static void run(PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        long[] result = new long[10];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                result[n] = Job.sumOfSquares(n); // CPU-bound simulation
                try {
                    Thread.sleep((long) (Pace.seconds(n) * 1000)); // I/O-bound simulation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        out.println(Arrays.toString(result));
        out.println("wall time: " + Pace.elapsedSince(start) + " (the longest job, not the sum of all ten)");
        out.println("unlike CPython, Java threads have no GIL: the CPU parts really run in parallel");
    }

    /**
     * Runs the program on standard output.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }
}
