package org.jasyncio;

import java.lang.ref.Cleaner;

/**
 * Reports a future's exception that nobody ever looked at: asyncio's "Task exception was
 * never retrieved" (its {@code Future.__del__} with {@code __log_traceback}).
 *
 * <p>How this works: when a future finishes with an exception, {@link #watch} registers this
 * small state object with a {@link Cleaner} against the future; the state holds the loop,
 * the exception and the future's name, never the future itself, so the future can still be
 * collected. {@link Future#result()}, {@link Future#exception()} and {@code await} mark the
 * state retrieved. If the future is collected unretrieved, the cleaner thread hands the
 * report to the loop's exception handler: through {@code callSoonThreadsafe} while the loop
 * runs, else directly on the cleaner thread (the loop may be idle or closed by then, and a
 * report must never be dropped).
 */
final class NeverRetrievedReporter implements Runnable {

    private static final Cleaner CLEANER = Cleaner.create(
            r -> Thread.ofPlatform().daemon().name("jasyncio-never-retrieved").unstarted(r));

    private final EventLoop loop;
    private final Throwable exception;
    private final boolean isTask;
    private final String name;
    private volatile boolean retrieved;

    private NeverRetrievedReporter(EventLoop loop, Throwable exception, boolean isTask, String name) {
        this.loop = loop;
        this.exception = exception;
        this.isTask = isTask;
        this.name = name;
    }

    /** Starts watching {@code future}, which just finished with {@code exception}. */
    static NeverRetrievedReporter watch(Future<?> future, Throwable exception) {
        boolean isTask = future instanceof Task<?>;
        String name = isTask ? ((Task<?>) future).getName() : future.getClass().getSimpleName();
        NeverRetrievedReporter r = new NeverRetrievedReporter(future.loop, exception, isTask, name);
        CLEANER.register(future, r);
        return r;
    }

    /** The exception was seen by someone: nothing to report. */
    void retrieved() {
        retrieved = true;
    }

    @Override
    public void run() {
        if (retrieved) {
            return;
        }
        String what = isTask ? "Task" : "Future";
        ExceptionContext context = ExceptionContext.of(what + " exception was never retrieved\n"
                + what.toLowerCase() + ": " + (isTask ? "Task[" + name + " finished exception=" + exception + "]"
                : name + "[finished exception=" + exception + "]"), exception);
        if (loop.isRunning()) {
            try {
                loop.callSoonThreadsafe(() -> loop.callExceptionHandler(context));
                return;
            } catch (IllegalStateException closedMeanwhile) {
                // fall through: report it here
            }
        }
        loop.callExceptionHandler(context);
    }
}
