package org.jasyncio;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jasyncio.internal.Rethrow;

/**
 * A result that will exist later: asyncio's {@code Future}. A future is pending until
 * {@link #setResult}, {@link #setException} or {@link #cancel()} makes it done; then its done
 * callbacks are scheduled on its loop with {@code callSoon} (never run inline), in the order
 * they were added.
 *
 * <pre>{@code
 * Future<String> box = new Future<>();                  // bound to the running loop
 * loop.callLater(1.0, () -> box.setResult("pizza"));
 * String pizza = box.await();                           // suspends this task for ~1 s
 * }</pre>
 *
 * <p>Threads: {@link #cancel()} and {@link #cancel(String)} are safe from any thread: from
 * another thread than the loop's they hand the cancellation to the loop, which they wake
 * (as {@code java.util.concurrent.Future.cancel} may be called from anywhere). Every other
 * method is loop-only, as in asyncio: while the loop runs, {@code setResult},
 * {@code setException}, {@code trySetResult}, {@code trySetException},
 * {@code addDoneCallback} and {@code removeDoneCallback} called from another thread throw
 * {@link IllegalStateException} and change nothing (go through
 * {@link EventLoop#callSoonThreadsafe}); {@code done()}, {@code result()} and the other
 * queries read state the loop thread writes, so from another thread they may see it late.
 * {@link #toCompletableFuture()} is the thread-safe view.
 *
 * <p>States: {@code PENDING -> FINISHED} (result or exception) or {@code PENDING -> CANCELLED};
 * a done future never changes again.
 *
 * @param <T> the result type
 */
