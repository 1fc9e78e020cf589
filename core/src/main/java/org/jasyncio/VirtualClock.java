package org.jasyncio;

import java.time.Duration;

/**
 * The virtual clock of a loop made by {@link Runner.Builder#virtualTime(boolean)}: nanoseconds
 * from 0 that only {@link EventLoop}'s scheduler moves, by jumping to the next timer
 * ({@link #poll}).
 */
final class VirtualClock {

    /* Implementation overview: when only timers are left, the scheduler calls poll(), which
     * waits for I/O for 0 (poll, then jump) without a threshold, the threshold's real time
     * with one. If nothing arrived meanwhile it jumps to the next deadline. While a thread job of the
     * loop runs, the clock does not jump: it waits for the job in slices of STALL_CHECK real
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

    /**
     * {@code loop}'s wait for work when nothing is ready but timers ({@code from} items were
     * ready before it): polls I/O (for the autojump threshold, if any), and if nothing arrived,
     * jumps to the next timer; while thread jobs run (no threshold), waits for them instead in
     * slices, failing those that wait in real time.
     */
    void poll(EventLoop loop, int from) {
        IoPoller io = loop.io;
        long next = loop.timers.firstDeadline();
        if (next <= now) {
            io.poll(0, loop.ready, loop.inbox);
            return;
        }
        if (next == Long.MAX_VALUE) {
            loop.pollWithoutTimers(from); // only timers that never come due (sleep(Infinity)): the clock must not reach them
            return;
        }
        if (loop.explorer != null && loop.explorer.holdsJobs()) {
            io.poll(ScheduleExplorer.HELD_JOBS_POLL_NANOS, loop.ready, loop.inbox); // no jump before the held results are out
            return;
        }
        boolean waitForJobs = thresholdNanos < 0 && !loop.threadJobs.isEmpty();
        long wait = waitForJobs ? STALL_CHECK_NANOS : thresholdNanos < 0 ? 0 : thresholdNanos;
        if (wait == 0) {
            io.selectNow(loop.ready);
        } else {
            io.poll(wait, loop.ready, loop.inbox);
        }
        if (loop.ready.size() > from || io.hasPendingKeys() || !loop.inbox.isEmpty()) {
            stalledSince = -1;
        } else if (waitForJobs) {
            ExecutorJob.checkStalled(loop, this);
        } else {
            jumpTo(next);
        }
    }
}
