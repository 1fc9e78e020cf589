package org.jasyncio;

import java.util.concurrent.atomic.AtomicInteger;
import org.jasyncio.internal.UserFrames;
import org.jasyncio.internal.strand.Strand;
import org.jasyncio.internal.strand.StrandBlockedException;
import org.jasyncio.internal.strand.Strands;

/**
 * A coroutine scheduled on a loop: asyncio's {@code Task}, a {@link Future} that completes
 * with the coroutine's result. Create one with {@link Asyncio#createTask(Coroutine)}; its
 * first step runs on the next loop iteration.
 *
 * <pre>{@code
 * Task<Integer> t = Asyncio.createTask(() -> { Asyncio.sleep(1); return 42; }, "answer");
 * int v = t.await();
 * }</pre>
 *
 * <p>Cancellation: {@link #cancel()} asks the task to stop. It is delivered as a
 * {@link CancelledError} thrown at the point where the task is suspended (or at its start, if
 * it has not started). The task may catch it, clean up and rethrow; or finish normally, which
 * suppresses the cancellation (then it should call {@link #uncancel()}).
 *
 * <p>Threads: {@link #cancel()} and {@link #cancel(String)} are safe from any thread (they
 * hand the cancellation to the loop and wake it); the rest is loop-only, as for
 * {@link Future}.
 *
 * @param <T> the result type
 */
