package org.jasyncio;

import org.jasyncio.internal.Rethrow;
import org.jasyncio.internal.strand.Strand;
import org.jasyncio.internal.strand.StrandBlockedException;

/**
 * The running state of one {@link AsyncGenerator}: its body's strand, the state machine of
 * PEP 525's {@code __anext__}/{@code asend}/{@code athrow}/{@code aclose}, and the
 * {@link Emitter} the body yields through. Package-private; {@link AsyncGenerator} is the
 * object users hold, and this is what the loop's tracking ({@link AsyncGeneratorHooks}) and
 * the finalizer keep, so that the user's object can be garbage-collected.
 *
 * @param <T> the type of the values yielded
 */
final class AsyncGeneratorCore<T> implements Emitter<T> {

    /*
     * Implementation overview.
     *
     * CPython runs an async generator's frame inside the task that awaits __anext__(): an
     * await in the body suspends that task, a yield returns to it without a loop iteration.
     * Here the body runs on a strand of its own (taken from the stepping loop's StrandPool at
     * the first step, given back when the body returns), resumed synchronously by the task
     * that calls anext/asend/athrow/aclose (the consumer), inside that task's step. So the
     * body runs with the consumer as the loop's current task and in its context, exactly as
     * in asyncio.
     *
     * The body's strand suspends for one of two reasons, told apart by `emitted`:
     *   - emit(v): it stores v, sets emitted and suspends its own strand; the consumer's
     *     step() sees emitted and returns v: no loop iteration, as a yield in asyncio;
     *   - an await (any jasyncio suspension, through Suspension): Suspension has recorded
     *     what the consumer task waits on and suspends the innermost strand, the body's;
     *     step() sees no value and passes the suspension on by suspending the consumer's own
     *     strand (the trampoline). When the loop resumes the task, step() resumes the body,
     *     whose Suspension call then returns, delivering a pending cancellation in the body,
     *     at its await, as asyncio throws CancelledError into the generator's frame. The
     *     consumer's step never takes that cancellation itself.
     * A body that returns or throws ends its strand (failure holds what it threw); the
     * generator is then closed for good.
     *
     * State (inspect.getasyncgenstate): CREATED (body not started), SUSPENDED (at an emit),
     * CLOSED (body returned or threw, or closed before it started), and across all of them
     * `running` (CPython's ag_running_async: a call is in progress, including while the body
     * awaits) and `closing` (CPython's ag_closed: aclose() was called). The table of what each
     * call does in each state is CPython 3.13's, checked against the interpreter:
     *   call         CREATED                     SUSPENDED                    CLOSED
     *   anext/asend  start (asend(non-null):     resume; emit returns the     StopAsyncIteration
     *                IllegalArgumentException)   sent value
     *   athrow(e)    throw e, body never runs,   throw e at the emit (but     return null
     *                -> CLOSED                   StopAsyncIteration if
     *                                            `closing`)
     *   aclose       -> CLOSED, body never runs  throw GeneratorExit at the   nothing
     *                                            emit
     * and any call while `running` is IllegalStateException "<call>(): asynchronous generator
     * is already running". After a step the outcome is: a value emitted (returned; for
     * aclose, IllegalStateException "async generator ignored GeneratorExit", and the body
     * stays suspended at that emit), the body returned (StopAsyncIteration; for aclose, done),
     * or it threw (rethrown unchanged; a StopAsyncIterationException becomes
     * IllegalStateException "async generator raised StopAsyncIteration", PEP 479; for aclose,
     * a GeneratorExit counts as done).
     *
     * The first step registers the generator with the stepping loop (AsyncGeneratorHooks,
     * asyncio's firstiter hook); the end of the body unregisters it. A generator may be
     * stepped by any task of any loop afterwards, as in asyncio; `consumer` is the task of the
     * step in progress. On the virtual-thread strand the body runs on its own thread, which
     * binds itself to the stepping loop whenever it resumes.
     */

