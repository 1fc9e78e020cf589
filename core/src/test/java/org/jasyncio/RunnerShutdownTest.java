package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Asyncio#run}'s clean-up (asyncio's {@code runners._cancel_all_tasks}) and the
 * coroutines other threads submit with {@code runCoroutineThreadsafe} while it runs: every
 * future handed out completes.
 */
class RunnerShutdownTest {

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aCoroutineSubmittedByATaskBeingCancelledAtShutdownIsCancelledToo() {
        // asyncio cancels the tasks pending when main finished; a coroutine submitted by one
        // of them while it is cancelled becomes a task after that snapshot, is never
        // cancelled, and is destroyed pending with its concurrent future pending forever.
        // Here it is cancelled in turn: its finally block runs and its future completes.
        AtomicReference<CompletableFuture<String>> late = new AtomicReference<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError e) {
                    late.set(loop.runCoroutineThreadsafe(() -> {
                        try {
                            Asyncio.sleep(3600);
                            return "slept";
                        } finally {
                            log.add("late coroutine finally");
                        }
                    }));
                    throw e;
                }
            });
            Asyncio.sleep(0);
        });
        CompletableFuture<String> f = late.get();
        assertTrue(f.isDone(), "the future of a coroutine submitted during shutdown must complete");
        assertThrows(CancellationException.class, f::join);
        assertEquals(List.of("late coroutine finally"), log);
    }

    @Test
    void aCoroutineACancelledTaskWaitsForRunsToItsEnd() {
        // As in asyncio: while a task being cancelled at shutdown waits for it (here through
        // another thread), a submitted coroutine runs as usual; shutdown does not refuse it.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError e) {
                    log.add(Asyncio.toThread(() -> loop.runCoroutineThreadsafe(() -> {
                        Asyncio.sleep(0.01);
                        return "cleaned up";
                    }).get(10, TimeUnit.SECONDS)).await());
                    throw e;
                }
            });
            Asyncio.sleep(0);
        });
        assertEquals(List.of("cleaned up"), log);
    }

    @Test
    void aCoroutineReachingTheLoopOnceTheLateTasksAreBeingCancelledIsRefused() {
        // Once the tasks of the snapshot are done, run() stops starting submitted coroutines
        // (so that its clean-up ends) and cancels the late ones; a coroutine submitted by a
        // late task as it is cancelled is refused with an IllegalStateException.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError e) {
                    loop.runCoroutineThreadsafe(() -> {
                        try {
                            Asyncio.sleep(3600);
                        } catch (CancelledError late) {
                            CompletableFuture<Integer> third = loop.runCoroutineThreadsafe(() -> 3);
                            try {
                                log.add("third gave " + Asyncio.await(third));
                            } catch (IllegalStateException refused) {
                                log.add(refused.getMessage());
                            }
                            throw late;
                        }
                        return null;
                    });
                    throw e;
                }
            });
            Asyncio.sleep(0);
        });
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("shutting down"), log.get(0));
    }
    @Test
    void aTaskSpawnedDuringShutdownRunsWhileItLastsAndIsThenDestroyedPending() {
        // As in asyncio's _cancel_all_tasks: a task made with createTask by a task being
        // cancelled at shutdown is not in the snapshot, is never cancelled, gets a step in
        // each of the loop iterations the rest of the shutdown takes, and is destroyed pending
        // (reported) at close. How many iterations that is differs (asyncio also wraps
        // shutdown_default_executor in a task): not a contract, see docs/asyncio-mapping.md.
        int[] steps = new int[1];
        boolean[] cancelled = new boolean[1];
        List<String> reports = Collections.synchronizedList(new ArrayList<>());
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, context) -> reports.add(context.message()));
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError e) {
                    Asyncio.currentTask().uncancel();
                    Asyncio.createTask(() -> {
                        try {
                            while (true) {
                                steps[0]++;
                                Asyncio.sleep(0);
                            }
                        } catch (CancelledError never) {
                            cancelled[0] = true;
                            throw never;
                        }
                    });
                }
            });
            Asyncio.sleep(0);
        });
        assertTrue(steps[0] >= 1, "the spawned task ran while the shutdown lasted");
        assertFalse(cancelled[0], "it was not cancelled");
        assertEquals(List.of("Task was destroyed but it is pending!"), reports);
    }
}
