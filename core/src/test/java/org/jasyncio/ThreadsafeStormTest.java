package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 16 threads call {@code callSoonThreadsafe} and {@code runCoroutineThreadsafe} at once while
 * the loop runs: every callback and coroutine runs exactly once. Scaled by
 * {@code -Djasyncio.stress.scale} (default 1).
 */
class ThreadsafeStormTest {

    private static final int THREADS = 16;
    private static final int SCALE = Integer.getInteger("jasyncio.stress.scale", 1);

    @Test
    void nothingIsLostOrRunTwice() throws Exception {
        int callbacksPerThread = 2_000 * SCALE;
        int coroutinesPerThread = 200 * SCALE;
        int[] callbackRuns = new int[THREADS * callbacksPerThread]; // touched only on the loop
        int[] coroutineRuns = new int[THREADS * coroutinesPerThread];
        EventLoop loop = new EventLoop();
        Thread loopThread = Thread.ofPlatform().name("storm-loop").start(loop::runForever);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        List<CompletableFuture<Integer>> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            int base = t;
            senders.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < callbacksPerThread; i++) {
                    int id = base * callbacksPerThread + i;
                    loop.callSoonThreadsafe(() -> callbackRuns[id]++);
                    if (i % 10 == 0) {
                        int cid = base * coroutinesPerThread + i / 10;
                        results.add(loop.runCoroutineThreadsafe(() -> {
                            Asyncio.sleep(0); // really suspend once
                            coroutineRuns[cid]++;
                            return cid;
                        }));
                    }
                }
            }));
        }
        go.countDown();
        for (Thread s : senders) {
            s.join(30_000);
        }
        long sum = 0;
        for (CompletableFuture<Integer> r : results) {
            sum += r.get(30, TimeUnit.SECONDS);
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> drained.complete(null)); // FIFO: after every earlier callback
        drained.get(30, TimeUnit.SECONDS);
        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(5000);
        assertTrue(!loopThread.isAlive());
        loop.close();
        long n = (long) THREADS * coroutinesPerThread;
        assertEquals(n * (n - 1) / 2, sum);
        for (int i = 0; i < callbackRuns.length; i++) {
            assertEquals(1, callbackRuns[i], "callback " + i);
        }
        for (int i = 0; i < coroutineRuns.length; i++) {
            assertEquals(1, coroutineRuns[i], "coroutine " + i);
        }
    }
}
