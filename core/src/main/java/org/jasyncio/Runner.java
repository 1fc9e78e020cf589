package org.jasyncio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * {@link Asyncio#run(Coroutine)}: asyncio's {@code asyncio.run} and the clean-up of its
 * {@code runners.Runner.close()}.
 */
final class Runner {

    /* Implementation overview: asyncio's runners.py. run() refuses to start under a running
     * loop, then makes a new EventLoop, runs main as a task on it until it is done, and returns
     * its result or rethrows its exception unchanged. An interrupt of the thread cancels the
     * main task while it runs (asyncio's Ctrl-C handling); once main is done, an interrupt is
     * only kept for the caller. The clean-up runs in this order, each step even if the one
     * before threw (nested finally blocks): (1) cancelAllTasks, asyncio's
     * runners._cancel_all_tasks: cancel every pending task, run the loop until all of them are
     * done (a GatheringFuture with returnExceptions), then report each non-cancelled task's
     * exception to the loop's exception handler, in allTasks() order; then, beyond asyncio,
     * the same for the tasks runCoroutineThreadsafe started after that snapshot (a task being
     * cancelled, or another thread, submitted them meanwhile), after telling StageBridge to
     * start no more, so that every CompletableFuture handed out completes (asyncio leaves
     * those tasks to be destroyed pending and their concurrent futures pending forever); tasks
     * made with createTask during the shutdown are left as asyncio leaves them; (2) close the
     * async generators started on the loop and not finished, loop.shutdownAsyncgens()
     * (asyncio's loop.shutdown_asyncgens()); (3) shut the default executor down and wait up to
     * EXECUTOR_JOIN_TIMEOUT_SECONDS for its running jobs (asyncio's
     * shutdown_default_executor(constants.THREAD_JOIN_TIMEOUT)); (4) close the loop. Steps
     * (1) to (3) are skipped if the loop is already closed, or unusable because a task's strand stayed blocked
     * on a thread-owned lock (EventLoop.strandBlocked): they would only throw its error again, hiding the
     * first one. */

    /** How long {@link #run} waits for the default executor's jobs on exit (asyncio's 300 s). */
    static final double EXECUTOR_JOIN_TIMEOUT_SECONDS = 300;

    private Runner() {
    }

    /** {@link Asyncio#run(Coroutine)}. */
    static <T> T run(Coroutine<T> main) {
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop;"
                    + " inside a task, call the coroutine directly or use Asyncio.createTask()");
        }
        EventLoop loop = new EventLoop();
        try {
            Task<T> task = loop.createTask(main);
            loop.setInterruptHandler(() -> task.cancel("interrupted"));
            return loop.runUntilComplete(task);
        } finally {
            // Once main is done, an interrupt no longer cancels anything: it is kept, the
            // clean-up finishes, and the thread is left interrupted for the caller.
            loop.setInterruptHandler(loop::keepInterrupt);
            try {
                cancelAllTasks(loop);
            } finally {
                try {
                    if (!loop.isClosed() && !loop.isWedged()) {
                        loop.runUntilComplete(loop.shutdownAsyncgens());
                    }
                } finally {
                    try {
                        if (!loop.isClosed() && !loop.isWedged()) {
                            loop.runUntilComplete(loop.shutdownDefaultExecutor(EXECUTOR_JOIN_TIMEOUT_SECONDS));
                        }
                    } finally {
                        loop.close();
                    }
                }
            }
        }
    }

    private static void cancelAllTasks(EventLoop loop) {
        if (loop.isClosed() || loop.isWedged()) {
            return;
        }
        Set<Task<?>> tasks = loop.allTasks();
        if (!tasks.isEmpty()) {
            cancelAndWait(loop, tasks);
        }
        List<Task<?>> submittedMeanwhile = StageBridge.stopStarting(loop);
        if (!submittedMeanwhile.isEmpty()) {
            cancelAndWait(loop, submittedMeanwhile);
        }
    }

    /** Cancels {@code tasks}, runs the loop until they are done, reports their failures. */
    private static void cancelAndWait(EventLoop loop, Collection<Task<?>> tasks) {
        for (Task<?> t : tasks) {
            t.cancel();
        }
        loop.runUntilComplete(new GatheringFuture(loop, new ArrayList<>(tasks), true));
        for (Task<?> t : tasks) {
            if (t.cancelled()) {
                continue;
            }
            Throwable e = t.exception();
            if (e != null) {
                loop.callExceptionHandler(new ExceptionContext(
                        "unhandled exception during Asyncio.run() shutdown", e, t, t, null));
            }
        }
    }
}
