package org.jasyncio;

import java.util.Objects;
import java.util.concurrent.Callable;
import org.jasyncio.internal.Rethrow;

/**
 * A set of {@link ContextVar} values: Python's {@code contextvars.Context}. Every task runs in
 * its own copy of the context that was current when it was created, and every callback
 * scheduled with {@code callSoon}, {@code callLater} or {@code addDoneCallback} runs in a copy
 * of the context current when it was scheduled (or in the context given explicitly, e.g.
 * {@link EventLoop#callSoon(Runnable, Context)}). {@link Asyncio#toThread} carries a copy to
 * the worker thread.
 *
 * <pre>{@code
 * ContextVar<String> user = new ContextVar<>("user");
 * Context ctx = Context.copyContext();
 * ctx.run(() -> user.set("alice"));   // changes ctx only
 * ctx.run(() -> user.get());          // "alice"; outside ctx, user has no value
 * }</pre>
 */
public final class Context {

    /*
     * Implementation overview.
     *
     * A context holds an immutable ContextMap; ContextVar.set replaces it, so a copy
     * is just a new Context sharing the map. The current context lives in the running
     * loop's currentContext field while the loop runs a callback or a task step (the loop
     * installs it with one field write; on both strands the same), and elsewhere in a per-thread
     * slot. This replaces ThreadLocals, which all tasks of a loop share on the continuation strand.
     * Suspending (await) inside run is not supported, as in Python, where
     * Context.run only takes plain functions.
     */

    private static final ThreadLocal<Context> THREAD = ThreadLocal.withInitial(Context::new);

    /** The current mapping; replaced (never mutated) by each set. */
    ContextMap values;
    private boolean entered;

    /** Creates an empty context. Python's {@code contextvars.Context()}. */
    public Context() {
        this(ContextMap.EMPTY);
    }

    Context(ContextMap values) {
        this.values = values;
    }

    /**
     * A copy of the current context: later sets in either do not show in the other. Python's
     * {@code contextvars.copy_context()}.
     *
     * @return the copy
     */
    public static Context copyContext() {
        return new Context(current().values);
    }

    /** The context code on this thread runs in now. */
    static Context current() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null) {
            Context c = loop.currentContext;
            if (c != null) {
                return c;
            }
        }
        return THREAD.get();
    }

    /**
     * Who runs in {@code c} now. The loop reuses one Context object for every callback and one
     * for every task step that has no Context of its own, so the object alone does not say
     * whose context it is: for those it is the running task or callback handle.
     */
    static Object owner(Context c) {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null) {
            if (c == loop.taskContext) {
                return loop.currentTask;
            }
            if (c == loop.callbackContext) {
                return loop.runningHandle;
            }
        }
        return c;
    }

    /** This thread's own context, used where no loop callback or task step is running. */
    static Context threadContext() {
        return THREAD.get();
    }

    /**
     * Makes {@code c} this thread's own context: a loop moved onto a virtual thread
     * ({@link VirtualLoopThread}) runs in its caller's, which waits meanwhile.
     */
    static void adoptThreadContext(Context c) {
        THREAD.set(c);
    }

    /**
     * Runs {@code body} in this context: {@link ContextVar} reads and sets inside it see and
     * change this context, and the previous context is current again afterwards. Python's
     * {@code Context.run(callable)}.
     *
     * @param body what to run
     * @throws NullPointerException  if {@code body} is null
     * @throws IllegalStateException if this context is already entered (a context cannot be
     *                               entered twice at once, as in Python)
     */
    public void run(Runnable body) {
        Objects.requireNonNull(body, "body");
        run(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Like {@link #run(Runnable)}, returning {@code body}'s result; its exception is rethrown
     * unchanged, checked ones included.
     *
     * @param <T>  the result type
     * @param body what to run
     * @return its result
     * @throws NullPointerException  if {@code body} is null
     * @throws IllegalStateException if this context is already entered
     */
    public <T> T run(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        enter();
        EventLoop loop = EventLoop.runningOrNull();
        Context previous;
        if (loop != null && loop.currentContext != null) {
            previous = loop.currentContext;
            loop.currentContext = this;
        } else {
            loop = null;
            previous = THREAD.get();
            THREAD.set(this);
        }
        try {
            return body.call();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        } finally {
            if (loop != null) {
                loop.currentContext = previous;
            } else {
                THREAD.set(previous);
            }
            exit();
        }
    }

    /** Marks the context entered; the loop does this for an explicit-context callback. */
    void enter() {
        if (entered) {
            throw new IllegalStateException("cannot enter context: " + this + " is already entered");
        }
        entered = true;
    }

    void exit() {
        entered = false;
    }

    /**
     * The value of {@code var} in this context, without entering it. Python's
     * {@code ctx[var]} / {@code ctx.get(var)}.
     *
     * @param <T> the variable's type
     * @param var the variable
     * @return its value here, or null if it has none in this context (defaults are not used)
     * @throws NullPointerException if {@code var} is null
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var) {
        Objects.requireNonNull(var, "var");
        Object v = values.get(var);
        return v == ContextMap.MISSING ? null : (T) v;
    }

    /**
     * Python's {@code var in ctx}.
     *
     * @param var the variable
     * @return true if {@code var} has a value in this context
     * @throws NullPointerException if {@code var} is null
     */
    public boolean containsKey(ContextVar<?> var) {
        Objects.requireNonNull(var, "var");
        return values.get(var) != ContextMap.MISSING;
    }

    /**
     * Python's {@code len(ctx)}.
     *
     * @return how many variables have a value in this context
     */
    public int size() {
        return values.size();
    }

    @Override
    public String toString() {
        return "Context" + values;
    }
}
