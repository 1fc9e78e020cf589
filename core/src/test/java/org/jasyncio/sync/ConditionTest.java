package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
