package org.jasyncio.internal.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the virtual strand's loop counts as blocked on a thread-owned lock when it looks at a
 * strand it has waited for: a monitor entry or a {@code ReentrantLock}/{@code
 * ReentrantReadWriteLock} acquisition, and nothing else a blocking call may wait on. Plain
 * virtual threads stand in for strands; the look does not depend on the active strand.
 */
@Timeout(30)
class BlockedOnThreadOwnedLockTest {

    /** Waits until {@code t} is in {@code state}, then returns what the look says. */
    private static String lookWhen(Thread t, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != state) {
            assertTrue(System.nanoTime() < deadline, "never reached " + state + ": " + t.getState());
            Thread.sleep(1);
        }
        return StrandWatch.blockedOnThreadOwnedLock(t);
    }

    @Test
    void enteringAMonitorAnotherThreadHoldsCounts() throws InterruptedException {
        Object monitor = new Object();
        Thread t;
        String seen;
        synchronized (monitor) {
            t = Thread.ofVirtual().start(() -> {
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            });
            seen = lookWhen(t, Thread.State.BLOCKED);
        }
        t.join();
        assertEquals("entering a monitor (synchronized)", seen);
    }

    @Test
    void acquiringAReentrantLockAnotherThreadHoldsCounts() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        Thread t = Thread.ofVirtual().start(() -> {
            lock.lock();
            lock.unlock();
        });
        String seen = lookWhen(t, Thread.State.WAITING);
        lock.unlock();
        t.join();
        assertTrue(seen.startsWith("acquiring a ReentrantLock ("), seen);
    }

    @Test
    void readingWhileAnotherThreadHoldsTheWriteLockCounts() throws InterruptedException {
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        rw.writeLock().lock();
        Thread t = Thread.ofVirtual().start(() -> {
            rw.readLock().lock();
            rw.readLock().unlock();
        });
        String seen = lookWhen(t, Thread.State.WAITING);
        rw.writeLock().unlock();
        t.join();
        assertTrue(seen.startsWith("acquiring a ReentrantReadWriteLock ("), seen);
    }

    @Test
    void waitingOnALatchATimedLockOrASleepDoesNotCount() throws InterruptedException {
        // These are blocking calls (they block the loop, as documented), not thread-owned
        // locks: the loop waits for them however long they take.
        CountDownLatch latch = new CountDownLatch(1);
        Thread awaiting = Thread.ofVirtual().start(() -> {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertNull(lookWhen(awaiting, Thread.State.WAITING));
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        Thread timed = Thread.ofVirtual().start(() -> {
            try {
                if (lock.tryLock(10, TimeUnit.SECONDS)) {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertNull(lookWhen(timed, Thread.State.TIMED_WAITING));
        Thread sleeping = Thread.ofVirtual().start(() -> {
            try {
                latch.await();
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        latch.countDown();
        assertNull(lookWhen(sleeping, Thread.State.TIMED_WAITING));
        lock.unlock();
        sleeping.interrupt();
        awaiting.join();
        timed.join();
        sleeping.join();
        assertNull(StrandWatch.blockedOnThreadOwnedLock(sleeping), "a finished thread");
    }
}
