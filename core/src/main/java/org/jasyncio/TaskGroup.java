package org.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jasyncio.internal.Rethrow;

/**
 * A scope that owns child tasks and does not end before they do: asyncio's
 * {@code asyncio.TaskGroup}. The first child to fail cancels the others, and the group then
 * throws a {@link TaskGroupException} holding every failure that is not a cancellation.
 *
 * <p>Two forms. The <b>lambda form</b> has asyncio's full semantics:
 * <pre>{@code
 * TaskGroup.run(tg -> {
 *     tg.createTask(() -> fetch("a"));
 *     tg.createTask(() -> fetch("b"));
 * });                                   // returns when both are done
 * }</pre>
 * There, a failing child also cancels the body (which sees a {@link CancelledError} at its
 * current suspension point), and an exception thrown by the body cancels the children and
 * joins the group's exceptions, exactly like an exception leaving {@code async with}.
 *
 * <p>The <b>try-with-resources form</b>:
 * <pre>{@code
 * try (TaskGroup tg = new TaskGroup()) {
 *     tg.createTask(() -> fetch("a"));
 *     tg.createTask(() -> fetch("b"));
 * }                                     // close() waits for both
 * }</pre>
 * Java's {@code close()} cannot see an exception thrown by the try body, nor replace it, so
 * this form differs from asyncio in three ways: {@code close()} cancels the children only when
 * the enclosing task is being cancelled ({@link Task#cancelling()} above zero), and otherwise
 * waits for them; a failing child (or {@link #cancel()}) cancels the children but not the
 * body, which runs on until {@code close()}; and if the body threw, Java keeps the body's
 * exception and attaches {@code close()}'s {@code TaskGroupException} to it as suppressed.
 * Prefer the lambda form whenever the body itself may fail or wait long.
 *
 * <p>In both forms: {@code close()} (or the end of {@code run}) waits for every child, even if
 * the enclosing task is cancelled meanwhile; a {@code CancelledError} of the enclosing task is
 * propagated, never swallowed (unless there are failures, which take priority; the task then
 * stays cancelled); adding a task to a group that is shutting down or finished throws
 * {@link IllegalStateException}.
 */
public final class TaskGroup implements AutoCloseable {

    /*
     * Implementation overview.
     *
     * This is asyncio's TaskGroup.__aexit__ on top of cancel/uncancel. A
     * child's done callback records its failure; the first failure cancels every child (the
     * group is then "aborting") and, in the lambda form, cancels the parent task once, recording
     * that it did (parentCancelRequested). Exiting waits on a fresh future completed by
     * the last child's done callback, in a loop, because the parent may be cancelled repeatedly
     * while it waits: a cancellation arriving before the group aborted becomes the cancellation
     * to propagate and aborts the group. At the end the group withdraws its own cancellation of
     * the parent with uncancel(), so only a cancellation that came from outside
     * propagates.
     *
     * States (the flags exiting, aborting, finished), as asyncio's _exiting/_aborting/
     * _tasks-empty:
     *   state     | createTask            | a child fails or cancel()    | the last child ends
     *   open      | adds the child        | -> aborting: cancel children | stays open
     *             |                       |    (lambda form: and parent) |
     *   exiting   | adds the child, unless | -> aborting (as above)      | -> finished
     *   (close or | none is left: then    |                              |
     *   body end) | IllegalStateException |                              |
     *   aborting  | IllegalStateException | records the failure          | -> finished
     *   finished  | IllegalStateException | -                            | -
     * On finished, exit throws TaskGroupException if any child (or the lambda body) failed,
     * else rethrows an outside CancelledError, else returns (also when the body ended with the
     * group's own cancellation of the parent, from a child's failure or cancel()). cancel()
     * is a no-op while aborting or once finished.
     */

