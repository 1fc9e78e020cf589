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
import org.junit.jupiter.api.Test;

/** asyncio.timeout / timeout_at / Timeout: test_timeouts.py behaviours. */
class TimeoutTest {

    @Test
    void bodyInTimeReturnsItsValue() {
        assertEquals("v", Asyncio.run(() -> Asyncio.timeout(Duration.ofSeconds(5), () -> {
            Asyncio.sleep(0.01);
            return "v";
        })));
    }

    @Test
    void lateBodyIsCancelledAndBecomesATimeout() {
        Asyncio.run(() -> {
            Steps steps = new Steps();
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class,
                    () -> Asyncio.timeout(Duration.ofMillis(10), () -> {
                        try {
                            Asyncio.sleep(10);
                        } catch (CancelledError c) {
                            steps.expect(1); // the body sees the cancellation first
                            throw c;
                        }
                    }));
            steps.finish(2);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0, Asyncio.currentTask().cancelling()); // uncancel()ed
        });
    }

    @Test
    void expiredAndWhenReportTheState() {
        Asyncio.run(() -> {
            Timeout t = Timeout.after(0.01);
            assertFalse(t.expired());
            double when = t.when();
            assertTrue(when > Asyncio.getRunningLoop().time() - 1);
            assertThrows(AsyncTimeoutException.class, () -> t.run(() -> Asyncio.sleep(10)));
            assertTrue(t.expired());
        });
    }

    @Test
    void nullDelayMeansNoDeadline() {
        Asyncio.run(() -> {
            Timeout t = Timeout.after((Duration) null);
            assertNull(t.when());
            t.run(() -> Asyncio.sleep(0.02));
            assertFalse(t.expired());
        });
    }

    @Test
    void timeoutAtInThePastFiresOnTheNextIteration() {
        Asyncio.run(() -> {
            double past = Asyncio.getRunningLoop().time() - 1;
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.timeoutAt(past, () -> {
                Asyncio.sleep(10);
                return 1;
            }));
        });
    }

    @Test
    void rescheduleExtendsTheDeadline() {
        Asyncio.run(() -> {
            Timeout t = Timeout.after(0.01);
            String v = t.run(() -> {
                t.reschedule(Asyncio.getRunningLoop().time() + 5);
                Asyncio.sleep(0.03);
                return "made it";
            });
            assertEquals("made it", v);
            assertFalse(t.expired());
        });
    }

    @Test
    void rescheduleToNullRemovesTheDeadline() {
        Asyncio.run(() -> {
            Timeout t = Timeout.after(0.01);
            t.run(() -> {
                t.reschedule(null);
                Asyncio.sleep(0.03);
            });
            assertNull(t.when());
        });
    }

    @Test
    void rescheduleEarlierFiresSooner() {
        Asyncio.run(() -> {
            Timeout t = Timeout.after(10.0);
            double t0 = Asyncio.getRunningLoop().time();
            assertThrows(AsyncTimeoutException.class, () -> t.run(() -> {
                t.reschedule(Asyncio.getRunningLoop().time() + 0.01);
                Asyncio.sleep(10);
            }));
            assertTrue(Asyncio.getRunningLoop().time() - t0 < 5);
        });
    }

    @Test
    void rescheduleOutsideTheBodyIsAnError() {
        Asyncio.run(() -> {
            Timeout t = Timeout.after(1.0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.reschedule(1.0));
            assertTrue(e.getMessage().contains("not been entered"));
            t.run(() -> { });
            e = assertThrows(IllegalStateException.class, () -> t.reschedule(1.0));
            assertTrue(e.getMessage().contains("exited"));
        });
    }

    @Test
    void aTimeoutIsSingleUse() {
        Asyncio.run(() -> {
            Timeout t = Timeout.after(1.0);
            t.run(() -> { });
            assertThrows(IllegalStateException.class, () -> t.run(() -> { }));
        });
    }

    @Test
    void innerTimeoutFiresFirst() {
        Asyncio.run(() -> {
            Timeout outer = Timeout.after(5.0);
            outer.run(() -> {
                assertThrows(AsyncTimeoutException.class,
                        () -> Asyncio.timeout(Duration.ofMillis(10), () -> Asyncio.sleep(10)));
            });
            assertFalse(outer.expired());
        });
    }

    @Test
    void outerTimeoutFiresFirstAndTheInnerPropagatesTheCancellation() {
        // test_nested_timeouts: the outer deadline is not the inner one's to convert.
        Asyncio.run(() -> {
            Timeout outer = Timeout.after(0.01);
            Timeout inner = Timeout.after(5.0);
            Steps steps = new Steps();
            assertThrows(AsyncTimeoutException.class, () -> outer.run(() -> {
                try {
                    inner.run(() -> Asyncio.sleep(10));
                } catch (CancelledError e) {
                    steps.expect(1);
                    throw e;
                }
            }));
            steps.finish(2);
            assertTrue(outer.expired());
            assertFalse(inner.expired());
        });
    }

    @Test
    void bothNestedTimeoutsExpireInTheSameIteration() {
        // test_nested_timeouts_concurrent: the inner cannot tell, the outer converts.
        Asyncio.run(() -> {
            double past = Asyncio.getRunningLoop().time() - 1;
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.timeoutAt(past, () ->
                    Asyncio.timeoutAt(past, () -> {
                        Asyncio.sleep(10);
                        return null;
                    })));
        });
    }

    @Test
    void outerCancelArrivingAfterTheTimeoutFiredStaysACancellation() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                Timeout tm = Timeout.after(10.0);
                tm.run(() -> {
                    Task<?> self = Asyncio.currentTask();
                    tm.reschedule(Asyncio.getRunningLoop().time() - 1); // fires on the next iteration
                    Asyncio.getRunningLoop().callSoon(self::cancel);     // right after it
                    Asyncio.sleep(10);
                });
            });
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
    }

    @Test
    void outerCancelArrivingBeforeTheTimeoutFiresStaysACancellation() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                Timeout tm = Timeout.after(10.0);
                tm.run(() -> {
                    Task<?> self = Asyncio.currentTask();
                    Asyncio.getRunningLoop().callSoon(self::cancel);
                    tm.reschedule(Asyncio.getRunningLoop().time() - 1);
                    Asyncio.sleep(10);
                });
            });
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
    }

    @Test
    void bodyThatSwallowsTheCancellationReturnsNormally() {
        // asyncio: no exception leaves the block, so no TimeoutError; expired() is still true.
        Asyncio.run(() -> {
            Timeout t = Timeout.after(0.01);
            String v = t.run(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "slept";
            });
            assertEquals("swallowed", v);
            assertTrue(t.expired());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void otherExceptionAfterExpiryPropagatesWithTheTimeoutAttached() {
        Asyncio.run(() -> {
            IOException boom = new IOException("cleanup failed");
            try {
                Asyncio.timeout(Duration.ofMillis(10), () -> {
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        throw boom;
                    }
                });
                throw new AssertionError("no exception");
            } catch (Exception e) {
                assertSame(boom, e);
                assertInstanceOf(AsyncTimeoutException.class, e.getSuppressed()[0]);
            }
        });
    }

    @Test
    void aTaskGroupFailingAfterExpiryGetsTheTimeoutAttachedToEachException() {
        Asyncio.run(() -> {
            IOException child = new IOException("child cleanup failed");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> Asyncio.timeout(0.01, () ->
                    TaskGroup.run(tg -> tg.createTask(() -> {
                        try {
                            Asyncio.sleep(10);
                        } finally {
                            throw child;
                        }
                    }))));
            assertEquals(java.util.List.of(child), e.exceptions());
            assertTrue(java.util.Arrays.stream(child.getSuppressed()).anyMatch(AsyncTimeoutException.class::isInstance));
        });
    }

    @Test
    void voidBodiesWithSecondsAndDeadlines() {
        Asyncio.run(() -> {
            Asyncio.timeout(1.0, () -> Asyncio.sleep(0));
            Asyncio.timeoutAt(Asyncio.getRunningLoop().time() + 1, () -> Asyncio.sleep(0));
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.timeout(0.01, () -> Asyncio.sleep(10)));
        });
    }

    @Test
    void bodyExceptionBeforeTheDeadlinePropagatesUnchanged() {
        Asyncio.run(() -> {
            IllegalStateException boom = new IllegalStateException("x");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Asyncio.timeout(1.0, () -> {
                throw boom;
            })));
        });
    }

    @Test
    void outsideATaskIsAnError() {
        assertThrows(IllegalStateException.class, () -> new Timeout(1.0).run(() -> 1));
    }

    @Test
    void nanDeadlinesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Timeout(Double.NaN));
    }
}
