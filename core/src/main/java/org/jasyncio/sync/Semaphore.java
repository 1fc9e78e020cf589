package org.jasyncio.sync;

import org.jasyncio.CancelledError;

/**
 * A counter of permits for tasks: asyncio's {@code asyncio.Semaphore}. {@link #acquire()}
 * takes a permit, waiting while there is none; {@link #release()} gives one back. Waiters get
 * permits in FIFO order.
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(10);   // at most 10 downloads at once
 * try (var _ = slots.hold()) {
 *     download(url);
 * }
 * }</pre>
 *
 * <p>Not thread-safe; see the package comment.
 */
public class Semaphore implements Acquirable {

    /*
     * Implementation overview.
     *
     * This is asyncio 3.13's semaphore. release() adds a permit and, if a task waits, hands
     * the permit to the first pending waiter at once (the count goes back down and the waiter is
     * woken in place). So value counts only permits nobody has been promised, and
     * locked() is true while any waiter that is not cancelled remains: a newcomer queues
     * behind woken waiters instead of barging. A waiter that is woken and cancelled in the same
     * iteration gives its permit back and wakes the next waiter; a waiter cancelled before being
     * woken was promised nothing. Either way the count is never leaked or duplicated. After each
     * wait, the waiter wakes as many others as there are free permits (permits released while
     * newcomers queued behind woken waiters).
     */

    // The binding keeps the reference only to name its owner in error messages.
    @SuppressWarnings("this-escape")
    private final LoopBinding binding = new LoopBinding(this);
    final WaitQueue waiters = new WaitQueue(binding);
    /** Permits free and promised to nobody. */
    int value;

    /**
     * Creates a semaphore with {@code value} permits. asyncio's {@code Semaphore(value)}.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, got " + value);
        }
        this.value = value;
    }

    /** Creates a semaphore with one permit. asyncio's {@code Semaphore()}. */
    public Semaphore() {
        this(1);
    }

    /**
     * True if {@link #acquire()} would wait: no permit is free, or other tasks are queued
     * first. asyncio's {@code locked()}.
     *
     * @return whether acquiring now would wait
     */
    @Override
    public boolean locked() {
        return value == 0 || !waiters.allCancelled();
    }

    /**
     * Takes a permit, suspending the current task until one is free and its turn has come.
     * asyncio's {@code await sem.acquire()}.
     *
     * @throws CancelledError        if the task is cancelled while it waits (then it holds no
     *                               permit)
     * @throws IllegalStateException if it must wait outside a task, or on another loop
     */
    @Override
    public void acquire() {
        if (!locked()) {
            value--;
            return;
        }
        Waiter w = waiters.park(getClass().getSimpleName() + ".acquire()");
        try {
            try {
                w.await();
            } finally {
                waiters.remove(w);
            }
        } catch (CancelledError e) {
            if (w.woken()) {
                // A permit was handed to us, but we will not take it: give it back.
                value++;
            }
            throw e;
        } finally {
            // Permits may have been released while newcomers queued behind woken waiters.
            while (value > 0 && wakeUpNext()) {
                // each round hands one free permit to the next pending waiter
            }
        }
    }

    /**
     * Gives a permit back and hands it to the first pending waiter, if any. asyncio's
     * {@code release()}.
     *
     * @throws IllegalStateException if tasks of another loop wait on it
     */
    @Override
    public void release() {
        waiters.checkWaker();
        value++;
        wakeUpNext();
    }

    private boolean wakeUpNext() {
        if (waiters.wakeFirstPending()) {
            value--; // the permit is the woken waiter's now
            return true;
        }
        return false;
    }

    /**
     * A snapshot for debugging.
     *
     * @return free permits and how many tasks wait
     */
    public Statistics statistics() {
        return new Statistics(value, waiters.size() - waiters.cancelledCount());
    }

    /**
     * What {@link #statistics()} returns.
     *
     * @param value   permits free and promised to no waiter
     * @param waiters tasks waiting in {@code acquire()}, woken ones included until they run
     *                (cancelled ones not counted)
     */
    public record Statistics(int value, int waiters) {
    }

    @Override
    public String toString() {
        String s = locked() ? "locked" : "unlocked, value:" + value;
        int n = waiters.size();
        return getClass().getSimpleName() + "[" + (n > 0 ? s + ", waiters:" + n : s) + "]";
    }
}
