package org.jasyncio;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports a future's exception that nobody ever looked at: asyncio's "Task exception was
 * never retrieved" (its {@code Future.__del__} with {@code __log_traceback}).
 */
final class NeverRetrievedReporter implements Runnable {

    /*
     * Implementation overview.
     *
     * When a future finishes with an exception, watch() registers this small state object with
     * a Cleaner against the future; the state holds the loop, the exception and the future's
     * name, never the future itself, so the future can still be collected.
     *
     * Retrieval (Future.result(), exception(), await, a task's wake-up) calls retrieved(),
     * which also cleans the registration at once (Cleanable.clean(): run() sees `retrieved`
     * and does nothing): the Cleaner then no longer holds this object, so a retrieved
     * exception and its stack trace are reachable only through the future, not until the
     * cleaner thread gets round to the collected future.
     *
     * If the future is collected unretrieved, run() executes on the cleaner thread and never
     * calls the user's handler there while the loop may still run its own code: unless the
     * loop is closed, the report goes to the loop through its thread-safe inbox (as
     * callSoonThreadsafe), so it reaches the handler on the loop, at once if the loop runs,
     * else when it next runs. Only a closed loop is reported to directly, on the cleaner
     * thread; and a report still in the inbox when the loop closes is delivered by close()
     * (Handle.dropped()). Either way no report is ever dropped.
     */

    private static final Cleaner CLEANER = Cleaner.create(
            r -> Thread.ofPlatform().daemon().name("jasyncio-never-retrieved").unstarted(r));

    private final EventLoop loop;
    private final Throwable exception;
    private final boolean isTask;
    private final String name;
    /** Where the future was created, in debug mode; else null. */
    private final StackTraceElement createdAt;
    private volatile boolean retrieved;
    /** The registration with the Cleaner; set once by {@link #watch}. */
    private Cleaner.Cleanable registration;

    private NeverRetrievedReporter(EventLoop loop, Throwable exception, boolean isTask, String name,
                                   StackTraceElement createdAt) {
        this.loop = loop;
        this.exception = exception;
        this.isTask = isTask;
        this.name = name;
        this.createdAt = createdAt;
    }

    /** Starts watching {@code future}, which just finished with {@code exception}. */
    static NeverRetrievedReporter watch(Future<?> future, Throwable exception) {
        boolean isTask = future instanceof Task<?>;
        String name = isTask ? ((Task<?>) future).getName() : future.getClass().getSimpleName();
        NeverRetrievedReporter r = new NeverRetrievedReporter(future.loop, exception, isTask, name, future.createdAt());
        r.registration = CLEANER.register(future, r);
        future.loop.unretrieved.add(r);
        return r;
    }

    /**
     * The exception was seen by someone: nothing to report, and nothing to keep. Deregisters
     * from the Cleaner now, so it no longer holds the exception.
     */
    void retrieved() {
        retrieved = true;
        loop.unretrieved.remove(this);
        registration.clean(); // runs run() once, here: it sees `retrieved` and returns
    }

    /**
     * At loop close: reports every exception still never retrieved, now and in the order the
     * futures failed, instead of whenever the collector finds them (if ever).
     */
    static void reportAtClose(EventLoop loop) {
        List<NeverRetrievedReporter> left;
        synchronized (loop.unretrieved) {
            left = new ArrayList<>(loop.unretrieved);
            loop.unretrieved.clear();
        }
        for (NeverRetrievedReporter r : left) {
            if (!r.retrieved) {
                r.retrieved = true;
                r.registration.clean();
                loop.callExceptionHandler(r.context());
            }
        }
    }

    private ExceptionContext context() {
        String what = isTask ? "Task" : "Future";
        return ExceptionContext.of(what + " exception was never retrieved\n"
                + what.toLowerCase() + ": " + (isTask ? "Task[" + name + " finished exception=" + exception + "]"
                : name + "[finished exception=" + exception + "]")
                + (createdAt == null ? "" : " created at " + createdAt), exception);
    }

    @Override
    public void run() {
        if (retrieved) {
            return;
        }
        loop.unretrieved.remove(this);
        ExceptionContext context = context();
        if (!loop.isClosed()) {
            try {
                loop.submitThreadsafe(new Report(loop, context));
                return;
            } catch (IllegalStateException closedMeanwhile) {
                // fall through: a closed loop is reported to directly
            }
        }
        loop.callExceptionHandler(context);
    }

    /** The report on its way to the loop: handled there, or by close() if the loop closes first. */
    private static final class Report extends Handle {
        private final ExceptionContext context;

        Report(EventLoop loop, ExceptionContext context) {
            super(loop, null);
            this.context = context;
        }

        @Override
        void run() {
            loop.callExceptionHandler(context);
        }

        @Override
        void dropped() {
            loop.callExceptionHandler(context); // the loop closed first: report it here
        }

        @Override
        Object describeCallback() {
            return "report of an exception never retrieved";
        }
    }
}
