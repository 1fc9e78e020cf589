package org.jasyncio.sync;

import org.jasyncio.CancelledError;

/**
 * A flag tasks can wait for: asyncio's {@code asyncio.Event}. {@link #set()} wakes every task
 * waiting in {@link #await()}; while the flag is set, {@code await()} returns at once.
 *
 * <pre>{@code
 * Event ready = new Event();
 * Asyncio.createTask(() -> { ready.await(); System.out.println("go"); });
 * ready.set();
 * }</pre>
 *
 * <p>A task woken by {@code set()} returns from {@code await()} even if the flag is cleared
 * again before it runs, as in asyncio. Not thread-safe; see the package comment.
 */
public class Event {

    // The binding keeps the reference only to name its owner in error messages.
    @SuppressWarnings("this-escape")
    private final LoopBinding binding = new LoopBinding(this);
    private final WaitQueue waiters = new WaitQueue(binding);
    private boolean value;

    /** Creates an event whose flag is clear. asyncio's {@code Event()}. */
    public Event() {
    }

    /**
     * asyncio's {@code is_set()}.
     *
     * @return true if the flag is set
     */
    public boolean isSet() {
        return value;
    }

    /**
     * Sets the flag and wakes every waiting task. asyncio's {@code set()}.
     *
     * @throws IllegalStateException if tasks of another loop wait on it
     */
    public void set() {
        if (!value) {
            waiters.checkWaker();
            value = true;
            waiters.wakeAllPending();
        }
    }

    /** Clears the flag: later {@link #await()} calls wait again. asyncio's {@code clear()}. */
    public void clear() {
        value = false;
    }

    /**
     * Returns at once if the flag is set, else suspends the current task until
     * {@link #set()} is called. asyncio's {@code await event.wait()}.
     *
     * @throws CancelledError        if the task is cancelled while it waits
     * @throws IllegalStateException if it must wait outside a task, or on another loop
     */
    public void await() {
        if (value) {
            return;
        }
        waiters.parkAndAwait("Event.await()");
    }

    /**
     * A snapshot for debugging.
     *
     * @return the flag and how many tasks wait
     */
    public Statistics statistics() {
        return new Statistics(value, waiters.size() - waiters.cancelledCount());
    }

    /**
     * What {@link #statistics()} returns.
     *
     * @param set     whether the flag is set
     * @param waiters tasks waiting in {@code await()} (cancelled ones not counted)
     */
    public record Statistics(boolean set, int waiters) {
    }

    @Override
    public String toString() {
        String s = value ? "set" : "unset";
        int n = waiters.size();
        return "Event[" + (n > 0 ? s + ", waiters:" + n : s) + "]";
    }
}
