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
     * iteration. A positive delay makes one SleepFuture, which is both the future the task
     * awaits and the timer on the loop's heap (TimerQueue takes it beside TimerHandles): asyncio
     * makes a future and a call_later handle completing it, two objects per sleeping task, which
     * a million sleepers pay in memory and in collections. When due, the loop moves it to the
     * ready queue like any timer (ReadyItem permits it), and running it there (wake) completes
     * it with trySetResult, asyncio's futures._set_result_unless_cancelled, so a sleep cancelled
     * meanwhile stays cancelled; its done callback, the task, then resumes on the next iteration,
     * exactly as after asyncio's timer handle. Like any timer, it is ordered by deadline, then
     * by scheduling order. Whether the sleep ends normally or by cancellation, the timer is
     * cancelled on the way out (asyncio's h.cancel() in a finally). Delays and the deadline
     * saturate (Deadlines): a delay too large for a long of nanoseconds, or whose deadline would
     * pass Long.MAX_VALUE, never comes due, like asyncio's sleep(1e300); NaN seconds are refused
     * before the task is looked up. */

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
        SleepFuture sleep = new SleepFuture(task, nanos);
        task.loop.timers.add(sleep);
        try {
            Suspension.awaitOwn(task, sleep);
            sleep.result(); // a cancelled sleep throws its CancelledError here, as await() would
        } finally {
            sleep.cancelTimer();
        }
    }

    /**
     * The future a sleeping task awaits, and its own timer: due at {@link #deadline}, it
     * completes itself unless it was cancelled. A task dump shows it as "sleep 2.5 s".
     */
    static final class SleepFuture extends Future<Void> implements WaitLabel, ReadyItem {
        private final long nanos;
        /** The loop time it is due at, in nanoseconds. */
        final long deadline;
        /** The sleeping task: what stands behind the timer for schedule exploration. */
        final Task<?> task;
        /** True while it sits in the loop's timer queue. */
        boolean queued;
        /** Set when the sleep ended before the timer came due: the timer must not fire. */
        boolean timerCancelled;

        SleepFuture(Task<?> task, long nanos) {
            super(task.loop);
            this.nanos = nanos;
            this.deadline = task.loop.deadlineAfter(nanos, task);
            this.task = task;
        }

        /** The timer came due (the loop runs it from its ready queue): asyncio's timer callback. */
        void wake() {
            if (!timerCancelled) {
                trySetResult(null);
            }
        }

        /** Cancels the timer (not the future), asyncio's {@code h.cancel()}; a queued one is dropped lazily. */
        void cancelTimer() {
            if (!timerCancelled) {
                timerCancelled = true;
                if (queued) {
                    loop.timerCancelled();
                }
            }
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
