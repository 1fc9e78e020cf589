package org.jasyncio.bench;

import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.sync.Queue;

/** The workloads of PERFORMANCE.md on jasyncio. Each returns elapsed seconds and checks its result. */
final class JasyncioWorkloads {

    private JasyncioWorkloads() {
    }

    /** Creates n tasks that return their index, gathers them, checks the sum. */
    static double spawn(int n) {
        long start = System.nanoTime();
        long sum = Asyncio.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(Asyncio.createTask(() -> k));
            }
            long s = 0;
            for (Integer v : Asyncio.gather(tasks).await()) {
                s += v;
            }
            return s;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal((long) n * (n - 1) / 2, sum, "spawn sum");
        return seconds;
    }

    /** Two tasks hand a counter back and forth n times, through a fresh future per hand-off. */
    static double pingpong(int n) {
        long start = System.nanoTime();
        int last = Asyncio.run(() -> {
            Future<Integer>[] toPong = slot();
            Future<Integer>[] toPing = slot();
            EventLoop loop = Asyncio.getRunningLoop();
            toPong[0] = loop.createFuture();
            toPing[0] = loop.createFuture();
            Task<Integer> pong = Asyncio.createTask(() -> {
                int v = 0;
                while (v < 2 * n - 1) {
                    Future<Integer> in = toPong[0];
                    v = in.await();
                    toPong[0] = loop.createFuture();
                    Future<Integer> out = toPing[0];
                    out.setResult(v + 1);
                }
                return v;
            });
            int v = 0;
            while (v < 2 * n) {
                Future<Integer> out = toPong[0];
                out.setResult(v + 1);
                Future<Integer> in = toPing[0];
                v = in.await();
                toPing[0] = loop.createFuture();
            }
            pong.await();
            return v;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal(2L * n, last, "pingpong counter");
        return seconds;
    }

    /**
     * PERFORMANCE.md's pingpong: two tasks pass a counter back and forth through two
     * {@code Queue(maxsize=1)}, n round trips (2n switches).
     */
    static double pingpongQueues(int n) {
        long start = System.nanoTime();
        int last = Asyncio.run(() -> {
            Queue<Integer> toPong = new Queue<>(1);
            Queue<Integer> toPing = new Queue<>(1);
            Task<Void> pong = Asyncio.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    toPing.put(toPong.get() + 1);
                }
            });
            int v = 0;
            for (int i = 0; i < n; i++) {
                toPong.put(v + 1);
                v = toPing.get();
            }
            pong.await();
            return v;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal(2L * n, last, "pingpong counter");
        return seconds;
    }

    @SuppressWarnings("unchecked")
    private static Future<Integer>[] slot() {
        return (Future<Integer>[]) new Future<?>[1];
    }

    /** n tasks each sleep their formula delay. */
    static double sleepers(int n) {
        long start = System.nanoTime();
        long woke = Asyncio.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>(n);
            long[] count = new long[1];
            for (int i = 0; i < n; i++) {
                double delay = Delays.millis(i) / 1000.0;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(delay);
                    count[0]++;
                }));
            }
            Asyncio.gather(tasks).await();
            return count[0];
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.equal(n, woke, "sleepers woken");
        return seconds;
    }

    /**
     * n {@code callLater} callbacks at the formula delays (or all at delay 0); the time from the
     * first callLater to the last callback.
     */
    static double timers(int n, boolean zeroDelay) {
        EventLoop loop = new EventLoop();
        try {
            long[] fired = new long[1];
            long[] end = new long[1];
            Runnable cb = () -> {
                if (++fired[0] == n) {
                    end[0] = System.nanoTime();
                    loop.stop();
                }
            };
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                loop.callLater(zeroDelay ? 0 : Delays.millis(i) / 1000.0, cb);
            }
            loop.runForever();
            Check.equal(n, fired[0], "timers fired");
            return (end[0] - start) / 1e9;
        } finally {
            loop.close();
        }
    }
}
