package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 8 threads call {@code runCoroutineThreadsafe} while {@link Asyncio#run} shuts down: while it
 * cancels its leftover task, while it cancels the coroutines that started after that, while it
 * shuts the executor down, and after the loop is closed. Every future handed out must
 * complete (with its result, a cancellation, or an {@code IllegalStateException} saying the
 * loop is shutting down or closed), and no task may be destroyed pending. Scaled by
 * {@code -Djasyncio.stress.scale} (default 1: 16,000 submissions, a second or two).
 */
class ShutdownSubmitStressTest {

    private static final int THREADS = 8;
    private static final int SCALE = Integer.getInteger("jasyncio.stress.scale", 1);

    @Test
    void everyFutureHandedOutDuringShutdownCompletes() throws Exception {
        int perThread = 2_000 * SCALE;
        List<CompletableFuture<Integer>> handedOut = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger submitted = new AtomicInteger();
        AtomicInteger refusedAtOnce = new AtomicInteger();
        List<String> reports = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch shutdownStarted = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.setExceptionHandler((l, context) -> reports.add(context.message()));
            for (int t = 0; t < THREADS; t++) {
                senders.add(Thread.ofPlatform().name("shutdown-submitter-" + t).start(() -> {
                    try {
                        shutdownStarted.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        try {
                            // Two in three coroutines would sleep past the shutdown: only a
                            // cancellation (or a refusal) can complete their futures.
                            handedOut.add(loop.runCoroutineThreadsafe(() -> {
                                Asyncio.sleep(n % 3 == 0 ? 0 : 3600);
                                return n;
                            }));
                        } catch (IllegalStateException closed) {
                            refusedAtOnce.incrementAndGet();
                        }
                        submitted.incrementAndGet();
                    }
                }));
            }
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError e) {
                    // Cancelled by run()'s shutdown: let the threads go, and keep the first
                    // round of the clean-up running until a quarter of them went through
                    // (bounded, should the machine be very slow).
                    shutdownStarted.countDown();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (submitted.get() < THREADS * perThread / 4 && System.nanoTime() < deadline) {
                        Asyncio.sleep(0);
                    }
                    throw e;
                }
            });
            Asyncio.sleep(0);
        });
        for (Thread t : senders) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), "a submitter is stuck");
        }
        // The loop is closed and every submitter has returned: nothing can complete later.
        int neverCompleted = 0;
        int results = 0;
        int cancelled = 0;
        int refused = 0;
        for (CompletableFuture<Integer> f : handedOut) {
            if (!f.isDone()) {
                neverCompleted++;
                continue;
            }
            try {
                f.join();
                results++;
            } catch (CancellationException e) {
                cancelled++;
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
                refused++;
            }
        }
        String counts = "handed out " + handedOut.size() + ": " + results + " results, " + cancelled + " cancelled, "
                + refused + " refused later, " + neverCompleted + " never completed; " + refusedAtOnce.get()
                + " refused at once";
        assertEquals(0, neverCompleted, counts);
        assertEquals(THREADS * perThread, handedOut.size() + refusedAtOnce.get(), counts);
        assertFalse(reports.contains("Task was destroyed but it is pending!"), counts + "; reports: " + reports.size());
    }
}