    private static final byte CREATED = 0;
    private static final byte SUSPENDED = 1;
    private static final byte CLOSED = 2;

    /** What {@link #step} returns when the body returned: the end of the iteration. */
    static final Object EXHAUSTED = new Object();

    private AsyncGenerator.Body<T> body;
    private byte state = CREATED;
    /** CPython's ag_running_async: an anext/asend/athrow/aclose is in progress. */
    private boolean running;
    /** CPython's ag_closed: aclose() was called. */
    private boolean closing;
    private Strand strand;
    /** The loop the generator first ran on, which tracks it; null before its first step. */
    private EventLoop trackingLoop;
    /** What the finalizer needs, once registered; see {@link AsyncGeneratorHooks}. */
    AsyncGeneratorHooks.Finalizer finalizer;

    // The hand-off between the consumer's step and the body, valid while a step runs.
    /** The task whose step is stepping the body, or null between steps. */
    private Task<?> consumer;
    /** True while the body's strand runs (not while it is suspended in an emit or an await). */
    private boolean inBody;
    private Object sent;
    private Throwable toThrow;
    private boolean emitted;
    private T value;
    private Throwable failure;

    AsyncGeneratorCore(AsyncGenerator.Body<T> body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        this.body = body;
    }

    // ------------------------------------------------------------------ the consumer's calls

    /**
     * {@code __anext__()} ({@code send == null}) or {@code asend(send)}; the value, or
     * {@link #EXHAUSTED}. {@code handle} is registered for the finalizer at the first step.
     */
    Object send(Object send, String call, AsyncGenerator<T> handle) {
        Task<?> task = Suspension.currentTask(call + "()");
        if (running) {
            throw alreadyRunning("anext");
        }
        if (state == CLOSED) {
            return EXHAUSTED;
        }
        if (state == CREATED && send != null) {
            throw new IllegalArgumentException("can't send non-None value to a just-started async generator"
                    + " (the first step is anext(), asend(null), or a for-each)");
        }
        return step(task, send, null, false, handle);
    }

    /** {@code athrow(e)}: the next value, {@link #EXHAUSTED}, or null if already closed. */
    Object athrow(Throwable e) {
        if (e == null) {
            throw new NullPointerException("exception");
        }
        Task<?> task = Suspension.currentTask("athrow()");
        if (running) {
            throw alreadyRunning("athrow");
        }
        switch (state) {
            case CREATED -> {
                // Thrown at the very start: the body never runs and the generator is over.
                close();
                throw Rethrow.unchecked(e);
            }
            case CLOSED -> {
                return null;
            }
            default -> {
                if (closing) {
                    return EXHAUSTED; // suspended after ignoring GeneratorExit: CPython refuses
                }
                return step(task, null, e, false, null);
            }
        }
    }

    /** {@code aclose()}; also what {@link AsyncGeneratorHooks} calls at shutdown and in the finalizer. */
    void aclose() {
        Task<?> task = Suspension.currentTask("aclose()");
        if (running) {
            throw alreadyRunning("aclose");
        }
        closing = true;
        switch (state) {
            case CREATED -> close();
            case CLOSED -> {
            }
            default -> step(task, null, new GeneratorExit(), true, null);
        }
    }

    /** Whether the body has ended (or never will run). */
    boolean isClosed() {
        return state == CLOSED;
    }

    private static IllegalStateException alreadyRunning(String call) {
        return new IllegalStateException(call + "(): asynchronous generator is already running");
    }

    // ------------------------------------------------------------------ stepping the body