public non-sealed class Future<T> implements Awaitable<T> {

    static final byte PENDING = 0;
    static final byte CANCELLED = 1;
    static final byte FINISHED = 2;

    final EventLoop loop;
    byte state;
    // Package-private: a running Task keeps its coroutine's outcome here until it completes,
    // and its pending cancel message in cancelMessage (saves three fields per task).
    T result;
    Throwable exception;
    String cancelMessage;
    /**
     * Once cancelled: the CancelledError a task finished with, handed to the first awaiter as
     * it was. While a task is pending: the cancellation to throw at its suspension point when
     * it resumes (asyncio's {@code _must_cancel} turned into an exception by {@code __step}).
     */
    CancelledError cancelledError;
    /**
     * The done callbacks: null, the only one (most futures have exactly one), or a
     * {@link CallbackList} of them in the order they were added. A callback is a
     * {@code Consumer}, or a {@link Task} waiting on this future (its wake-up, stored without
     * a wrapper: the hot path of every await).
     */
    private Object callbacks;
    /** Set while the exception has not been retrieved; reports it if this is collected. */
    private NeverRetrievedReporter unretrieved;

    /**
     * Creates a pending future bound to the running loop, like {@code loop.create_future()}.
     *
     * @throws IllegalStateException if no loop runs on this thread
     */
    public Future() {
        this(requireRunningLoop());
    }

    /**
     * Creates a pending future bound to {@code loop}.
     *
     * @param loop the loop whose callbacks it schedules
     */
    public Future(EventLoop loop) {
        if (loop == null) {
            throw new NullPointerException("loop");
        }
        this.loop = loop;
        if (loop.debug) {
            loop.debugging.recordCreationSite(this); // kept beside the future: out of debug mode it has no such field
        }
    }

    private static EventLoop requireRunningLoop() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop == null) {
            throw new IllegalStateException("new Future() needs a running event loop on this thread;"
                    + " outside one, use loop.createFuture() or new Future<>(loop)");
        }
        return loop;
    }

    /**
     * The loop this future belongs to: its callbacks run there. asyncio's {@code get_loop()}.
     *
     * @return the loop this future is bound to
     */
    public EventLoop getLoop() {
        return loop;
    }

    /**
     * Whether the future is done: it has a result or an exception, or was cancelled.
     * asyncio's {@code done()}.
     *
     * @return true if it has a result, an exception, or was cancelled
     */
    public boolean done() {
        return state != PENDING;
    }

    /**
     * Whether the future was cancelled. asyncio's {@code cancelled()}.
     *
     * @return true if it was cancelled
     */
    public boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * Returns the result, or throws the exception it finished with (unchanged, even a checked
     * one), or a {@link CancelledError} if it was cancelled. asyncio's {@code result()}.
     *
     * @return the result
     * @throws InvalidStateException if it is still pending
     */
    public T result() {
        switch (state) {
            case FINISHED -> {
                if (exception != null) {
                    markRetrieved();
                    throw Rethrow.unchecked(exception);
                }
                return result;
            }
            case CANCELLED -> throw makeCancelledError();
            default -> throw new InvalidStateException("Result is not ready.");
        }
    }

    /**
     * Returns the exception it finished with, or null if it has a result. asyncio's
     * {@code exception()}.
     *
     * @return the exception or null
     * @throws CancelledError        if it was cancelled
     * @throws InvalidStateException if it is still pending
     */
    public Throwable exception() {
        switch (state) {
            case FINISHED -> {
                markRetrieved();
                return exception;
            }
            case CANCELLED -> throw makeCancelledError();
            default -> throw new InvalidStateException("Exception is not set.");
        }
    }

    /**
     * Marks the future done with {@code value} and schedules its callbacks. asyncio's
     * {@code set_result()}.
     *
     * @param value the result
     * @throws InvalidStateException if it is already done
     */
    public void setResult(T value) {
        loop.checkThread("Future.setResult()");
        if (state != PENDING) {
            throw new InvalidStateException("invalid state: " + stateName() + ": cannot set a result on " + this);
        }
        result = value;
        state = FINISHED;
        scheduleCallbacks();
    }

    /**
     * Marks the future done with {@code exception} and schedules its callbacks. asyncio's
     * {@code set_exception()}.
     *
     * @param exception the exception; awaiters get it unchanged
     * @throws InvalidStateException if it is already done
     */
    public void setException(Throwable exception) {
        loop.checkThread("Future.setException()");
        if (exception == null) {
            throw new NullPointerException("exception");
        }
        if (state != PENDING) {
            throw new InvalidStateException("invalid state: " + stateName() + ": cannot set an exception on " + this);
        }
        this.exception = exception;
        state = FINISHED;
        unretrieved = NeverRetrievedReporter.watch(this, exception);
        scheduleCallbacks();
    }

    /**
     * Sets the result unless the future is already done (for instance cancelled meanwhile),
     * in which case it does nothing. asyncio's internal {@code _set_result_unless_cancelled},
     * made public because every waiter that can be cancelled needs it.
     *
     * @param value the result
     * @return true if this call completed the future, false if it was already done
     */
    public boolean trySetResult(T value) {
        loop.checkThread("Future.trySetResult()");
        if (state != PENDING) {
            return false;
        }
        setResult(value);
        return true;
    }

    /**
     * Sets the exception unless the future is already done, in which case it does nothing
     * (and {@code exception} is not reported anywhere).
     *
     * @param exception the exception; awaiters get it unchanged
     * @return true if this call completed the future, false if it was already done
     * @throws NullPointerException if {@code exception} is null
     */
    public boolean trySetException(Throwable exception) {
        loop.checkThread("Future.trySetException()");
        if (exception == null) {
            throw new NullPointerException("exception");
        }
        if (state != PENDING) {
            return false;
        }
        setException(exception);
        return true;
    }

    /** The exception was seen: it will not be reported as never retrieved. */
    final void markRetrieved() {
        NeverRetrievedReporter r = unretrieved;
        if (r != null) {
            unretrieved = null;
            r.retrieved();
        }
    }

    /**
     * Cancels the future if it is pending and schedules its callbacks. asyncio's
     * {@code cancel()}.
     *
     * @return false if it was already done
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future with a message that the {@link CancelledError} will carry. asyncio's
     * {@code cancel(msg)}.
     *
     * @param message the message, or null
     * @return false if it was already done
     */
    public boolean cancel(String message) {
        if (loop.isForeignThread()) {
            return cancelFromOtherThread(message);
        }
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        cancelMessage = message;
        scheduleCallbacks();
        return true;
    }

    /**
     * {@link #cancel(String)} from a thread other than the running loop's: hands the
     * cancellation to the loop (which it wakes) instead of touching the future here.
     */
    final boolean cancelFromOtherThread(String message) {
        if (state != PENDING) { // may be stale: then the loop's own cancel() says no again
            return false;
        }
        try {
            loop.callSoonThreadsafe(() -> cancel(message));
        } catch (IllegalStateException closed) {
            return false;
        }
        return true;
    }

    /**
     * Adds a callback run (through {@code callSoon}) when the future is done; if it already
     * is, the callback is scheduled at once. asyncio's {@code add_done_callback()}.
     *
     * @param fn the callback, given this future
     */
    public void addDoneCallback(Consumer<? super Future<T>> fn) {
        loop.checkThread("Future.addDoneCallback()");
        if (fn == null) {
            throw new NullPointerException("fn");
        }
        ContextMap values = loop.capturedValues();
        if (values != ContextMap.EMPTY) {
            // asyncio runs a done callback in the context current when it was added.
            fn = new ContextualCallback<>(fn, values);
        }
        addCallback(fn);
    }

    /** Wakes {@code task} (runs its step) when this future is done: asyncio's {@code __wakeup}. */
    final void addWakeup(Task<?> task) {
        addCallback(task);
    }

    /** Removes {@code task}'s wake-up added by {@link #addWakeup}; returns whether it was there. */
    final boolean removeWakeup(Task<?> task) {
        Object current = callbacks;
        if (current == task) {
            callbacks = null;
            return true;
        }
        return current instanceof CallbackList list && list.remove(task);
    }

    private void addCallback(Object fn) {
        if (state != PENDING) {
            loop.schedule(callbackHandle(fn));
            return;
        }
        Object current = callbacks;
        if (current == null) {
            callbacks = fn;
        } else if (current instanceof CallbackList list) {
            list.add(fn);
        } else {
            CallbackList list = new CallbackList();
            list.add(current);
            list.add(fn);
            callbacks = list;
        }
    }

    /**
     * Removes every registration of {@code fn}. asyncio's {@code remove_done_callback()}.
     *
     * @param fn the callback
     * @return how many were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> fn) {
        loop.checkThread("Future.removeDoneCallback()");
        Object current = callbacks;
        if (fn == null || current == null) {
            return 0;
        }
        if (current instanceof CallbackList list) {
            int before = list.size();
            list.removeIf(c -> ContextualCallback.matches(c, fn));
            return before - list.size();
        }
        if (ContextualCallback.matches(current, fn)) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    /**
     * Python's {@code await future}: returns the result at once if the future is done (no
     * yield to the loop), else suspends the current task until it is.
     *
     * @return the result
     * @throws CancelledError        if the future or the waiting task is cancelled
     * @throws IllegalStateException outside a task of this future's loop
     */
    @Override
    public T await() {
        if (state == PENDING) {
            Suspension.awaitFuture(this);
        }
        return result();
    }

    /** The CancelledError to raise for a cancelled future (asyncio's _make_cancelled_error). */
    CancelledError makeCancelledError() {
        CancelledError e = cancelledError;
        if (e != null) {
            cancelledError = null;
            return e;
        }
        return new CancelledError(cancelMessage);
    }

    String cancelMessage() {
        return cancelMessage;
    }

    private void scheduleCallbacks() {
        Object current = callbacks;
        if (current == null) {
            return;
        }
        callbacks = null;
        if (current instanceof CallbackList list) {
            for (Object fn : list) {
                loop.schedule(callbackHandle(fn));
            }
        } else {
            loop.schedule(callbackHandle(current));
        }
    }

    /** What the loop's ready queue gets for a callback: a waiting task itself, or a handle. */
    @SuppressWarnings("unchecked")
    private ReadyItem callbackHandle(Object fn) {
        if (fn instanceof Task<?> task) {
            return task;
        }
        return CallbackHandle.of(loop, (Consumer<? super Future<T>>) fn, this);
    }

    final String stateName() {
        return switch (state) {
            case PENDING -> "PENDING";
            case CANCELLED -> "CANCELLED";
            default -> "FINISHED";
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('[').append(stateName().toLowerCase());
        appendOutcome(sb);
        appendCreatedAt(sb);
        return sb.append(']').toString();
    }

    /**
     * In debug mode, the user's frame that created this future (asyncio's
     * {@code _source_traceback}); else null. Any thread.
     */
    final StackTraceElement createdAt() {
        return loop.debugging.creationSite(this);
    }

    /** Appends " created at ..." in debug mode, as asyncio's reprs do. */
    final void appendCreatedAt(StringBuilder sb) {
        StackTraceElement createdAt = createdAt();
        if (createdAt != null) {
            sb.append(" created at ").append(createdAt);
        }
    }

    /** Appends " result=..." or " exception=..." if finished; does not count as retrieval. */
    final void appendOutcome(StringBuilder sb) {
        if (state == FINISHED) {
            sb.append(exception != null ? " exception=" + exception : " result=" + result);
        }
    }

    /**
     * A future of the running loop that completes like {@code stage}: same result, same
     * exception object (a {@code CompletionException} wrapper is removed), and cancelled if
     * the stage is cancelled. Cancelling the returned future cancels the stage (for a
     * {@link CompletableFuture}, {@code cancel(true)}). This is how a task awaits any
     * {@link CompletionStage}: {@code Future.fromCompletionStage(stage).await()}. asyncio's
     * {@code asyncio.wrap_future(concurrent_future)}.
     *
     * @param <T>   the result type
     * @param stage the stage, completed on any thread
     * @return a future bound to the running loop
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static <T> Future<T> fromCompletionStage(CompletionStage<T> stage) {
        if (stage == null) {
            throw new NullPointerException("stage");
        }
        return StageBridge.fromStage(requireRunningLoop(), stage);
    }

    /**
     * A {@link CompletableFuture} that completes like this future, for code on other threads:
     * the same result or exception object, and a {@link java.util.concurrent.CancellationException}
     * (with the cancel message) if this future is cancelled. Cancelling the returned future
     * cancels this one (through {@code callSoonThreadsafe}, so from any thread). Call it on
     * the loop. asyncio has no direct name for it (it is {@code _chain_future} in reverse).
     *
     * @return the bridged future
     */
    public CompletableFuture<T> toCompletableFuture() {
        loop.checkOwner();
        CompletableFuture<T> cf = new CompletableFuture<>();
        StageBridge.copyInto(this, cf);
        return cf;
    }

    /** Two or more done callbacks, in the order they were added (a type no callback can be). */
    private static final class CallbackList extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;

        CallbackList() {
            super(4);
        }
    }

    /** A done callback with the context values it was added in. */
    private record ContextualCallback<T>(Consumer<? super Future<T>> fn, ContextMap values)
            implements Consumer<Future<T>> {
        @Override
        public void accept(Future<T> f) {
            fn.accept(f);
        }

        static boolean matches(Object registered, Consumer<?> fn) {
            return registered == fn || (registered instanceof ContextualCallback<?> c && c.fn == fn);
        }
    }

    /** A done callback bound to its future, scheduled on the loop. */
    private static final class CallbackHandle<T> extends Handle {

        @SuppressWarnings({"unchecked", "rawtypes"})
        static <T> CallbackHandle<T> of(EventLoop loop, Consumer<? super Future<T>> fn, Future<T> future) {
            CallbackHandle<T> h = new CallbackHandle<>(loop, fn, future);
            if (fn instanceof ContextualCallback c) {
                h.values = c.values();
            }
            return h;
        }

        private final Consumer<? super Future<T>> fn;
        private final Future<T> future;

        CallbackHandle(EventLoop loop, Consumer<? super Future<T>> fn, Future<T> future) {
            super(loop, null);
            this.fn = fn;
            this.future = future;
        }

        @Override
        void run() {
            fn.accept(future);
        }

        @Override
        Object describeCallback() {
            return fn + " of " + future;
        }
    }
}
