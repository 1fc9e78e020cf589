package org.jasyncio;

/**
 * A callback scheduled on an {@link EventLoop}: asyncio's {@code Handle}, returned by
 * {@link EventLoop#callSoon(Runnable)}. {@link #cancel()} stops it from running if it has not
 * run yet.
 */
public non-sealed class Handle implements ReadyItem {

    private final Runnable callback;
    final EventLoop loop;
    boolean cancelled;
    /** The context values captured when it was scheduled; the loop runs it in a copy. */
    ContextMap values = ContextMap.EMPTY;
    /** An explicit context to run in (entered, so changes stay), or null. */
    Context context;

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        this.callback = callback;
        if (loop.debug) {
            loop.debugging.recordCreationSite(this); // kept beside the handle: out of debug mode a handle has no such field
        }
    }

    /**
     * Cancels the callback: it will not run. Has no effect if it already ran. asyncio's
     * {@code Handle.cancel()}.
     */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Whether the callback was cancelled (it will not run). asyncio's {@code Handle.cancelled()}.
     *
     * @return true if {@link #cancel()} was called
     */
    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback; the loop's {@code runOnce} is the only caller. */
    void run() {
        callback.run();
    }

    /**
     * Runs the callback as the loop's runReady does: in its explicit context, else in a copy
     * of the context captured when it was scheduled (one reused Context object with the
     * captured values swapped in, so no allocation); an exception goes to the loop's handler,
     * except a fatal one ({@link EventLoop#isFatal}), which is rethrown and stops the loop.
     */
    final void runInItsContext() {
        Context explicit = context;
        try {
            if (explicit == null) {
                Context c = loop.callbackContext;
                c.values = values;
                loop.currentContext = c;
                loop.runningHandle = this;
                try {
                    run();
                } finally {
                    loop.runningHandle = null;
                }
            } else {
                loop.currentContext = explicit;
                explicit.enter();
                try {
                    run();
                } finally {
                    explicit.exit();
                }
            }
        } catch (Throwable t) {
            if (EventLoop.isFatal(t)) {
                throw t; // stops the loop: asyncio's Handle._run re-raises SystemExit/KeyboardInterrupt
            }
            loop.callExceptionHandler(new ExceptionContext("Exception in callback " + describeCallback(), t,
                    null, null, this));
        }
    }

    /**
     * Called instead of {@link #run()} when the loop closes with this handle still queued (in
     * its thread-safe inbox or its ready queue): a callback that promised someone an answer
     * gives it here.
     */
    void dropped() {
    }

    /** What {@link #toString()} names as the callback. */
    Object describeCallback() {
        return callback;
    }

    @Override
    public String toString() {
        StackTraceElement at = loop.debugging.creationSite(this);
        return getClass().getSimpleName() + "[" + (cancelled ? "cancelled " : "") + describeCallback()
                + (at == null ? "" : " created at " + at) + "]";
    }
}