    /**
     * The body of the lambda form, returning a value.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs the body; it may create tasks in {@code tg} and suspend.
         *
         * @param tg the group
         * @return the result of {@link TaskGroup#call}
         * @throws Exception any failure; it cancels the children and joins the group's exceptions
         */
        T call(TaskGroup tg) throws Exception;
    }

    /** The body of the lambda form, returning nothing. */
    @FunctionalInterface
    public interface VoidBody {
        /**
         * Runs the body; it may create tasks in {@code tg} and suspend.
         *
         * @param tg the group
         * @throws Exception any failure; it cancels the children and joins the group's exceptions
         */
        void run(TaskGroup tg) throws Exception;
    }

    private final EventLoop loop;
    private final Task<?> parent;
    private final boolean lambdaForm;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final Consumer<Future<?>> onTaskDone = this::onTaskDone;
    private Throwable baseError;
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    private boolean finished;
    private Future<Void> onCompleted;

    /**
     * Opens a group in the current task: the try-with-resources form (see the class comment
     * for how it differs from asyncio). asyncio's {@code async with TaskGroup() as tg}.
     *
     * @throws IllegalStateException outside a task
     */
    public TaskGroup() {
        this(false);
    }

    private TaskGroup(boolean lambdaForm) {
        this.parent = Suspension.currentTask("new TaskGroup()");
        this.loop = parent.loop;
        this.lambdaForm = lambdaForm;
        AwaitGraph.groupOpened(this);
    }

    /** The task that owns the group: the children are awaited by it (asyncio 3.14's awaited_by). */
    Task<?> parent() {
        return parent;
    }

    /** The children not done yet. */
    Set<Task<?>> children() {
        return tasks;
    }

    /**
     * Runs {@code body} with a new group and returns when it and every child task are done,
     * with asyncio's full {@code async with TaskGroup()} semantics (see the class comment).
     *
     * @param body the body
     * @throws TaskGroupException if a child or the body failed
     * @throws CancelledError     if the enclosing task was cancelled
     */
    public static void run(VoidBody body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        call(tg -> {
            body.run(tg);
            return null;
        });
    }

    /**
     * Like {@link #run(VoidBody)}, for a body that returns a value.
     *
     * @param <T>  the result type
     * @param body the body
     * @return the body's result, once every child is done
     * @throws TaskGroupException if a child or the body failed
     * @throws CancelledError     if the enclosing task was cancelled
     */
    public static <T> T call(Body<T> body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        TaskGroup tg = new TaskGroup(true);
        T value = null;
        Throwable bodyError = null;
        try {
            value = body.call(tg);
        } catch (Throwable t) {
            bodyError = t;
        }
        Throwable out = tg.exit(bodyError, bodyError != null);
        if (out != null) {
            throw Rethrow.unchecked(out);
        }
        return value;
    }

    /**
     * Creates a child task. asyncio's {@code TaskGroup.create_task(coro)}.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return the task
     * @throws IllegalStateException if the group is shutting down or finished
     */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return createTask(coro, null);
    }

    /**
     * Creates a named child task. asyncio's {@code TaskGroup.create_task(coro, name=)}.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @param name the name, or null for the default
     * @return the task
     * @throws IllegalStateException if the group is shutting down or finished
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        if (coro == null) {
            throw new NullPointerException("coro");
        }
        if (finished || exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down");
        }
        Task<T> task = loop.createTask(coro, name);
        // Even an eager task that already finished goes through its done callback, so that its
        // failure cancels the creator at its next suspension, not inside createTask (CPython
        // gh-128550).
        tasks.add(task);
        task.addDoneCallback(onTaskDone);
        if (aborting && !task.done()) {
            // An eager task's first step aborted the group before it joined (CPython gh-155418).
            task.cancel();
        }
        return task;
    }

    /**
     * {@link #createTask(Coroutine)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @return the task
     */
    public Task<Void> createTask(AsyncRunnable coro) {
        return createTask(Coroutines.of(coro), null);
    }

    /**
     * {@link #createTask(AsyncRunnable)} with a name.
     *
     * @param coro the coroutine
     * @param name the name
     * @return the task
     */
    public Task<Void> createTask(AsyncRunnable coro, String name) {
        return createTask(Coroutines.of(coro), name);
    }

    /**
     * Cancels the group: every child not yet done is cancelled and, in the lambda form, so is
     * the body, which sees a {@link CancelledError} at its current suspension point (or at
     * the next one, if the body itself calls this). The group then ends <em>without</em>
     * throwing for that cancellation: {@link #run} returns, {@link #call} returns null if the
     * body did not get to return its value. Failures of children (other than their
     * cancellation) still end the group with a {@link TaskGroupException}; a cancellation of
     * the enclosing task that came from elsewhere still propagates. Creating a task in a
     * cancelled group throws {@link IllegalStateException}, as in an aborting one. Calling it
     * again, or once the group has finished, does nothing. It may be called by the body, by a
     * child, or by any other task of the loop. asyncio 3.15's {@code TaskGroup.cancel()}
     * (gh-108951).
     *
     * <p>In the try-with-resources form only the children are cancelled: the body runs on
     * until {@link #close()}, which waits for them and returns normally (Java's
     * {@code close()} could not keep a {@code CancelledError} thrown by the try body from
     * propagating).
     *
     * <p>asyncio's {@code cancel()} before {@code async with} enters the group cancels it on
     * entry; a jasyncio group is entered when it is made, so there is no such state.
     * Loop-only, like the rest of the group.
     *
     * @throws IllegalStateException if called from another thread than the loop's
     */
    public void cancel() {
        loop.checkThread("TaskGroup.cancel()");
        if (finished || exiting && tasks.isEmpty() || aborting) {
            return;
        }
        abort();
        if (lambdaForm && !parentCancelRequested) {
            // exit() withdraws this with uncancel(), so it does not propagate.
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    /**
     * Waits for every child task; the end of the try-with-resources form. If the enclosing
     * task is being cancelled, the children are cancelled first. See the class comment for
     * how this form differs from asyncio's.
     *
     * @throws TaskGroupException if children failed
     * @throws CancelledError     if the enclosing task was cancelled while waiting
     */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        if (loop.currentTask != parent) {
            throw new IllegalStateException("TaskGroup.close() must be called by the task that created the group, "
                    + parent + "; it was called by " + loop.currentTask);
        }
        // close() cannot see the body's exception; a pending cancellation of the enclosing task
        // stands for the CancelledError that is most likely unwinding the body.
        boolean cancelled = parent.cancelling() > (parentCancelRequested ? 1 : 0);
        Throwable out = exit(cancelled ? new CancelledError() : null, false);
        if (out != null) {
            throw Rethrow.unchecked(out);
        }
    }

    /**
     * asyncio's {@code TaskGroup._aexit}: waits for the children and returns what the scope
     * must end with, or null. {@code rethrowBodyError} is false in the try form, whose body
     * exception is not ours to throw.
     */
    private Throwable exit(Throwable exc, boolean rethrowBodyError) {
        exiting = true;
        try {
            if (exc != null && isBaseError(exc) && baseError == null) {
                baseError = exc;
            }
            CancelledError propagateCancellation = rethrowBodyError && exc instanceof CancelledError c ? c : null;
            CancelledError pendingCancellation = null;
            if (exc != null && !aborting) {
                abort();
            }
            while (!tasks.isEmpty()) {
                if (onCompleted == null) {
                    onCompleted = new StandIn<>(loop, () -> "TaskGroup exit, waiting for " + AwaitGraph.names(tasks),
                            () -> AwaitGraph.pending(tasks));
                }
                try {
                    onCompleted.await();
                } catch (CancelledError ex) {
                    pendingCancellation = ex;
                    if (!aborting) {
                        // The enclosing task is cancelled while the children still run.
                        propagateCancellation = ex;
                        abort();
                    }
                }
                onCompleted = null;
            }
            if (baseError != null) {
                // The fatal error propagates alone: report the others rather than lose them
                // (CPython gh-135736).
                for (Throwable other : errors) {
                    if (other != baseError) {
                        loop.callExceptionHandler(new ExceptionContext("TaskGroup task exception was not propagated"
                                + " because the TaskGroup is being closed with a fatal error", other, null, null, null));
                    }
                }
                return baseError == exc && !rethrowBodyError ? null : baseError;
            }
            if (parentCancelRequested) {
                if (parent.uncancel() == 0) {
                    // Only our own cancellation was pending: it must not propagate.
                    propagateCancellation = null;
                } else if (propagateCancellation == null) {
                    // The cancellation left is not ours: do not drop it (CPython gh-155433).
                    propagateCancellation = pendingCancellation;
                }
            }
            if (propagateCancellation != null && errors.isEmpty()) {
                return propagateCancellation;
            }
            if (rethrowBodyError && exc != null && !(exc instanceof CancelledError)) {
                errors.add(exc);
            }
            if (!errors.isEmpty()) {
                if (parent.cancelling() > 0) {
                    // Cancelled from outside too: keep the count stable, and the task cancelled.
                    parent.uncancel();
                    parent.cancel();
                }
                return new TaskGroupException("unhandled errors in a TaskGroup", errors);
            }
            // Left here: no failure, and no cancellation to propagate. A body that ended with
            // the group's own cancellation (cancel()) ends normally: asyncio 3.15's __aexit__
            // returns True here.
            return null;
        } finally {
            finished = true;
            AwaitGraph.groupClosed(this);
        }
    }

    private static boolean isBaseError(Throwable t) {
        // asyncio lets SystemExit and KeyboardInterrupt through unwrapped; the JVM's
        // equivalents are its fatal errors.
        return t instanceof VirtualMachineError;
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    private void onTaskDone(Future<?> f) {
        Task<?> task = (Task<?>) f;
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.done()) {
            onCompleted.setResult(null);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors.add(exc);
        if (isBaseError(exc) && baseError == null) {
            baseError = exc;
        }
        if (parent.done()) {
            loop.callExceptionHandler(new ExceptionContext("Task " + task + " has errored out but its parent task "
                    + parent + " is already completed", exc, task, task, null));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            abort();
            if (lambdaForm) {
                // Interrupt the body wherever it waits; exit() withdraws this with uncancel().
                parentCancelRequested = true;
                parent.cancel();
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TaskGroup[");
        sb.append(finished ? "finished" : aborting ? "aborting" : exiting ? "exiting" : "entered");
        if (!tasks.isEmpty()) {
            sb.append(" tasks=").append(tasks.size());
        }
        if (!errors.isEmpty()) {
            sb.append(" errors=").append(errors.size());
        }
        return sb.append(']').toString();
    }
}