    /**
     * Runs the body until it emits, returns or throws, passing on its awaits. Only the first
     * step, always a send, starts the strand; {@code handle} is the user's object then.
     */
    private Object step(Task<?> task, Object send, Throwable throwIn, boolean closeStep, AsyncGenerator<T> handle) {
        EventLoop loop = task.loop;
        running = true;
        consumer = task;
        sent = send;
        toThrow = throwIn;
        emitted = false;
        try {
            Strand s = strand;
            if (s == null) {
                if (trackingLoop == null) {
                    trackingLoop = loop;
                    AsyncGeneratorHooks.firstIter(loop, this, handle);
                }
                s = loop.strandPool().startNested(this::runBody); // the body sees the stepping task's ThreadLocals
                strand = s;
            }
            while (true) {
                inBody = true;
                Strand outer = task.stepping(s); // what a suspension inside the body suspends
                try {
                    loop.strandPool().resume(s); // the stepping task's loop: its turn passes to the body
                } catch (StrandBlockedException e) {
                    throw loop.strandBlocked(task, e);
                } finally {
                    task.stepping(outer);
                    inBody = false;
                }
                if (s.isDone()) {
                    return finish(loop, s, closeStep);
                }
                if (emitted) {
                    emitted = false;
                    T v = value;
                    value = null;
                    state = SUSPENDED;
                    if (closeStep) {
                        throw new IllegalStateException("async generator ignored GeneratorExit");
                    }
                    return v;
                }
                // The body awaits: what the task waits on is recorded; suspend the task itself.
                task.currentStrand().suspend();
            }
        } finally {
            running = false;
            consumer = null;
            sent = null;
            toThrow = null;
        }
    }

    /** The body's strand: runs the body once, keeping how it ended in {@link #failure}. */
    private void runBody() {
        AsyncGenerator.Body<T> b = body;
        body = null;
        try {
            b.run(this);
        } catch (Throwable t) {
            failure = t;
        }
    }

    private Object finish(EventLoop loop, Strand s, boolean closeStep) {
        Throwable f = failure;
        failure = null;
        strand = null;
        loop.strandPool().recycle(s);
        close();
        if (f == null) {
            return EXHAUSTED;
        }
        if (f instanceof StopAsyncIterationException) {
            throw new IllegalStateException("async generator raised StopAsyncIteration", f);
        }
        if (closeStep && f instanceof GeneratorExit) {
            return EXHAUSTED;
        }
        throw Rethrow.unchecked(f);
    }

    /** The generator is over: it will never run again. */
    private void close() {
        state = CLOSED;
        body = null;
        EventLoop tracking = trackingLoop;
        if (tracking == null) {
            return;
        }
        if (!tracking.isForeignThread()) {
            AsyncGeneratorHooks.finished(tracking, this);
            return;
        }
        // Finished on another loop while the one tracking it runs on its own thread.
        try {
            tracking.callSoonThreadsafe(() -> AsyncGeneratorHooks.finished(tracking, this));
        } catch (IllegalStateException closed) {
            // That loop is closed: it tracks nothing any more.
        }
    }

    // ------------------------------------------------------------------ the body's side

    @Override
    public Object emit(T v) {
        Task<?> task = consumer;
        if (!inBody || task == null || !task.loop.inEventLoop() || task.loop.currentTask != task) {
            throw new IllegalStateException("emit() was called outside the running body of its async generator"
                    + " (from a callback, another task or thread, or after the body returned); only the body,"
                    + " at any depth of its own calls, may emit");
        }
        value = v;
        emitted = true;
        task.currentStrand().suspend(); // this body's strand: the task is stepping it
        // Resumed by the next step, maybe of another task, maybe on another loop.
        Throwable t = toThrow;
        if (t != null) {
            toThrow = null;
            throw Rethrow.unchecked(t);
        }
        Object s = sent;
        sent = null;
        return s;
    }

    @Override
    public String toString() {
        String s = running ? "running" : switch (state) {
            case CREATED -> "created";
            case SUSPENDED -> "suspended";
            default -> "closed";
        };
        return "AsyncGenerator@" + Integer.toHexString(System.identityHashCode(this)) + "[" + s + "]";
    }
}
