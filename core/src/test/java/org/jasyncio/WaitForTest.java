package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio.wait_for: test_waitfor.py behaviours, with 3.12+ semantics. */
class WaitForTest {

    @Test
    void returnsTheResultInTime() {
        assertEquals("ok", Asyncio.run(() -> Asyncio.waitFor(Asyncio.createTask(() -> {
            Asyncio.sleep(0.01);
            return "ok";
        }), Duration.ofSeconds(5))));
    }

    @Test
    void timeoutCancelsTheTaskAndThrows() {
        Asyncio.run(() -> {
            Task<String> slow = Asyncio.createTask(() -> {
                Asyncio.sleep(10);
                return "late";
            });
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(slow, 0.01));
            assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(slow.cancelled());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void waitsUntilTheInnerTaskHasFinishedCancelling() {
        // asyncio 3.12+: wait_for returns only after the cancelled awaitable is really done.
        Asyncio.run(() -> {
            Steps steps = new Steps();
            Task<String> slow = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    steps.expect(1);
                    Asyncio.sleep(0.02); // slow cleanup
                    steps.expect(2);
                }
                return "late";
            });
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(slow, Duration.ofMillis(10)));
            steps.finish(3);
            assertTrue(slow.cancelled());
        });
    }

    @Test
    void innerThatSuppressesCancellationReturnsItsValue() {
        // asyncio 3.12+: the value wins over the timeout.
        assertEquals("kept", Asyncio.run(() -> Asyncio.waitFor(Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                Asyncio.currentTask().uncancel();
                return "kept";
            }
            return "late";
        }), 0.01)));
    }

    @Test
    void nullTimeoutWaitsForever() {
        assertEquals(7, Asyncio.run(() -> Asyncio.waitFor(Asyncio.createTask(() -> {
            Asyncio.sleep(0.02);
            return 7;
        }), (Duration) null)));
    }

    @Test
    void zeroTimeoutReturnsADoneResult() {
        assertEquals(3, Asyncio.run(() -> {
            Future<Integer> f = new Future<>();
            f.setResult(3);
            return Asyncio.waitFor(f, Duration.ZERO);
        }));
    }

    @Test
    void zeroTimeoutCancelsAPendingTaskAtOnce() {
        Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(() -> {
                Asyncio.sleep(10);
                return 1;
            });
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(t, 0));
            assertTrue(t.cancelled());
        });
    }

    @Test
    void zeroTimeoutStillReturnsTheValueOfAnInnerThatSuppresses() {
        assertEquals(5, Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    return 5;
                }
                return 1;
            });
            Asyncio.sleep(0); // let it start: a task cancelled before its first step never runs
            return Asyncio.waitFor(t, -1.0);
        }));
    }

    @Test
    void zeroTimeoutOnAnUnstartedTaskNeverRunsIt() {
        Asyncio.run(() -> {
            boolean[] ran = {false};
            Task<Integer> t = Asyncio.createTask(() -> {
                ran[0] = true;
                return 1;
            });
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(t, Duration.ZERO));
            assertFalse(ran[0]);
        });
    }

    @Test
    void plainFutureTimesOutAndIsCancelled() {
        Asyncio.run(() -> {
            Future<Integer> f = new Future<>();
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(f, 0.01));
            assertTrue(f.cancelled());
        });
    }

    @Test
    void innerExceptionPropagatesUnchanged() {
        Asyncio.run(() -> {
            IOException boom = new IOException("boom");
            Task<Void> t = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                throw boom;
            });
            try {
                Asyncio.waitFor(t, 1);
            } catch (Exception e) {
                assertSame(boom, e);
                return;
            }
            throw new AssertionError("no exception");
        });
    }

    @Test
    void cancellingTheWaiterCancelsTheInnerTask() {
        Asyncio.run(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                Asyncio.sleep(10);
                return 1;
            });
            Task<Integer> waiter = Asyncio.createTask(() -> Asyncio.waitFor(inner, 5));
            Asyncio.sleep(0.01);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(inner.cancelled());
        });
    }

    @Test
    void outerCancelDuringTheTimeoutStaysACancellation() {
        // The timeout fires and the waiter is cancelled from outside in the same iteration:
        // asyncio propagates CancelledError, not TimeoutError.
        Asyncio.run(() -> {
            Future<Integer> never = new Future<>();
            Task<Integer> waiter = Asyncio.createTask(() -> Asyncio.waitFor(never, 0.02));
            Asyncio.getRunningLoop().callLater(0.02, waiter::cancel);
            Asyncio.sleep(0.05);
            assertTrue(waiter.cancelled());
        });
    }

    @Test
    void nanIsRejected() {
        Asyncio.run(() -> {
            Future<Integer> f = new Future<>();
            assertThrows(IllegalArgumentException.class, () -> Asyncio.waitFor(f, Double.NaN));
            f.cancel();
        });
    }

    @Test
    void outsideATaskIsAnError() {
        EventLoop loop = new EventLoop();
        try {
            Future<Integer> f = new Future<>(loop);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.waitFor(f, 1));
            assertTrue(e.getMessage().contains("waitFor"));
        } finally {
            loop.close();
        }
    }

    @Test
    void resultNullIsFine() {
        assertNull(Asyncio.run(() -> Asyncio.waitFor(Asyncio.createTask(() -> null), 1)));
    }
    // ------------------------------------------------ a coroutine, wrapped in a task

    @Test
    void aCoroutineRunsAsItsOwnTaskAndItsResultIsReturned() {
        // asyncio.wait_for(coro, timeout): "If aw is a coroutine it is automatically scheduled
        // as a Task."
        Asyncio.run(() -> {
            Task<?> waiter = Asyncio.currentTask();
            Task<?>[] ranIn = new Task<?>[1];
            String r = Asyncio.waitFor(() -> {
                ranIn[0] = Asyncio.currentTask();
                Asyncio.sleep(0.01);
                return "ok";
            }, Duration.ofSeconds(5));
            assertEquals("ok", r);
            assertTrue(ranIn[0] != null && ranIn[0] != waiter, "the coroutine ran in a task of its own");
            assertTrue(ranIn[0].done());
            assertNull(Asyncio.waitFor(() -> null, 1));
        });
    }

    @Test
    void aCoroutineTooSlowIsCancelledAndHasFinishedCancellingBeforeTheTimeout() {
        // test_waitfor.py's test_wait_for_timeout / 3.12 semantics, for a coroutine.
        Asyncio.run(() -> {
            Steps steps = new Steps();
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(() -> {
                try {
                    Asyncio.sleep(10);
                    return "late";
                } catch (CancelledError c) {
                    steps.expect(1);
                    throw c;
                }
            }, 0.01));
            steps.finish(2);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void zeroTimeoutNeverStartsTheCoroutine() {
        // CPython's wait_for comment (and test_waitfor.py's
        // test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started): with timeout <= 0
        // the task made for the coroutine is cancelled before it starts.
        Asyncio.run(() -> {
            boolean[] started = {false};
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(() -> {
                started[0] = true;
                return 1;
            }, 0));
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(() -> {
                started[0] = true;
                return 1;
            }, Duration.ofSeconds(-1)));
            assertFalse(started[0]);
        });
    }

    @Test
    void cancellingTheWaiterCancelsTheCoroutinesTask() {
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Task<Integer> waiter = Asyncio.createTask(() -> Asyncio.waitFor(() -> {
                try {
                    Asyncio.sleep(10);
                    return 1;
                } catch (CancelledError c) {
                    log.add("coroutine cancelled: " + c.getMessage());
                    throw c;
                }
            }, 5));
            Asyncio.sleep(0.01);
            waiter.cancel("stop");
            assertThrows(CancelledError.class, waiter::await);
        });
        assertEquals(List.of("coroutine cancelled: stop"), log);
    }

    @Test
    void aCoroutineIsCheckedBeforeItBecomesATask() {
        Asyncio.run(() -> {
            assertThrows(NullPointerException.class, () -> Asyncio.waitFor((Coroutine<Integer>) null, 1));
            int before = Asyncio.allTasks().size();
            assertThrows(IllegalArgumentException.class, () -> Asyncio.waitFor(() -> 1, Double.NaN));
            assertEquals(before, Asyncio.allTasks().size(), "no task made for a refused call");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.waitFor(() -> 1, 1));
        assertTrue(e.getMessage().contains("waitFor"), e.getMessage());
    }
}
