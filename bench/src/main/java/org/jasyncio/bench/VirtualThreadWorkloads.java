package org.jasyncio.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same workloads on Java virtual threads, the baseline measured in the same run. Each
 * returns elapsed seconds and checks its result.
 */
final class VirtualThreadWorkloads {

    private VirtualThreadWorkloads() {
    }

    static double spawn(int n) throws Exception {
        long start = System.nanoTime();
        long sum = 0;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(ex.submit(() -> k));
            }
            for (Future<Integer> f : fs) {
                sum += f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal((long) n * (n - 1) / 2, sum, "spawn sum");
        return seconds;
    }

    /** Two virtual threads hand a counter back and forth through a fresh CompletableFuture each time. */
    static double pingpong(int n) throws Exception {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] toPong = new CompletableFuture[] {new CompletableFuture<Integer>()};
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] toPing = new CompletableFuture[] {new CompletableFuture<Integer>()};
        long start = System.nanoTime();
        Thread pong = Thread.ofVirtual().start(() -> {
            int v = 0;
            while (v < 2 * n - 1) {
                v = toPong[0].join();
                toPong[0] = new CompletableFuture<>();
                toPing[0].complete(v + 1);
            }
        });
        int[] last = new int[1];
        Thread ping = Thread.ofVirtual().start(() -> {
            int v = 0;
            while (v < 2 * n) {
                CompletableFuture<Integer> in = toPing[0];
                toPong[0].complete(v + 1);
                v = in.join();
                toPing[0] = new CompletableFuture<>();
            }
            last[0] = v;
        });
        ping.join();
        pong.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal(2L * n, last[0], "pingpong counter");
        return seconds;
    }

    /** Two virtual threads pass a counter back and forth through two {@code ArrayBlockingQueue(1)}. */
    static double pingpongQueues(int n) throws Exception {
        ArrayBlockingQueue<Integer> toPong = new ArrayBlockingQueue<>(1);
        ArrayBlockingQueue<Integer> toPing = new ArrayBlockingQueue<>(1);
        int[] last = new int[1];
        long start = System.nanoTime();
        Thread pong = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    toPing.put(toPong.take() + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread ping = Thread.ofVirtual().start(() -> {
            try {
                int v = 0;
                for (int i = 0; i < n; i++) {
                    toPong.put(v + 1);
                    v = toPing.take();
                }
                last[0] = v;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ping.join();
        pong.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal(2L * n, last[0], "pingpong counter");
        return seconds;
    }

    static double sleepers(int n) throws Exception {
        AtomicLong woke = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long delay = Delays.millis(i);
                ex.submit(() -> {
                    Thread.sleep(delay);
                    woke.incrementAndGet();
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal(n, woke.get(), "sleepers woken");
        return seconds;
    }

    /** Timers as virtual threads that sleep and then run the callback. */
    static double timers(int n, boolean zeroDelay) throws Exception {
        AtomicLong fired = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long delay = zeroDelay ? 0 : Delays.millis(i);
                ex.submit(() -> {
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    fired.incrementAndGet();
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal(n, fired.get(), "timers fired");
        return seconds;
    }
}
