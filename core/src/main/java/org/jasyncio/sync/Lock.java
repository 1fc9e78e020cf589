package org.jasyncio.sync;

import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Task;

/**
 * A mutual-exclusion lock for tasks: asyncio's {@code asyncio.Lock}. It is not owned by a
 * task: any task may release it. Waiters acquire it in FIFO order.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var _ = lock.hold()) {      // async with lock:
 *     ...
 * }
 * lock.acquire();                  // or by hand
 * try { ... } finally { lock.release(); }
 * }</pre>
 *
 * <p>Use it, not {@code synchronized}, a {@code ReentrantLock} or a
 * {@code ReentrantReadWriteLock}, for anything held across a suspension point: those belong to
 * a thread, and every task of a loop shares one thread (continuation strand) or waits for the
 * loop (virtual strand), so a task that suspends holding one lets the next task in, hangs the
 * loop, or makes it fail (README.md's model section says which, strand by strand).
 *
 * <p>Not thread-safe; see the package comment for loop binding.
 */
public class Lock implements Acquirable {

    /*
     * Implementation overview.
     *
     * release() unlocks and wakes the head waiter, which stays in the queue until its task
     * runs and takes the lock. Meanwhile the lock is unlocked but not free: a new
     * acquire() takes the fast path only when nobody waits, or every waiter is cancelled,
     * so it never barges ahead of a woken waiter (asyncio 3.13's rule). A waiter cancelled while it
     * waits, even in the same iteration as it was woken, removes itself and, if the lock is not
     * locked, wakes the new head: the lock passes on and is never lost.
     */

    // The binding keeps the reference only to name its owner in error messages.
    @SuppressWarnings("this-escape")
    final LoopBinding binding = new LoopBinding(this);
    private final WaitQueue waiters = new WaitQueue(binding);
    private boolean locked;
    /** The task that acquired the lock last, for task dumps only: any task may release it. */
    private Task<?> holder;

    /** Creates an unlocked lock, not yet bound to a loop. asyncio's {@code Lock()}. */
    public Lock() {
        waiters.label = () -> {
            Task<?> h = holder;
            return locked && h != null ? "Lock held by " + h.getName() : "Lock";
        };
        waiters.blocker = () -> locked ? holder : null;
    }

    /**
     * Acquires the lock, suspending the current task until it is free and its turn has come.
     * asyncio's {@code await lock.acquire()}.
     *
     * @throws CancelledError        if the task is cancelled while it waits (then it does not
     *                               hold the lock)
     * @throws IllegalStateException if it must wait outside a task, or on another loop than
     *                               the one the lock is bound to
     */
    @Override
    public void acquire() {
        if (!locked && waiters.allCancelled()) {
            locked = true;
            holder = Asyncio.currentTask();
            return;
        }
        try {
            waiters.parkAndAwait("Lock.acquire()");
        } catch (CancelledError e) {
            // Woken and cancelled in the same iteration, or cancelled before the lock came our
            // way: either way, if nobody holds the lock, make sure the next waiter gets it.
            if (!locked) {
                waiters.wakeFirstIfPending();
            }
            throw e;
        }
        locked = true;
        holder = Asyncio.currentTask();
    }

    /**
     * Releases the lock and wakes the first waiter, if any. asyncio's {@code release()}.
     *
     * @throws IllegalStateException if the lock is not locked, or if tasks of another loop wait
     *                               on it
     */
    @Override
    public void release() {
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired: release() was called on an unlocked lock");
        }
        waiters.checkWaker();
        locked = false;
        holder = null;
        waiters.wakeFirstIfPending();
    }

    /**
     * asyncio's {@code locked()}.
     *
     * @return true if the lock is held
     */
    @Override
    public boolean locked() {
        return locked;
    }

    /**
     * A snapshot for debugging.
     *
     * @return whether the lock is held and how many tasks wait for it
     */
    public Statistics statistics() {
        return new Statistics(locked, waiters.size() - waiters.cancelledCount());
    }

    /**
     * What {@link #statistics()} returns.
     *
     * @param locked  whether the lock is held
     * @param waiters tasks waiting in {@code acquire()} (cancelled ones not counted)
     */
    public record Statistics(boolean locked, int waiters) {
    }

    @Override
    public String toString() {
        String s = locked ? "locked" : "unlocked";
        int n = waiters.size();
        return "Lock[" + (n > 0 ? s + ", waiters:" + n : s) + "]";
    }
}
