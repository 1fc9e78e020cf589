package org.jasyncio;

import java.util.concurrent.Callable;

/**
 * {@link Asyncio#toThread(Callable)}: asyncio's {@code asyncio.to_thread(func)}.
 */
final class Threads {

    /* Implementation overview: asyncio's threads.py, whose to_thread is
     * loop.run_in_executor(None, functools.partial(contextvars.copy_context().run, func)). A
     * null job is refused before the running loop is looked up. The current Context is copied
     * on the loop thread when toThread is called, not when the job starts, and the job runs
     * inside that copy on the worker, so the ContextVar values it reads are the caller's at the
     * time of the call and its own sets stay in the copy. Everything else (the default
     * executor, cancellation interrupting a running job, the outcome handed back to the loop)
     * is EventLoop.runInExecutor's and ExecutorJob's. */

    private Threads() {
    }

    /** {@link Asyncio#toThread(Callable)}. */
    static <T> Future<T> toThread(Callable<T> job) {
        if (job == null) {
            throw new NullPointerException("job");
        }
        EventLoop loop = Asyncio.getRunningLoop();
        Context context = Context.copyContext();
        return loop.runInExecutor(null, () -> context.run(job));
    }
}
