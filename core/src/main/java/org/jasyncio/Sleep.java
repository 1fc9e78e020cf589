package org.jasyncio;

import java.math.BigDecimal;
import java.time.Duration;
import org.jasyncio.internal.WaitLabel;

/**
 * {@link Asyncio#sleep(double)} and {@link Asyncio#sleep(Duration)}: asyncio's
 * {@code asyncio.sleep(delay)}.
 */
final class Sleep {

    /* Implementation overview: asyncio's tasks.sleep. A delay of zero or less is a bare
     * yield (Suspension.yieldNow, asyncio's __sleep0): the task resumes on the next loop
     * iteration. A positive delay puts a SleepTimer on the loop's timer heap directly (a
     * TimerHandle subclass, so no callLater Runnable is allocated) and awaits its future; the
     * timer completes that future with trySetResult, asyncio's
     * futures._set_result_unless_cancelled, so a sleep cancelled meanwhile stays cancelled.
     * Like any timer, it is ordered by deadline, then by scheduling order (nextTimerSequence).
     * Whether the sleep ends normally or by cancellation, the timer is cancelled on the way out
     * (asyncio's h.cancel() in a finally). Delays and the deadline saturate (Deadlines): a
     * delay too large for a long of nanoseconds, or whose deadline would pass Long.MAX_VALUE,
     * never comes due, like asyncio's sleep(1e300); NaN seconds are refused before the task is
     * looked up. */

    private Sleep() {
    }

    /** {@link Asyncio#sleep(double)}. */
    static void sleep(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("sleep() of NaN seconds");
        }
        sleepNanos(seconds <= 0 ? 0 : Deadlines.toNanos(seconds));
    }

    /** {@link Asyncio#sleep(Duration)}. */
    static void sleep(Duration delay) {
        long nanos = Deadlines.toNanos(delay, "delay");
        sleepNanos(nanos <= 0 ? 0 : nanos);
    }

    private static void sleepNanos(long nanos) {
        if (nanos == 0) {
            Suspension.yieldNow();
            return;
        }
        Task<?> task = Suspension.currentTask("sleep()");
        SleepTimer timer = new SleepTimer(task, nanos);
        task.loop.addTimer(timer);
        try {
            timer.future.await();
        } finally {
            timer.cancel();
        }
    }

    /** The timer behind {@link #sleep}: completes its future unless it was cancelled. */
    private static final class SleepTimer extends TimerHandle {
        final Future<Void> future;
        private final Task<?> task;

        SleepTimer(Task<?> task, long nanos) {
            super(task.loop, null, task.loop.deadlineAfter(nanos, task), task.loop.nextTimerSequence());
            this.future = new SleepFuture(task.loop, nanos);
            this.task = task;
        }

        @Override
        Object scheduleSource() {
            return task;
        }

        @Override
        void run() {
            future.trySetResult(null);
        }

        @Override
        Object describeCallback() {
            return "sleep wake-up";
        }
    }

    /** The future a sleeping task awaits; a task dump shows it as "sleep 2.5 s". */
    static final class SleepFuture extends Future<Void> implements WaitLabel {
        private final long nanos;

        SleepFuture(EventLoop loop, long nanos) {
            super(loop);
            this.nanos = nanos;
        }

        @Override
        public String describeWait() {
            if (nanos == Long.MAX_VALUE) {
                return "sleep forever";
            }
            return "sleep " + BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + " s";
        }
    }
}
