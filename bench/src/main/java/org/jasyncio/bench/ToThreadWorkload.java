package org.jasyncio.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jasyncio.Asyncio;

/**
 * The {@code tothread} workload: {@code n} sequential round trips from the caller to a
 * blocking-work thread and back. jasyncio: a task awaits {@code Asyncio.toThread(job)} (a new
 * virtual thread per job, the result handed back through {@code callSoonThreadsafe}); the
 * baseline: a platform thread joins {@code CompletableFuture.supplyAsync(job, executor)} on a
 * virtual-thread-per-task executor. Both pay one virtual-thread start and one cross-thread
 * wake-up per trip; jasyncio adds the loop's inbox, selector wake-up and the task switch.
 */
public final class ToThreadWorkload {

    private ToThreadWorkload() {
    }

    /**
     * Runs {@code n} {@code toThread} round trips inside {@code Asyncio.run}.
     *
     * @param n the number of round trips
     * @return elapsed seconds
     */
    static double jasyncio(int n) {
        long start = System.nanoTime();
        long sum = Asyncio.run(() -> {
            long s = 0;
            for (int i = 0; i < n; i++) {
                int v = i;
                s += Asyncio.toThread(() -> v).await();
            }
            return s;
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        check(n, sum);
        return elapsed;
    }

    /**
     * Runs {@code n} {@code CompletableFuture.supplyAsync(...).join()} round trips on virtual
     * threads.
     *
     * @param n the number of round trips
     * @return elapsed seconds
     */
    static double completableFuture(int n) {
        long start = System.nanoTime();
        long sum = 0;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int v = i;
                sum += CompletableFuture.supplyAsync(() -> v, ex).join();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        check(n, sum);
        return elapsed;
    }

    private static void check(int n, long sum) {
        long expected = (long) n * (n - 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("tothread lost round trips: sum " + sum + ", expected " + expected);
        }
    }

    /**
     * Measures both once (after a warm-up) and prints one line each.
     *
     * @param args optional: the number of round trips (default 100000)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        jasyncio(Math.max(1, n / 10));
        completableFuture(Math.max(1, n / 10));
        double j = jasyncio(n);
        double c = completableFuture(n);
        System.out.printf("tothread n=%d jasyncio(%s) %.3f s (%.2f us/trip)   supplyAsync+join on vthreads %.3f s (%.2f us/trip)%n",
                n, System.getProperty("jasyncio.strand", "continuation"), j, j / n * 1e6, c, c / n * 1e6);
    }
}
