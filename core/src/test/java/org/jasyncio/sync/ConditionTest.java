package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10) // a lost wake-up fails (the loop thread is interrupted, cancelling main) instead of hanging
class ConditionTest {

    @Test
    void awaitAndSignalNeedTheLock() {
        // asyncio: RuntimeError('cannot wait on un-acquired lock'), ('cannot notify on ...')
        Asyncio.run(() -> {
            Condition c = new Condition();
            IllegalStateException e = assertThrows(IllegalStateException.class, c::await);
            assertTrue(e.getMessage().contains("un-acquired lock"), e.getMessage());
            assertThrows(IllegalStateException.class, c::signal);
            assertThrows(IllegalStateException.class, c::signalAll);
            assertThrows(IllegalStateException.class, c::release);
        });
    }

    @Test
    void signalWakesWaitersOneByOneInFifoOrderEachHoldingTheLock() {
        Asyncio.run(() -> {
            Condition c = new Condition();
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> c.withLock(() -> {
                    c.await();
                    assertTrue(c.locked());
                    order.add(n);
                })));
            }
            Asyncio.sleep(0);
            assertEquals(3, c.statistics().waiters());
            assertFalse(c.locked());
            for (int expected = 1; expected <= 3; expected++) {
                c.withLock(() -> c.signal());
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                assertEquals(expected, order.size());
            }
            Asyncio.gather(tasks).await();
            assertEquals(List.of(0, 1, 2), order);
        });
    }

    @Test
    void signalAllAndSignalNWakeThatMany() {
        Asyncio.run(() -> {
            Condition c = new Condition();
            int[] woken = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(Asyncio.createTask(() -> c.withLock(() -> {
                    c.await();
                    woken[0]++;
                })));
            }
            Asyncio.sleep(0);
            c.withLock(() -> c.signal(2));
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(2, woken[0]);
            c.withLock(() -> c.signalAll());
            Asyncio.gather(tasks).await();
            assertEquals(5, woken[0]);
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingStillHoldsTheLockWhenItSeesTheCancellation() {
        // asyncio test_wait_cancel_contested: wait() re-acquires the lock even when cancelled.
        Asyncio.run(() -> {
            Condition c = new Condition();
            boolean[] heldOnCancel = {false};
            Task<Void> t = Asyncio.createTask(() -> {
                c.acquire();
                try {
                    c.await();
                } catch (CancelledError e) {
                    heldOnCancel[0] = c.locked();
                    throw e;
                } finally {
                    c.release();
                }
            });
            Asyncio.sleep(0);
            c.acquire(); // hold the lock while t is cancelled: it must wait for it
            t.cancel();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(t.done());
            c.release();
            assertThrows(CancelledError.class, t::await);
            assertTrue(heldOnCancel[0]);
            assertFalse(c.locked());
        });
    }

    @Test
    void aSignalToAWaiterCancelledInTheSameIterationPassesOn() {
        // asyncio test_cancelled_wakeup: a notified-then-cancelled waiter notifies another.
        Asyncio.run(() -> {
            Condition c = new Condition();
            List<String> woke = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> c.withLock(() -> { c.await(); woke.add("a"); }));
            Task<Void> b = Asyncio.createTask(() -> c.withLock(() -> { c.await(); woke.add("b"); }));
            Asyncio.sleep(0);
            c.acquire();
            c.signal();
            a.cancel();
            c.release();
            Asyncio.gatherReturnExceptions(a, b).await();
            assertTrue(a.cancelled());
            assertEquals(List.of("b"), woke);
            assertFalse(c.locked());
            assertEquals(0, c.statistics().waiters());
        });
    }

    @Test
    void cancellationWhileReacquiringIsDeliveredOnceTheLockIsHeld() {
        Asyncio.run(() -> {
            Condition c = new Condition();
            boolean[] held = {false};
            Task<Void> t = Asyncio.createTask(() -> {
                c.acquire();
                try {
                    c.await();
                } catch (CancelledError e) {
                    held[0] = c.locked();
                    throw e;
                } finally {
                    c.release();
                }
            });
            Asyncio.sleep(0);
            c.acquire();
            c.signal();
            Asyncio.sleep(0); // t wakes and queues for the lock we hold
            Asyncio.sleep(0);
            t.cancel();       // cancelled while re-acquiring
            Asyncio.sleep(0);
            assertFalse(t.done());
            c.release();
            assertThrows(CancelledError.class, t::await);
            assertTrue(held[0]);
        });
    }

    @Test
    void awaitForReturnsWhenThePredicateHolds() {
        Asyncio.run(() -> {
            Condition c = new Condition();
            int[] value = {0};
            int[] checks = {0};
            Task<Void> t = Asyncio.createTask(() -> c.withLock(() -> c.awaitFor(() -> {
                checks[0]++;
                return value[0] == 3;
            })));
            for (int i = 1; i <= 3; i++) {
                Asyncio.sleep(0);
                c.withLock(() -> {
                    value[0]++;
                    c.signalAll();
                });
            }
            t.await();
            assertEquals(4, checks[0]);
        });
    }

    @Test
    void awaitForWithASupplierReturnsThePredicatesValue() {
        // asyncio's Condition.wait_for(predicate) returns the predicate's last value, so the
        // predicate can hand back what it waited for.
        Asyncio.run(() -> {
            Condition c = new Condition();
            ArrayDeque<String> items = new ArrayDeque<>();
            Task<String> consumer = Asyncio.createTask(() -> c.withLock(() -> c.awaitFor(() -> items.poll())));
            Asyncio.sleep(0);
            assertFalse(consumer.done());
            c.withLock(() -> {
                items.add("item");
                c.signal();
            });
            assertEquals("item", consumer.await());
        });
    }

    @Test
    void awaitForWithASupplierWaitsWhileTheValueIsFalseAsPythonSeesIt() {
        // The predicate's value is tested like Python's bool(): None, False, zero, and empty
        // strings, collections, mappings, arrays and Optionals keep the task waiting.
        List<Object> falsy = Arrays.asList(null, false, 0, 0L, 0.0, -0.0f, BigDecimal.ZERO, BigInteger.ZERO, "",
                List.of(), Map.of(), new int[0], Optional.empty());
        Asyncio.run(() -> {
            Condition c = new Condition();
            int[] next = {0};
            int[] checks = {0};
            Task<Object> waiter = Asyncio.createTask(() -> c.withLock(() -> c.awaitFor(() -> {
                checks[0]++;
                return next[0] < falsy.size() ? falsy.get(next[0]) : "found";
            })));
            for (int i = 0; i < falsy.size(); i++) {
                Asyncio.sleep(0);
                assertFalse(waiter.done(), "still waiting after " + falsy.get(i));
                c.withLock(() -> {
                    next[0]++;
                    c.signal();
                });
            }
            assertEquals("found", waiter.await());
            assertEquals(falsy.size() + 1, checks[0]);
        });
    }

    @Test
    void awaitForWithASupplierReturnsATrueValueAtOnce() {
        // A value already true is returned without waiting, as asyncio's wait_for checks the
        // predicate before it first waits.
        List<Object> truthy = Arrays.asList(true, 1, -0.5, Double.NaN, BigDecimal.ONE, "a", List.of(0), Map.of(0, 0),
                new int[1], Optional.of(0), new Object());
        Asyncio.run(() -> {
            Condition c = new Condition();
            c.withLock(() -> {
                for (Object v : truthy) {
                    assertSame(v, c.awaitFor(() -> v));
                }
                Boolean b = c.awaitFor(() -> Boolean.TRUE); // a boxed Boolean picks the value form
                assertTrue(b);
            });
            assertEquals(0, c.statistics().waiters());
        });
    }

    @Test
    void severalConditionsCanShareOneLock() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            Condition notEmpty = new Condition(lock);
            Condition notFull = new Condition(lock);
            lock.acquire();
            assertTrue(notEmpty.locked());
            assertTrue(notFull.locked());
            notEmpty.signal(); // fine: the shared lock is held
            lock.release();
            assertEquals(new Condition.Statistics(new Lock.Statistics(false, 0), 0), notFull.statistics());
        });
    }
}
