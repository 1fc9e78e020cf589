package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Steps;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10) // a lost wake-up fails (the loop thread is interrupted, cancelling main) instead of hanging
class SemaphoreTest {

    @Test
    void aNegativeInitialValueIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-2));
    }

    @Test
    void acquireCountsDownAndLocksAtZero() {
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(2);
            assertFalse(sem.locked());
            sem.acquire();
            sem.acquire();
            assertTrue(sem.locked());
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
            sem.release();
            assertFalse(sem.locked());
            assertEquals(1, sem.statistics().value());
        });
    }

    @Test
    void defaultValueIsOne() {
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore();
            sem.acquire();
            assertTrue(sem.locked());
        });
    }

    @Test
    void waitersGetPermitsInFifoOrder() {
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> { sem.acquire(); order.add(n); }));
            }
            Asyncio.sleep(0);
            sem.release();
            sem.release();
            Asyncio.sleep(0);
            assertEquals(List.of(0, 1), order);
            sem.release();
            sem.release();
            Asyncio.gather(tasks).await();
            assertEquals(List.of(0, 1, 2, 3), order);
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
        });
    }

    @Test
    void aNewcomerDoesNotBargeAheadOfAWokenWaiter() {
        // asyncio 3.13: locked() stays true while a woken waiter has not run.
        Steps s = new Steps();
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire();
            Task<Void> a = Asyncio.createTask(() -> {
                sem.acquire();
                s.expect(2);
                sem.release();
            });
            Asyncio.sleep(0);
            sem.release();
            assertTrue(sem.locked());
            s.expect(1);
            sem.acquire(); // waits behind a
            s.expect(3);
            sem.release();
            a.await();
            assertEquals(1, sem.statistics().value());
        });
        s.assertFinished(3);
    }

    @Test
    void aPermitHandedToAWaiterCancelledInTheSameIterationIsNotLeaked() {
        // asyncio test_acquire_cancel_after_release / gh-90155: no lost or duplicated permit.
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> got = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> { sem.acquire(); got.add("a"); });
            Task<Void> b = Asyncio.createTask(() -> { sem.acquire(); got.add("b"); });
            Asyncio.sleep(0);
            sem.release();
            a.cancel();
            Asyncio.gatherReturnExceptions(a, b).await();
            assertTrue(a.cancelled());
            assertEquals(List.of("b"), got);
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
            sem.release();
            assertEquals(1, sem.statistics().value());
        });
    }

    @Test
    void aPermitHandedToAWaiterCancelledWithNobodyElseWaitingIsGivenBack() {
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> a = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);
            sem.release();
            a.cancel();
            assertThrows(CancelledError.class, a::await);
            assertEquals(new Semaphore.Statistics(1, 0), sem.statistics());
            assertFalse(sem.locked());
        });
    }

    @Test
    void aWaiterCancelledBeforeReleaseTakesNothing() {
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> got = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> { sem.acquire(); got.add("a"); });
            Task<Void> b = Asyncio.createTask(() -> { sem.acquire(); got.add("b"); });
            Asyncio.sleep(0);
            a.cancel();
            sem.release();
            Asyncio.gatherReturnExceptions(a, b).await();
            assertEquals(List.of("b"), got);
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
        });
    }

    @Test
    void permitsReleasedWhileNewcomersQueuedAreAllHandedOut() {
        // asyncio test_acquire_hang / gh-109955: releases behind woken waiters wake more.
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Asyncio.createTask(sem::acquire));
            }
            Asyncio.sleep(0);
            sem.release();
            sem.release();
            sem.release();
            Asyncio.gather(tasks).await();
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
        });
    }

    @Test
    void holdAndWithLockGiveThePermitBack() {
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(1);
            try (var _ = sem.hold()) {
                assertTrue(sem.locked());
            }
            assertFalse(sem.locked());
            assertEquals("x", sem.withLock(() -> "x"));
            assertEquals(1, sem.statistics().value());
        });
    }

    @Test
    void aBoundedSemaphoreRefusesToBeOverReleased() {
        Asyncio.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            sem.acquire();
            sem.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
            assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
            assertEquals(2, sem.statistics().value());
        });
    }

    @Test
    void aBoundedSemaphoreCountsPermitsPromisedToWokenWaiters() {
        Asyncio.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Void> a = Asyncio.createTask(() -> { sem.acquire(); sem.release(); });
            Asyncio.sleep(0);
            sem.release(); // promised to a: not free, so not counted
            assertEquals(0, sem.statistics().value());
            assertTrue(sem.locked());
            a.await();
            assertEquals(1, sem.statistics().value());
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(1, sem.statistics().value());
        });
    }

    @Test
    void toStringShowsTheState() {
        Asyncio.run(() -> {
            Semaphore sem = new Semaphore(1);
            assertEquals("Semaphore[unlocked, value:1]", sem.toString());
            sem.acquire();
            assertEquals("Semaphore[locked]", sem.toString());
            assertEquals("BoundedSemaphore[unlocked, value:3]", new BoundedSemaphore(3).toString());
        });
    }
}
