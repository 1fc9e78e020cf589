package org.jasyncio;

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

    ExecutorJob(EventLoop loop, Callable<T> callable, Future<T> future) {
        super(callable);
        this.loop = loop;
        this.future = future;
        future.addDoneCallback(f -> {
            if (f.cancelled()) {
                cancel(true);
            }
        });
    }

    @Override
    public void run() {
        super.run();
        if (isCancelled()) {
            // FutureTask waits for a cancel(true) interrupt to land before run() returns.
            Thread.interrupted();
        }
    }

    @Override
    protected void done() {
        try {
            loop.callSoonThreadsafe(this::deliver);
        } catch (IllegalStateException closed) {
            // The loop is closed: nobody can observe the outcome any more (asyncio drops it too).
        }
    }

    /** On the loop: copies the outcome into the loop future, unless it is already done. */
    private void deliver() {
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
