package org.jasyncio;

import java.time.Duration;

/**
 * The virtual clock of a loop made by {@link Runner.Builder#virtualTime(boolean)}: nanoseconds
 * from 0 that only {@link EventLoop}'s scheduler moves, by jumping to the next timer.
 */
final class VirtualClock {

    /* Implementation overview: the scheduler asks pollTimeout() how long to wait for I/O when
     * only timers are left: 0 (poll, then jump) without a threshold, the threshold's real time
     * with one. If nothing arrived meanwhile it calls jumpTo(deadline). While a thread job of the
     * loop runs, EventLoop does not jump: it waits for the job in slices of STALL_CHECK real
     * time and, once every running job has been seen waiting with no deadline (WAITING or
     * BLOCKED: a sleep ends by itself) for STALL_LIMIT, fails them (ExecutorJob.failStalled): a job that waits in real time while the
     * clock stands still would otherwise hang the loop. */

    /** How often the loop looks at running thread jobs while it waits for them (real time). */
    static final long STALL_CHECK_NANOS = 10_000_000;
    /** How long every running thread job may wait in real time before the loop fails them. */
    static final long STALL_LIMIT_NANOS = 500_000_000;

    private long now;
    /** Real nanoseconds of idleness before a jump, or -1 for none (jump at once). */
    final long thresholdNanos;
    /** Real nanoTime since which every running thread job was seen waiting, or -1. */
    long stalledSince = -1;

    VirtualClock(Duration threshold) {
        this.thresholdNanos = threshold == null ? -1 : threshold.toNanos();
    }

    long now() {
        return now;
    }

    /** Moves the clock to {@code deadline} if it is later. */
    void jumpTo(long deadline) {
        if (deadline > now) {
            now = deadline;
        }
    }

    /** The real time the selector may wait before the clock jumps: 0 without a threshold. */
    long pollTimeout() {
        return thresholdNanos < 0 ? 0 : thresholdNanos;
    }
}
