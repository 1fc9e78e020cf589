package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Steps;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10) // a lost wake-up fails (the loop thread is interrupted, cancelling main) instead of hanging
class LockTest {

    @Test
    void uncontendedAcquireTakesTheLockWithoutYielding() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            assertFalse(lock.locked());
            lock.acquire();
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        });
    }

    @Test
    void releasingAnUnlockedLockThrows() {
        // asyncio: RuntimeError('Lock is not acquired.')
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().contains("not acquired"), e.getMessage());
    }

    @Test
    void waitersAcquireInFifoOrder() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    lock.acquire();
                    order.add(n);
                    Asyncio.sleep(0);
                    lock.release();
                }));
            }
            Asyncio.sleep(0);
            assertEquals(4, lock.statistics().waiters());
            lock.release();
            Asyncio.gather(tasks).await();
            assertEquals(List.of(0, 1, 2, 3), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void newAcquirerDoesNotBargeAheadOfAWokenWaiter() {
        // asyncio 3.13 fairness: the lock is unlocked but promised to the woken waiter.
        Steps s = new Steps();
        Asyncio.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> a = Asyncio.createTask(() -> {
                s.expect(2);
                lock.acquire();
                s.expect(4);
                lock.release();
            });
            s.expect(1);
            Asyncio.sleep(0);
            s.expect(3);
            lock.release();
            assertFalse(lock.locked());
            lock.acquire(); // waits behind a, although the lock is unlocked
            s.expect(5);
            lock.release();
            a.await();
        });
        s.assertFinished(5);
    }

    @Test
    void waiterCancelledBeforeReleaseGivesNothingUp() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            List<String> got = new ArrayList<>();
            lock.acquire();
            Task<Void> a = Asyncio.createTask(() -> { lock.acquire(); got.add("a"); lock.release(); });
            Task<Void> b = Asyncio.createTask(() -> { lock.acquire(); got.add("b"); lock.release(); });
            Asyncio.sleep(0);
            a.cancel();
            lock.release(); // the head (a) is cancelled: a passes the lock on when it runs
            b.await();
            assertTrue(a.cancelled());
            assertEquals(List.of("b"), got);
            assertFalse(lock.locked());
            assertEquals(0, lock.statistics().waiters());
        });
    }

    @Test
    void lockReleasedToAWaiterCancelledInTheSameIterationPassesOn() {
        // asyncio test_cancel_release_race: woken, then cancelled before it could run.
        Asyncio.run(() -> {
            Lock lock = new Lock();
            List<String> got = new ArrayList<>();
            lock.acquire();
            Task<Void> a = Asyncio.createTask(() -> { lock.acquire(); got.add("a"); lock.release(); });
            Task<Void> b = Asyncio.createTask(() -> { lock.acquire(); got.add("b"); lock.release(); });
            Task<Void> c = Asyncio.createTask(() -> { lock.acquire(); got.add("c"); lock.release(); });
            Asyncio.sleep(0);
            lock.release();
            a.cancel();
            Asyncio.gatherReturnExceptions(a, b, c).await();
            assertTrue(a.cancelled());
            assertEquals(List.of("b", "c"), got);
            assertFalse(lock.locked());
        });
    }

    @Test
    void cancelledWaiterDoesNotTakeTheLock() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> a = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(0);
            a.cancel();
            assertThrows(CancelledError.class, a::await);
            assertTrue(lock.locked()); // still ours
            lock.release();
            assertFalse(lock.locked());
        });
    }

    @Test
    void acquireTakesTheFastPathWhenEveryWaiterIsCancelled() {
        Steps s = new Steps();
        Asyncio.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> a = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(0);
            a.cancel();
            lock.release();
            s.expect(1);
            lock.acquire(); // the only waiter is cancelled: no wait
            s.expect(2);
            assertFalse(a.done());
            lock.release();
        });
        s.assertFinished(2);
    }

    @Test
    void holdReleasesAtTheEndOfTheBlockAndOnException() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            try (var _ = lock.hold()) {
                assertTrue(lock.locked());
            }
            assertFalse(lock.locked());
            assertThrows(IllegalArgumentException.class, () -> {
                try (var _ = lock.hold()) {
                    throw new IllegalArgumentException("boom");
                }
            });
            assertFalse(lock.locked());
        });
    }

    @Test
    void aGuardReleasesOnlyOnce() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            Guard g = lock.hold();
            g.close();
            g.close(); // no second release, no error
            assertFalse(lock.locked());
        });
    }

    @Test
    void withLockReturnsTheBodysValueAndRethrowsItsExceptionUnchanged() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            assertEquals(42, lock.withLock(() -> {
                assertTrue(lock.locked());
                return 42;
            }));
            IOException io = new IOException("disk");
            Exception e = assertThrows(Exception.class, () -> lock.withLock(() -> {
                throw io;
            }));
            assertSame(io, e);
            assertFalse(lock.locked());
            lock.withLock(() -> assertTrue(lock.locked()));
            assertFalse(lock.locked());
        });
    }

    @Test
    void withLockSerializesTasks() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            int[] inside = {0};
            int[] maxInside = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(Asyncio.createTask(() -> lock.withLock(() -> {
                    inside[0]++;
                    maxInside[0] = Math.max(maxInside[0], inside[0]);
                    Asyncio.sleep(0);
                    inside[0]--;
                })));
            }
            Asyncio.gather(tasks).await();
            assertEquals(1, maxInside[0]);
        });
    }

    @Test
    void waitingOutsideATaskThrows() {
        Lock lock = new Lock();
        Asyncio.run(() -> lock.acquire());
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
        assertTrue(e.getMessage().contains("only a task can wait"), e.getMessage());
        assertTrue(lock.locked());
    }

    @Test
    void aLockBoundToOneLoopRejectsAnother() {
        // asyncio _LoopBoundMixin: RuntimeError '... is bound to a different event loop'
        Lock lock = new Lock();
        Asyncio.run(() -> {
            lock.acquire();
            Task<Void> t = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(0); // t waits: the lock binds to this loop
            t.cancel();
            Asyncio.sleep(0);
            lock.release();
        });
        Asyncio.run(() -> {
            lock.acquire(); // uncontended: no loop involved, as in asyncio
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
            assertTrue(e.getMessage().contains("bound to a different event loop"), e.getMessage());
            assertTrue(lock.locked());
            assertEquals(0, lock.statistics().waiters());
            lock.release();
        });
    }

    @Test
    void statisticsAndToStringShowStateAndWaiters() {
        Asyncio.run(() -> {
            Lock lock = new Lock();
            assertEquals(new Lock.Statistics(false, 0), lock.statistics());
            lock.acquire();
            Task<Void> t = Asyncio.createTask(() -> lock.withLock(() -> { }));
            Asyncio.sleep(0);
            assertEquals(new Lock.Statistics(true, 1), lock.statistics());
            assertEquals("Lock[locked, waiters:1]", lock.toString());
            lock.release();
            t.await();
            assertEquals("Lock[unlocked]", lock.toString());
        });
    }
}