public non-sealed class Task<T> extends Future<T> implements ReadyItem {

    /*
     * Implementation overview.
     *
     * This is asyncio's Task.__step/__wakeup with a stackful strand in place of a
     * generator. step resumes the strand; the coroutine runs until it suspends through
     * Suspension or returns. On suspension, waitingOn says why:
     *   waitingOn  meaning                   step then
     *   null       bare yield (sleep(0))     queues itself in the loop's ready queue
     *   a future   await                     adds itself as the future's done callback; if a
     *                                        cancel arrived during the step, cancels that future
     * The wake-up runs as a done callback (so one iteration after the future completes) and
     * calls step directly, like CPython's __wakeup. A cancel request cancels the
     * future waited on; if that is not possible, mustCancel makes the next step deliver a
     * CancelledError instead of resuming normally. The strand is taken from the loop's
     * org.jasyncio.internal.strand.StrandPool at the first step and given back when the
     * coroutine returns, so a task cancelled before it starts never needs one, and most tasks run
     * on a strand an earlier task finished with.
     */

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * What the task runs: a {@link Coroutine}, or (when {@link #runnable}) an
     * {@link AsyncRunnable} run as one, with no adapter object per task; null once done.
     */
    private Object coroutine;
    /** Whether {@link #coroutine} is an AsyncRunnable (a class may implement both interfaces). */
    private boolean runnable;
    private Strand strand;
    private String name;
    /**
     * The N of the default name {@code Task-N}, drawn at creation, read as unsigned (four
     * billion names before they repeat); the string is built on demand.
     */
    private final int number;
    private int cancelRequests;
    private boolean mustCancel;
    /** The future this task waits on while suspended in an await, else null. */
    Future<?> waitingOn;
    /** Set while cancel() forwards to waitingOn: a second cancel() meanwhile came round a cycle. */
    private boolean forwardingCancel;
    // The pending cancellation to throw on resumption lives in Future.cancelledError, the
    // outcome of the finished coroutine in Future.result/exception until step() completes it.
    /**
     * The context every step runs in: a {@link Context} given explicitly or made on demand by
     * {@link #getContext()}; until then just the {@link ContextMap} of the task's copy of its
     * creator's values, and each step runs in the loop's reusable task context holding them
     * (a task costs no Context object of its own).
     */
    private Object context;
    /**
     * The task's ThreadLocal state between its steps (opaque, see StrandPool.resume): from
     * creation, the InheritableThreadLocal values it inherits from the code that created it,
     * copied as a thread's are; on the continuation strand then the maps its steps made. Null
     * while there is none: most tasks never use a ThreadLocal.
     */
    private Object threadLocals;

    // The loop's intrusive list of pending tasks.
    Task<?> prevTask;
    Task<?> nextTask;

    Task(EventLoop loop, Coroutine<T> coroutine, String name) {
        this(loop, coroutine, name, null);
    }

    Task(EventLoop loop, Coroutine<T> coroutine, String name, Context context) {
        this(loop, coroutine, false, name, context);
    }

    /** A task running {@code body}, which returns nothing: {@code createTask(AsyncRunnable)}. */
    static Task<Void> ofRunnable(EventLoop loop, AsyncRunnable body, String name) {
        return new Task<>(loop, body, true, name, null);
    }

    private Task(EventLoop loop, Object coroutine, boolean runnable, String name, Context context) {
        super(loop);
        if (coroutine == null) {
            throw new NullPointerException("coro"); // the parameter's name in every public createTask
        }
        loop.checkOwner();
        this.context = context != null ? context : loop.capturedValues();
        this.threadLocals = Strands.inheritLocals();
        this.coroutine = coroutine;
        this.runnable = runnable;
        this.name = name;
        // Drawn now, not when the name is first asked for: default names must number tasks
        // in creation order, as asyncio's do.
        this.number = name == null ? COUNTER.incrementAndGet() : 0;
        LoopEvents.taskCreated(this);
        loop.register(this);
        if (loop.eagerTasks && loop.isRunning()) {
            eagerStart();
        } else {
            loop.schedule(this);
        }
    }

    /**
     * asyncio's eager start ({@code eager_task_factory}): the first step runs now, inside
     * {@code createTask}, with this task as the current one; the creator resumes when it
     * first suspends or finishes.
     */
    private void eagerStart() {
        Task<?> creator = loop.currentTask;
        loop.currentTask = null;
        try {
            step();
        } finally {
            loop.currentTask = creator;
        }
    }

    /**
     * The task's name, for {@code toString} and debugging. asyncio's {@code get_name()}.
     *
     * @return the name given at creation, or {@code Task-N}
     */
    public String getName() {
        String n = name;
        if (n == null) {
            n = "Task-" + Integer.toUnsignedString(number);
            name = n;
        }
        return n;
    }

    /** The name, without caching the default one: safe from the debug-mode watchdog's thread. */
    String nameForReport() {
        String n = name;
        return n != null ? n : "Task-" + Integer.toUnsignedString(number);
    }

    /** The thread running this task's step while it runs, if not the loop's (the virtual strand), else null. */
    Thread stepThread() {
        Strand s = currentStrand();
        return s == null ? null : s.thread();
    }

    /**
     * The strand running this task's code now: an async generator's body while this task steps
     * it, else the task's own. What a suspension of this task suspends.
     */
    Strand currentStrand() {
        Strand s = strand;
        return s == null ? null : s.innermost();
    }

    /**
     * Records that this task now steps {@code inner}, an async generator's body (null: no more),
     * and returns what was recorded before. Only inside this task's step.
     */
    Strand stepping(Strand inner) {
        return strand.stepping(inner);
    }

    /**
     * Renames the task; null becomes the string {@code "null"}, as asyncio's {@code str(name)}.
     * asyncio's {@code set_name()}.
     *
     * @param name the new name
     */
    public void setName(String name) {
        this.name = String.valueOf(name);
        Strand s = strand;
        if (s != null && s.ownsThread()) {
            s.nameThread(this.name);
        }
    }

    /**
     * The coroutine this task runs. asyncio's {@code get_coro()}.
     *
     * @return the coroutine, or null once the task is done
     */
    @SuppressWarnings("unchecked")
    public Coroutine<T> getCoro() {
        Object c = coroutine;
        if (runnable && c != null) {
            // Made on demand and kept: an AsyncRunnable task has no adapter until asked for one.
            c = Coroutines.of((AsyncRunnable) c);
            coroutine = c;
            runnable = false;
        }
        return (Coroutine<T>) c;
    }

    /**
     * Requests cancellation; see the class comment. asyncio's {@code Task.cancel(msg)}.
     *
     * @param message the message the {@link CancelledError} carries, or null
     * @return false if the task is already done
     */
    @Override
    public boolean cancel(String message) {
        if (loop.isForeignThread()) {
            return cancelFromOtherThread(message);
        }
        if (done()) {
            return false;
        }
        cancelRequests++;
        Future<?> w = waitingOn;
        if (w != null && forwardingCancel) {
            // A cycle of tasks awaiting each other led the cancellation back here (asyncio
            // recurses until RecursionError). Break it: this task stops waiting and resumes
            // with the CancelledError; the tasks awaiting it then see it done.
            if (w.removeWakeup(this)) {
                mustCancel = true;
                cancelMessage = message;
                loop.schedule(this);
                return true;
            }
        } else if (w != null) {
            forwardingCancel = true;
            try {
                if (w.cancel(message)) {
                    // Keep waitingOn: if it is a task that ignores the cancellation, cancel() may
                    // be asked again and must reach it again (asyncio leaves _fut_waiter in place too).
                    return true;
                }
            } finally {
                forwardingCancel = false;
            }
        }
        mustCancel = true;
        cancelMessage = message;
        return true;
    }

    /**
     * Decrements the count of pending cancellation requests; when it reaches zero, a
     * cancellation not yet delivered is withdrawn. asyncio's {@code Task.uncancel()}.
     *
     * @return the remaining count
     */
    public int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
            }
        }
        return cancelRequests;
    }

    /**
     * How many cancellation requests are pending: each {@code cancel()} of a pending task adds
     * one, each {@link #uncancel()} withdraws one. asyncio's {@code Task.cancelling()}.
     *
     * @return the number of cancellation requests not yet withdrawn by {@link #uncancel()}
     */
    public int cancelling() {
        return cancelRequests;
    }

    /**
     * Tasks complete only through their coroutine. asyncio raises for this too.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("Task does not support setResult(); its coroutine sets the result");
    }

    /**
     * Tasks complete only through their coroutine. asyncio raises for this too.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setException(Throwable exception) {
        throw new UnsupportedOperationException("Task does not support setException(); its coroutine raises");
    }

    /**
     * The context this task's steps run in. asyncio's {@code Task.get_context()}.
     *
     * @return the task's context
     */
    public Context getContext() {
        if (context instanceof Context own) {
            return own;
        }
        boolean inOwnStep = loop.currentTask == this && loop.currentContext == loop.taskContext;
        // During its own step the live values are in the loop's shared task context.
        Context c = new Context(inOwnStep ? loop.taskContext.values : (ContextMap) context);
        context = c;
        if (inOwnStep) {
            loop.currentContext = c; // the rest of this step runs in the task's own context
        }
        return c;
    }

    /**
     * The stack where this task is suspended, or an empty array if it is running, done or
     * has not started.
     *
     * @return the suspended stack
     */
    public StackTraceElement[] getStack() {
        Strand s = strand;
        return s == null || done() ? new StackTraceElement[0] : s.suspendedStack();
    }

    /**
     * The stack of this task while it runs, read from another thread (a dump of a stuck
     * loop): its strand's thread, or the loop thread that runs the continuation.
     */
    StackTraceElement[] runningStack() {
        Strand s = strand;
        StackTraceElement[] stack = s == null ? new StackTraceElement[0] : s.runningStack();
        Thread loopThread = loop.thread();
        return stack.length > 0 || loopThread == null ? stack : loopThread.getStackTrace();
    }

    /** Whether the first step ran (the task has a strand), for task dumps. */
    boolean started() {
        return strand != null;
    }

    // ---------------------------------------------------------------- the step machinery

    /** Runs the next step; the loop's {@code runOnce} calls it for a task in its ready queue. */
    void step() {
        if (done()) {
            return;
        }
        EventLoop loop = this.loop;
        if (mustCancel) {
            mustCancel = false;
            cancelledError = new CancelledError(cancelMessage); // the cancellation to throw on resumption
        }
        Future<?> awaited = waitingOn;
        if (awaited != null) {
            // A wake-up. asyncio's __wakeup reads future.result() even when a pending cancel
            // then wins, so the awaited future's exception counts as retrieved.
            waitingOn = null;
            awaited.markRetrieved();
        }
        Strand s = strand;
        if (s == null) {
            if (cancelledError != null) {
                // Cancelled before its first step: the coroutine never starts (asyncio throws
                // CancelledError into the unstarted coroutine, with the same result).
                finishCancelled(takePendingThrow());
                return;
            }
            s = loop.strandPool().start(this::body, threadLocals);
            strand = s;
            if (s.ownsThread() && loop.debug) {
                // Debug mode only: renaming a thread per task costs the virtual strand's spawn
                // about as much as the rest of a task's start.
                s.nameThread(getName()); // thread dumps then say which task each strand runs
            }
        }
        Task<?> previous = loop.currentTask;
        if (previous != null) {
            throw new IllegalStateException("Cannot enter into task " + this + " while another task "
                    + previous + " is being executed.");
        }
        loop.currentTask = this;
        Context outer = loop.currentContext;
        ContextMap outerValues = outer == null ? null : outer.values;
        Context own;
        Context shared = null;
        if (context instanceof Context c) {
            own = c;
        } else {
            shared = loop.taskContext;
            shared.values = (ContextMap) context;
            own = shared;
        }
        loop.currentContext = own;
        try {
            threadLocals = loop.strandPool().resume(s, threadLocals);
        } catch (StrandBlockedException e) {
            throw loop.strandBlocked(this, e);
        } finally {
            if (shared != null && !(context instanceof Context)) {
                context = shared.values; // keep what ContextVar.set did in this step
            }
            loop.currentContext = outer;
            if (outer != null) {
                outer.values = outerValues; // an eager child may have used the same reusable context
            }
            loop.currentTask = null;
        }
        if (s.isDone()) {
            finish();
            return;
        }
        Future<?> w = waitingOn;
        if (w == null) {
            loop.schedule(this);
        } else {
            w.addWakeup(this);
            if (mustCancel && w.cancel(cancelMessage)) {
                mustCancel = false;
            }
        }
    }

    /**
     * The strand's body: runs the coroutine and records how it ended in the future's own
     * result/exception fields (the task stays pending until {@code finish} completes it).
     */
    @SuppressWarnings("unchecked")
    private void body() {
        try {
            if (runnable) {
                ((AsyncRunnable) coroutine).run(); // the result stays null
            } else {
                result = ((Coroutine<T>) coroutine).call();
            }
        } catch (Throwable t) {
            exception = t;
        }
    }

    private void finish() {
        Throwable error = exception;
        T value = result;
        exception = null;
        result = null;
        if (error instanceof CancelledError c) {
            finishCancelled(c);
        } else if (error != null) {
            release();
            super.setException(error);
            LoopEvents.taskDone(this, "exception", error);
            if (EventLoop.isFatal(error)) {
                // asyncio's __step: set_exception(exc), then re-raise SystemExit/KeyboardInterrupt
                // out of the loop. The task is done with it first.
                throw (VirtualMachineError) error;
            }
        } else if (mustCancel) {
            // Cancelled right before the coroutine returned: the cancellation wins.
            mustCancel = false;
            release();
            super.cancel(cancelMessage);
            LoopEvents.taskDone(this, "cancelled", null);
        } else {
            release();
            super.setResult(value);
            LoopEvents.taskDone(this, "result", null);
        }
    }

    private void finishCancelled(CancelledError c) {
        release();
        cancelledError = c;
        super.cancel(c.getMessage());
        LoopEvents.taskDone(this, "cancelled", null);
    }

    private void release() {
        loop.unregister(this);
        coroutine = null;
        threadLocals = null;
        Strand s = strand;
        if (s != null) {
            strand = null;
            loop.strandPool().recycle(s);
        }
        waitingOn = null;
    }

    /** Called by {@link Suspension} after the strand resumes: the cancellation to deliver. */
    CancelledError takePendingThrow() {
        CancelledError c = cancelledError;
        cancelledError = null;
        return c;
    }

    private static String describeWaitedOn(Future<?> w) {
        if (w instanceof Task<?> t) {
            return "Task " + t.getName();
        }
        // The stand-ins that label a wait for task dumps were plain futures before, and show so
        // here: toString's text is relied on (task dumps say more: EventLoop.dumpTasks()).
        return w instanceof StandIn || w instanceof Sleep.SleepFuture ? "Future" : w.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Task[").append(getName()).append(' ').append(stateName().toLowerCase());
        appendOutcome(sb);
        if (!done() && cancelRequests > 0) {
            sb.append(" cancelling");
        }
        Future<?> w = waitingOn;
        if (w != null && !done()) {
            sb.append(" waiting on ").append(w == this ? "itself" : describeWaitedOn(w));
        }
        if (!done()) {
            StackTraceElement at = UserFrames.first(getStack());
            if (at != null) {
                sb.append(" at ").append(at);
            }
        }
        appendCreatedAt(sb);
        return sb.append(']').toString();
    }
}
