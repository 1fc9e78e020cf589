package org.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One {@link EventLoop#runInExecutor} job: a {@link FutureTask} run by the executor, chained
 * both ways to a loop {@link Future} (asyncio's {@code wrap_future}/{@code _chain_future}).
 *
 * <p>How this works: the worker runs the callable inside a {@code FutureTask}; when the task
 * completes, {@link #done()} (on the worker) posts the outcome to the loop with
 * {@code callSoonThreadsafe}, where it completes the loop future unless that is already done.
 * Cancelling the loop future (on the loop) calls {@code FutureTask.cancel(true)}: a job not yet
 * started never runs, a running one has its worker thread interrupted. {@code FutureTask}
 * delivers that interrupt only while this job runs, and {@link #run()} clears it again after a
 * cancelled job, so a pooled worker never carries our interrupt into its next job.
 */
final class ExecutorJob<T> extends FutureTask<T> {

    private final EventLoop loop;
    private final Future<T> future;
    private final Callable<T> callable;
    /** The thread running the job, while it runs; read by the loop under virtual time. */
    private volatile Thread worker;
    /** The job's place in the order jobs were made on the loop; orders results held under a seed. */
    final long sequence;
    /** {@link System#nanoTime()} when the job was made. */
    final long createdNanos = System.nanoTime();

    ExecutorJob(EventLoop loop, Callable<T> callable, Future<T> future) {
        super(callable);
        this.loop = loop;
        this.future = future;
        this.callable = callable;
        this.sequence = loop.nextJobSequence();
        loop.threadJobs.add(this);
        future.addDoneCallback(f -> {
            if (f.cancelled()) {
                cancel(true);
            }
        });
    }

    @Override
    public void run() {
        worker = Thread.currentThread();
        try {
            super.run();
        } finally {
            worker = null;
        }
        if (isCancelled()) {
            // FutureTask waits for a cancel(true) interrupt to land before run() returns.
            Thread.interrupted();
        }
    }

    @Override
    protected void done() {
        if (loop.explorer != null) {
            // Under a schedule seed, the loop hands results out in a replayable way.
            loop.explorer.jobFinished(this);
            loop.threadJobs.remove(this); // after the outcome is held: the loop sees one or the other
            loop.wakeup();
            return;
        }
        try {
            loop.callSoonThreadsafe(this::deliver);
        } catch (IllegalStateException closed) {
            // The loop is closed: nobody can observe the outcome any more (asyncio drops it too).
        }
        loop.threadJobs.remove(this); // after the outcome is queued: the loop sees one or the other
    }

    /** Whether the job is not running code now: finished, waiting, or queued for a while. */
    boolean isQuiescent(long now) {
        Thread w = worker;
        if (w == null) {
            return isDone() || now - createdNanos > ScheduleExplorer.UNSTARTED_GRACE_NANOS;
        }
        return w.getState() != Thread.State.RUNNABLE;
    }

    /** Whether the job waits: not started yet, or its thread parked, sleeping or blocked. */
    private boolean isWaiting() {
        Thread w = worker;
        if (w == null) {
            return !isDone();
        }
        Thread.State state = w.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
    }

    /**
     * Under virtual time with only timers left, on the loop: once every running thread job
     * has been seen waiting for {@link VirtualClock#STALL_LIMIT_NANOS} of real time, fails
     * each of them, since the clock stands still while they run and they wait for real time.
     */
    static void checkStalled(EventLoop loop, VirtualClock clock) {
        for (ExecutorJob<?> job : loop.threadJobs) {
            if (!job.isWaiting()) {
                clock.stalledSince = -1;
                return;
            }
        }
        long now = System.nanoTime();
        if (clock.stalledSince < 0) {
            clock.stalledSince = now;
        } else if (now - clock.stalledSince >= VirtualClock.STALL_LIMIT_NANOS) {
            clock.stalledSince = -1;
            List<ExecutorJob<?>> stalled = new ArrayList<>(loop.threadJobs);
            for (ExecutorJob<?> job : stalled) {
                job.failStalled();
            }
        }
    }

    /** Fails the loop future with an error that names this job and carries its thread's stack; interrupts it. */
    private void failStalled() {
        Thread w = worker;
        String state = w == null ? "not started" : w.getState().toString();
        IllegalStateException e = new IllegalStateException("Under virtual time, thread job " + callable
                + " has waited in real time (" + state + "; this stack trace is the job's) for "
                + VirtualClock.STALL_LIMIT_NANOS / 1_000_000 + " ms while the loop had nothing but timers left: the"
                + " loop's clock stands still while a thread job runs, so the two would wait for each other for"
                + " good. Wait on the loop instead (Asyncio.sleep, org.jasyncio.sync), or let the clock move while"
                + " threads wait: Runner.builder().autojumpThreshold(Duration.ofMillis(10))");
        if (w != null) {
            e.setStackTrace(w.getStackTrace());
        }
        loop.threadJobs.remove(this);
        future.trySetException(e);
        cancel(true);
    }

    /** On the loop: copies the outcome into the loop future, unless it is already done. */
    void deliver() {
        if (future.done()) {
            return;
        }
        try {
            future.setResult(get());
        } catch (ExecutionException e) {
            future.setException(e.getCause() != null ? e.getCause() : e);
        } catch (CancellationException e) {
            future.cancel();
        } catch (InterruptedException e) {
            // Cannot happen: the job is done, so get() does not wait.
            Thread.currentThread().interrupt();
        }
    }
}
