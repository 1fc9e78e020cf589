package org.jasyncio;

import java.lang.System.Logger.Level;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The executor a loop's {@code runInExecutor(null, job)} and {@code Asyncio.toThread} use, and
 * its shutdown: asyncio's {@code loop._default_executor},
 * {@code set_default_executor} and {@code shutdown_default_executor}. Loop thread only.
 */
final class DefaultExecutor {

    /*
     * Implementation overview.
     *
     * Made lazily: a virtual thread per job (asyncio uses a ThreadPoolExecutor; a virtual
     * thread per job needs no sizing). Once shutdown() was called, asking for the executor
     * is asyncio's "Executor shutdown has been called" error, even if none was ever made.
     * Waiting for termination blocks, so shutdown() waits on a virtual thread of its own and
     * completes the returned future through callSoonThreadsafe, as asyncio joins its
     * executor in a thread.
     */

    private static final System.Logger LOG = System.getLogger("org.jasyncio");

    private final EventLoop loop;
    private ExecutorService executor;
    private boolean shutdownCalled;

    DefaultExecutor(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Runs {@code job} on {@code executor} (this default if null) as an {@link ExecutorJob};
     * returns the loop future of its outcome. A refused job is forgotten and the refusal thrown.
     */
    <T> Future<T> submit(Executor executor, Callable<T> job) {
        Executor ex = executor != null ? executor : get();
        Future<T> future = new Future<>(loop);
        ExecutorJob<T> work = new ExecutorJob<>(loop, job, future);
        try {
            ex.execute(work);
        } catch (RuntimeException refused) {
            loop.threadJobs.remove(work);
            throw refused;
        }
        return future;
    }

    /** The executor, made on first use. */
    ExecutorService get() {
        if (shutdownCalled) {
            throw new IllegalStateException("Executor shutdown has been called: this loop's default executor"
                    + " is shut down (Asyncio.run does that on exit)");
        }
        ExecutorService ex = executor;
        if (ex == null) {
            ex = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jasyncio-to-thread-", 0).factory());
            executor = ex;
        }
        return ex;
    }

    void set(ExecutorService replacement) {
        executor = replacement;
    }

    /** Shuts the executor down and returns a future done once it terminated (or timed out). */
    Future<Void> shutdown(double timeoutSeconds) {
        shutdownCalled = true;
        Future<Void> done = new Future<>(loop);
        ExecutorService ex = executor;
        if (ex == null) {
            done.setResult(null);
            return done;
        }
        ex.shutdown();
        if (ex.isTerminated()) {
            done.setResult(null);
            return done;
        }
        long nanos = Deadlines.toNanos(timeoutSeconds);
        Thread.ofVirtual().name("jasyncio-executor-shutdown").start(() -> {
            boolean terminated = false;
            try {
                terminated = ex.awaitTermination(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!terminated) {
                LOG.log(Level.WARNING, "The default executor did not finish joining its threads within "
                        + timeoutSeconds + " seconds.");
            }
            try {
                loop.callSoonThreadsafe(() -> done.trySetResult(null));
            } catch (IllegalStateException closedMeanwhile) {
                // Nobody waits any more.
            }
        });
        return done;
    }

    /** On loop close: shuts the executor down without waiting, as asyncio's close() does. */
    void closeNow() {
        ExecutorService ex = executor;
        if (ex != null) {
            ex.shutdown();
        }
        executor = null;
    }
}
