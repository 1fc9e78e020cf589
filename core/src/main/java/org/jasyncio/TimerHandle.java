package org.jasyncio;

/**
 * A callback scheduled for a point in time: asyncio's {@code TimerHandle}, returned by
 * {@link EventLoop#callLater(double, Runnable)} and {@link EventLoop#callAt(double, Runnable)}.
 * Timers due at the same time run in the order they were scheduled.
 */
public class TimerHandle extends Handle {

    final long deadline;
    /** True while the handle sits in the loop's timer queue (which keeps its scheduling order). */
    boolean queued;

    TimerHandle(EventLoop loop, Runnable callback, long deadline) {
        super(loop, callback);
        this.deadline = deadline;
    }

    /**
     * The loop time, in seconds, at which the callback is due. asyncio's {@code when()}. A
     * deadline beyond the clock's range reads as its end, about {@code ±9.22e9} seconds (asyncio
     * keeps the float it computed, such as {@code inf}).
     *
     * @return the deadline on the {@link EventLoop#time()} scale
     */
    public double when() {
        return deadline / 1e9;
    }

    /**
     * Cancels the timer; the loop drops it from its queue lazily (and compacts the queue when
     * cancelled timers dominate, as asyncio does).
     */
    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            if (queued) {
                loop.timerCancelled();
            }
        }
    }

    /** What stands behind this timer across iterations, for schedule exploration: the timer itself by default. */
    Object scheduleSource() {
        return this;
    }
}
