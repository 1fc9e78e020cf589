package org.jasyncio.sync;

import org.jasyncio.EventLoop;

/**
 * The one fair wait queue under every primitive (after Trio's {@code ParkingLot}): a FIFO of
 * {@link Waiter} futures. {@code Lock}, {@code Event}, {@code Condition}, {@code Semaphore} and
 * the queues all park their waiting tasks here, so that FIFO order and the bookkeeping for
 * cancelled waiters are written once.
 *
 * <h2>How this works</h2>
 * A task that must wait {@link #park parks}: a new pending {@link Waiter} is appended and the
 * task awaits it; whatever happens, the task then {@link #remove removes} it (a
 * {@code finally}). A waker completes waiters with a {@code null} result. asyncio's primitives
 * wake in two styles, and both are here because the difference is observable:
 * <ul>
 *   <li><b>wake in place</b> ({@code Lock}, {@code Semaphore}, {@code Event},
 *       {@code Condition}): the woken waiter stays in the queue until its task runs, so a new
 *       arrival still sees it and does not barge ahead ({@link #wakeFirstIfPending},
 *       {@link #wakeFirstPending}, {@link #wakePending}, {@link #wakeAllPending});</li>
 *   <li><b>pop and wake</b> ({@code Queue}): the woken waiter leaves the queue at once
 *       ({@link #popAndWakeNext}, {@link #popAndWakeAll}).</li>
 * </ul>
 * A waiter cancelled while it waits stays linked until its task runs; {@link #cancelledCount}
 * counts those, so asyncio's "every waiter is cancelled" test is O(1).
 *
 * <p>Not thread-safe: it is used on its loop only, like everything a loop owns.
 */
final class WaitQueue {

    private final LoopBinding binding;
    private Waiter head;
    private Waiter tail;
    private int size;
    /** Linked waiters whose future is cancelled; maintained by {@link Waiter#cancel}. */
    int cancelledCount;

    /**
     * @param binding the loop binding of the primitive that owns this queue
     */
    WaitQueue(LoopBinding binding) {
        this.binding = binding;
    }

    /**
     * What a task parked here waits for, as a task dump shows it ({@code "Lock held by
     * Task-7"}), or null to show the parking operation. Set once by the primitive.
     */
    java.util.function.Supplier<String> label;
    /** The task whose action ends this queue's waits (a lock's holder), for deadlock reports; null if none. */
    java.util.function.Supplier<Object> blocker;

    /**
     * Parks the running task: appends a waiter, awaits it and unlinks it whatever happens.
     * The common wait of {@code Lock}, {@code Semaphore}, {@code Event} and {@code Queue.join}.
     *
     * @param operation the waiting operation, for error messages
     * @return the waiter, already unlinked (its {@link Waiter#woken()} tells whether it was woken)
     * @throws org.jasyncio.CancelledError if the task is cancelled while it waits
     * @throws IllegalStateException       outside a task, or on another loop than the bound one
     */
    Waiter parkAndAwait(String operation) {
        Waiter w = park(operation);
        try {
            w.await();
        } finally {
            remove(w);
        }
        return w;
    }

    /**
     * Appends a new pending waiter for the running task; the caller awaits it and then
     * {@link #remove removes} it.
     *
     * @param operation the waiting operation, for error messages
     * @return the waiter
     * @throws IllegalStateException outside a task, or on another loop than the bound one
     */
    Waiter park(String operation) {
        EventLoop loop = binding.loopForWaiting(operation);
        Waiter w = new Waiter(loop, this, operation);
        Waiter t = tail;
        w.prev = t;
        if (t == null) {
            head = w;
        } else {
            t.next = w;
        }
        tail = w;
        size++;
        return w;
    }

    /**
     * Unlinks {@code w} if it is still here (a popped waiter is not); O(1).
     *
     * @param w the waiter
     */
    void remove(Waiter w) {
        if (w.queue == this) {
            unlink(w);
        }
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
        w.queue = null;
        size--;
        if (w.cancelled()) {
            cancelledCount--;
        }
    }

    /**
     * Checks that the caller may wake these waiters (it runs on their loop); call it before
     * changing any state, so a misuse throws with nothing lost. Free when nobody waits.
     *
     * @throws IllegalStateException if there are waiters and the caller is not on their loop
     */
    void checkWaker() {
        if (size != 0) {
            binding.checkWaker();
        }
    }

    /** @return true if no waiter is linked */
    boolean isEmpty() {
        return size == 0;
    }

    /** @return the number of linked waiters: pending, woken-but-not-yet-run and cancelled */
    int size() {
        return size;
    }

    /** @return how many linked waiters are cancelled (their tasks have not removed them yet) */
    int cancelledCount() {
        return cancelledCount;
    }

    /** @return true if every linked waiter is cancelled (vacuously true when empty) */
    boolean allCancelled() {
        return size == cancelledCount;
    }

    /** @return how many linked waiters are still pending (neither woken nor cancelled) */
    int pendingCount() {
        int n = 0;
        for (Waiter w = head; w != null; w = w.next) {
            if (!w.done()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Wakes the head waiter if it is still pending; a head that is already done (woken, or
     * cancelled and about to pass the wake-up on) is left alone. asyncio's
     * {@code Lock._wake_up_first}.
     */
    void wakeFirstIfPending() {
        Waiter h = head;
        if (h != null && !h.done()) {
            h.setResult(null);
        }
    }

    /**
     * Wakes the first pending waiter, leaving it in place. asyncio's
     * {@code Semaphore._wake_up_next}.
     *
     * @return true if one was woken
     */
    boolean wakeFirstPending() {
        for (Waiter w = head; w != null; w = w.next) {
            if (w.trySetResult(null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wakes up to {@code n} pending waiters in FIFO order, leaving them in place. asyncio's
     * {@code Condition._notify(n)}.
     *
     * @param n the most to wake
     * @return how many were woken
     */
    int wakePending(int n) {
        int woken = 0;
        for (Waiter w = head; w != null && woken < n; w = w.next) {
            if (w.trySetResult(null)) {
                woken++;
            }
        }
        return woken;
    }

    /** Wakes every pending waiter, leaving them in place. asyncio's {@code Event.set}. */
    void wakeAllPending() {
        for (Waiter w = head; w != null; w = w.next) {
            w.trySetResult(null);
        }
    }

    /**
     * Pops waiters from the head until one is pending, and wakes that one; the ones popped on
     * the way were cancelled. asyncio's {@code Queue._wakeup_next}.
     *
     * @return true if one was woken
     */
    boolean popAndWakeNext() {
        Waiter w;
        while ((w = head) != null) {
            unlink(w);
            if (w.trySetResult(null)) {
                return true;
            }
        }
        return false;
    }

    /** Pops every waiter and wakes the pending ones. asyncio's {@code Queue.shutdown} loop. */
    void popAndWakeAll() {
        while (popAndWakeNext()) {
            // each round pops up to one pending waiter
        }
    }
}
