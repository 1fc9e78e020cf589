package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The module-level functions: asyncio.run, sleep, get_running_loop, and misuse outside tasks. */
class AsyncioTest {

    private final Steps steps = new Steps();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    // ------------------------------------------------------------------ run

    @Test
    void runReturnsTheResult() {
        assertEquals("result", Asyncio.run(() -> {
            Asyncio.sleep(0);
            return "result";
        }));
    }

    @Test
    void runOfAnAsyncRunnable() {
        Asyncio.run(() -> {
            Asyncio.sleep(0);
            log.add("ran");
        });
        assertEquals(List.of("ran"), log);
    }

    @Test
    void runRethrowsACheckedExceptionUnchanged() {
        IOException boom = new IOException("boom");
        Throwable thrown = assertThrows(IOException.class, () -> Asyncio.run(() -> {
            Asyncio.sleep(0);
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @Test
    void runRethrowsAnErrorUnchanged() {
        StackOverflowError boom = new StackOverflowError("not really");
        assertSame(boom, assertThrows(StackOverflowError.class, () -> Asyncio.run(() -> {
            throw boom;
        })));
    }

    @Test
    void runCancelsLeftoverTasksOnExitAndTheirFinallyBlocksRun() {
        Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    log.add("slept");
                } catch (CancelledError e) {
                    log.add("leftover cancelled");
                    throw e;
                } finally {
                    log.add("leftover finally");
                }
            });
            Asyncio.sleep(0);
            // Created last: its first step was scheduled before main's completion callback,
            // so it starts before run() stops the loop (as in asyncio), then is cancelled.
            Asyncio.createTask(() -> {
                log.add("late task started");
                try {
                    Asyncio.sleep(10);
                } finally {
                    log.add("late task finally");
                }
            });
            return null;
        });
        assertEquals(List.of("late task started", "leftover cancelled", "leftover finally", "late task finally"),
                log);
    }

    @Test
    void runCancelsLeftoverTasksEvenWhenMainFails() {
        assertThrows(IllegalArgumentException.class, () -> Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    log.add("leftover finally");
                }
            });
            Asyncio.sleep(0);
            throw new IllegalArgumentException("main failed");
        }));
        assertEquals(List.of("leftover finally"), log);
    }

    @Test
    void runLetsALeftoverTaskCleanUpAcrossAnAwait() {
        Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    Asyncio.sleep(0.01); // cleanup that suspends: the loop still runs
                    log.add("cleaned up");
                }
            });
            Asyncio.sleep(0);
        });
        assertEquals(List.of("cleaned up"), log);
    }

    @Test
    void aLeftoverTaskFailingDuringShutdownIsReportedToTheHandler() {
        List<ExceptionContext> reported = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("cleanup failed");
        Task<?>[] leftover = new Task<?>[1];
        assertEquals("main result", Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            leftover[0] = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    throw boom;
                }
            });
            Asyncio.sleep(0);
            return "main result";
        }));
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
        assertSame(leftover[0], reported.get(0).task());
    }

    @Test
    void runInsideARunningLoopIsRejected() {
        Asyncio.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> 1));
            assertTrue(e.getMessage().contains("running event loop"), e.getMessage());
        });
    }

    @Test
    void runInsideAPlainCallbackIsRejected() {
        Asyncio.run(() -> {
            Future<Throwable> seen = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> {
                try {
                    Asyncio.run(() -> 1);
                    seen.setResult(null);
                } catch (Throwable e) {
                    seen.setResult(e);
                }
            });
            assertTrue(seen.await() instanceof IllegalStateException, String.valueOf(seen.result()));
        });
    }

    @Test
    void eachRunUsesAFreshLoopAndClosesIt() {
        EventLoop first = Asyncio.run(Asyncio::getRunningLoop);
        EventLoop second = Asyncio.run(Asyncio::getRunningLoop);
        assertNotSame(first, second);
        assertTrue(first.isClosed());
        assertTrue(second.isClosed());
    }

    @Test
    void runLeavesNoLoopBehind() {
        Asyncio.run(() -> 1);
        assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
    }

    @Test
    void interruptingTheThreadOfRunCancelsTheMainTask() throws Exception {
        // asyncio.run's Ctrl-C behaviour: the main task is cancelled and run() raises.
        Throwable[] outcome = new Throwable[1];
        java.util.concurrent.CountDownLatch sleeping = new java.util.concurrent.CountDownLatch(1);
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                Asyncio.run(() -> {
                    try {
                        // Signalled from a callback, i.e. once main has suspended: on the
                        // continuation strand an interrupt landing while a task's step runs
                        // belongs to that task (they share the thread), as documented.
                        Asyncio.getRunningLoop().callSoon(sleeping::countDown);
                        Asyncio.sleep(10);
                    } finally {
                        log.add("main finally");
                    }
                });
            } catch (Throwable e) {
                outcome[0] = e;
            }
        });
        sleeping.await();
        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(runner.isAlive(), "run() did not return after the interrupt");
        assertTrue(outcome[0] instanceof CancelledError, String.valueOf(outcome[0]));
        assertEquals(List.of("main finally"), log);
    }

    // ------------------------------------------------------------------ sleep

    @Test
    void sleepZeroYieldsExactlyOnce() {
        // Callbacks ready before the yield run first; what they schedule runs after the
        // task resumes: sleep(0) gives the loop exactly one iteration.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callSoon(() -> {
                steps.expect(2);
                loop.callSoon(() -> steps.expect(4));
            });
            steps.expect(1);
            Asyncio.sleep(0);
            steps.expect(3);
            Asyncio.sleep(0);
            steps.expect(5);
        });
        steps.assertFinished(5);
    }

    @Test
    void negativeSleepYieldsLikeSleepZero() {
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().callSoon(() -> steps.expect(2));
            steps.expect(1);
            Asyncio.sleep(-1);
            steps.expect(3);
            Asyncio.sleep(Duration.ofSeconds(-1));
            steps.expect(4);
        });
        steps.assertFinished(4);
    }

    @Test
    void sleepWaitsAtLeastTheDelay() {
        long elapsed = Asyncio.run(() -> {
            long start = System.nanoTime();
            Asyncio.sleep(0.03);
            return System.nanoTime() - start;
        });
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(30), elapsed + " ns");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), elapsed + " ns");
    }

    @Test
    void sleepWithADuration() {
        long elapsed = Asyncio.run(() -> {
            long start = System.nanoTime();
            Asyncio.sleep(Duration.ofMillis(30));
            return System.nanoTime() - start;
        });
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(30), elapsed + " ns");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), elapsed + " ns");
    }

    @Test
    void sleepWithAResultReturnsItAfterTheDelay() {
        // CPython test_tasks' test_sleep: res = await asyncio.sleep(dt, 'yeah') gives 'yeah'.
        long[] elapsed = new long[1];
        String result = Asyncio.run(() -> {
            long start = System.nanoTime();
            String r = Asyncio.sleep(0.03, "yeah");
            elapsed[0] = System.nanoTime() - start;
            return r;
        });
        assertEquals("yeah", result);
        assertTrue(elapsed[0] >= TimeUnit.MILLISECONDS.toNanos(30), elapsed[0] + " ns");
        assertEquals(42, Asyncio.run(() -> Asyncio.sleep(Duration.ofMillis(10), 42)));
        assertEquals(null, Asyncio.run(() -> Asyncio.sleep(0.001, (String) null)));
    }

    @Test
    void sleepZeroWithAResultYieldsOnceAndReturnsIt() {
        // asyncio.sleep(0, result): one bare yield (__sleep0), then the result.
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().callSoon(() -> steps.expect(2));
            steps.expect(1);
            assertEquals("r", Asyncio.sleep(0, "r"));
            steps.expect(3);
            assertEquals("d", Asyncio.sleep(Duration.ZERO, "d"));
            steps.expect(4);
        });
        steps.assertFinished(4);
    }

    @Test
    void aCancelledSleepWithAResultThrowsInsteadOfReturningIt() {
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> Asyncio.sleep(10, "never"));
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertThrows(IllegalArgumentException.class, () -> Asyncio.sleep(Double.NaN, "x"));
        });
        assertThrows(IllegalStateException.class, () -> Asyncio.sleep(0.01, "outside"));
    }

    @Test
    void sleepsEndInDeadlineOrder() {
        // 50 ms apart: the three first steps run in one iteration, but a loaded 2-core machine can
        // stall that iteration for tens of milliseconds.
        Asyncio.run(() -> {
            Task<Void> a = Asyncio.createTask(() -> {
                Asyncio.sleep(0.15);
                log.add("150ms");
            });
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0.05);
                log.add("50ms");
            });
            Task<Void> c = Asyncio.createTask(() -> {
                Asyncio.sleep(Duration.ofMillis(100));
                log.add("100ms");
            });
            Asyncio.gather(a, b, c).await();
        });
        assertEquals(List.of("50ms", "100ms", "150ms"), log);
    }

    @Test
    void hugeSleepsDoNotOverflow() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY));
            Task<Void> u = Asyncio.createTask(() -> Asyncio.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
            Asyncio.sleep(0.01);
            assertFalse(t.done());
            assertFalse(u.done());
            t.cancel();
            u.cancel();
        });
    }

    @Test
    void sleepOfNaNIsRejected() {
        Asyncio.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.sleep(Double.NaN));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
            Asyncio.sleep(0); // the task and the loop carry on
        });
    }

    // ------------------------------------------------------------------ outside a task: errors, never hangs

    @Test
    void sleepOutsideATaskIsRejected() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.sleep(0.01));
            assertTrue(e.getMessage().contains("outside a running event loop"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> Asyncio.sleep(0));
            assertTrue(e.getMessage().contains("outside a running event loop"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Asyncio.sleep(Duration.ofMillis(10)));
        });
    }

    @Test
    void awaitOutsideATaskIsRejected() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (EventLoop loop = new EventLoop()) {
                Future<String> f = loop.createFuture();
                IllegalStateException e = assertThrows(IllegalStateException.class, f::await);
                assertTrue(e.getMessage().contains("await()"), e.getMessage());
                assertTrue(e.getMessage().contains("outside a running event loop"), e.getMessage());
            }
        });
    }

    @Test
    void awaitOfADoneFutureOutsideATaskReturnsItsResult() {
        // Nothing to wait for, so nothing suspends (asyncio: a done future's __await__ returns).
        try (EventLoop loop = new EventLoop()) {
            Future<String> f = loop.createFuture();
            f.setResult("ready");
            assertEquals("ready", f.await());
        }
    }

    @Test
    void suspendingFromAPlainCallbackIsRejected() {
        List<Throwable> seen = new ArrayList<>();
        try (EventLoop loop = new EventLoop()) {
            Future<String> f = loop.createFuture();
            loop.callSoon(() -> {
                seen.add(assertThrows(IllegalStateException.class, () -> Asyncio.sleep(0)));
                seen.add(assertThrows(IllegalStateException.class, () -> Asyncio.sleep(0.01)));
                seen.add(assertThrows(IllegalStateException.class, f::await));
            });
            loop.stop();
            assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
        }
        assertEquals(3, seen.size());
        for (Throwable e : seen) {
            assertTrue(e.getMessage().contains("outside a task"), e.getMessage());
        }
    }

    @Test
    void suspendingFromADoneCallbackInsideAsyncioRunIsRejected() {
        Asyncio.run(() -> {
            Future<String> trigger = new Future<>();
            Future<Throwable> seen = new Future<>();
            trigger.addDoneCallback(f -> {
                try {
                    Asyncio.sleep(0);
                    seen.setResult(null);
                } catch (Throwable e) {
                    seen.setResult(e);
                }
            });
            trigger.setResult("go");
            Throwable e = seen.await();
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertTrue(e.getMessage().contains("outside a task"), e.getMessage());
        });
    }

    // ------------------------------------------------------------------ getRunningLoop

    @Test
    void getRunningLoopInsideAndOutside() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertTrue(loop.isRunning());
            Future<EventLoop> inCallback = new Future<>();
            loop.callSoon(() -> inCallback.setResult(Asyncio.getRunningLoop()));
            assertSame(loop, inCallback.await());
            assertSame(loop, Asyncio.createTask(Asyncio::getRunningLoop).await());
        });
    }

    @Test
    void anInterruptDuringShutdownIsKeptForTheCaller() throws Exception {
        // Once main has finished, an interrupt cannot cancel it: run() completes its clean-up
        // and returns with the thread still interrupted.
        boolean[] interruptedAfter = new boolean[1];
        Object[] result = new Object[1];
        java.util.concurrent.CountDownLatch cleaning = new java.util.concurrent.CountDownLatch(1);
        Thread runner = Thread.ofPlatform().start(() -> {
            result[0] = Asyncio.run(() -> {
                Asyncio.createTask(() -> {
                    try {
                        Asyncio.sleep(30);
                    } finally {
                        // Signalled once this task has suspended, so the interrupt reaches the loop.
                        Asyncio.getRunningLoop().callSoon(cleaning::countDown);
                        Asyncio.sleep(0.2);
                    }
                });
                Asyncio.sleep(0);
                return "main result";
            });
            interruptedAfter[0] = Thread.interrupted();
        });
        cleaning.await();
        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(runner.isAlive());
        assertEquals("main result", result[0]);
        assertTrue(interruptedAfter[0], "the interrupt is kept for run()'s caller");
    }
}
