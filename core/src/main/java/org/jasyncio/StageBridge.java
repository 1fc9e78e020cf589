package org.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Chains loop {@link Future}s and {@link CompletionStage}s both ways: asyncio's
 * {@code futures._chain_future}, behind {@link Future#toCompletableFuture()},
 * {@link Future#fromCompletionStage} and {@link EventLoop#runCoroutineThreadsafe}.
 *
 * <p>Outcomes cross unchanged: a result as the result, an exception as the same exception
 * object (never wrapped), a cancellation as a cancellation (a {@link CancelledError} becomes
 * a {@link CancellationException} with the same message, and back). Whatever touches the
 * loop future from another thread goes through {@code callSoonThreadsafe}; if the loop is
 * closed by then, the outcome has no reader left and is dropped.
 */
final class StageBridge {

    /* Implementation overview: every CompletableFuture runCoroutineThreadsafe hands out
     * completes, whatever the loop does meanwhile. Its starter handle goes through the inbox:
     * refused there at once if the loop is closed, or told through Handle.dropped() if the
     * loop closes with it still queued. When the starter runs, it makes the task and records
     * it, with its future, in the loop's Started.pending until the task is done. Asyncio.run's
     * shutdown (Runner) first cancels the tasks that existed when main finished, as asyncio's
     * _cancel_all_tasks does; a coroutine submitted meanwhile (by a task being cancelled, or
     * from another thread) may start after that snapshot, so Runner then calls stopStarting:
     * from then on starters refuse their coroutine, and the recorded tasks still pending are
     * cancelled and waited for too. close() fails the future of any recorded task still
     * pending (loopClosed): a loop stopped and closed by hand destroys its pending tasks. */

    private StageBridge() {
    }

    /** Completes {@code dest} like {@code source}; cancelling {@code dest} cancels {@code source}. */
    static <T> void copyInto(Future<T> source, CompletableFuture<T> dest) {
        source.addDoneCallback(f -> complete(f, dest));
        dest.whenComplete((v, e) -> {
            if (dest.isCancelled()) {
                post(source.loop, () -> source.cancel());
            }
        });
    }

    /** Completes {@code dest} with the outcome of the done future {@code f}. */
    private static <T> void complete(Future<? extends T> f, CompletableFuture<T> dest) {
        if (f.cancelled()) {
            dest.completeExceptionally(new CancellationException(f.cancelMessage()));
            return;
        }
        Throwable e = f.exception();
        if (e != null) {
            dest.completeExceptionally(e);
        } else {
            dest.complete(f.result());
        }
    }

    /** A future of {@code loop} completed like {@code stage}; cancelling it cancels the stage. */
    static <T> Future<T> fromStage(EventLoop loop, CompletionStage<T> stage) {
        Future<T> future = new Future<>(loop);
        loop.pendingStages++; // another thread may complete it: no deadlock while it is pending
        future.addDoneCallback(f -> {
            loop.pendingStages--;
            if (f.cancelled()) {
                cancelStage(stage, f.cancelMessage());
            }
        });
        stage.whenComplete((v, e) -> post(loop, () -> {
            if (future.done()) {
                return;
            }
            Throwable cause = unwrap(e);
            if (cause instanceof CancellationException c) {
                future.cancel(c.getMessage());
            } else if (cause != null) {
                future.setException(cause);
            } else {
                future.setResult(v);
            }
        }));
        return future;
    }

    private static void cancelStage(CompletionStage<?> stage, String message) {
        if (stage instanceof java.util.concurrent.Future<?> f) {
            f.cancel(true);
            return;
        }
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // A stage that cannot be cancelled keeps running; the loop future is cancelled anyway.
        }
    }

    /** Dependent stages report a failure as CompletionException(cause): hand over the cause. */
    private static Throwable unwrap(Throwable e) {
        if (e instanceof CompletionException && e.getCause() != null) {
            return e.getCause();
        }
        return e;
    }

    private static void post(EventLoop loop, Runnable action) {
        try {
            loop.callSoonThreadsafe(action);
        } catch (IllegalStateException closed) {
            // The loop is closed: nobody can observe this any more.
        }
    }

    /**
     * The handle {@code runCoroutineThreadsafe} queues: on the loop it makes {@code coro} a
     * task whose outcome completes {@code result}, unless {@code result} was cancelled
     * before, or the loop's {@link Asyncio#run} shutdown no longer starts coroutines (then
     * {@code result} fails with {@link #shuttingDownError()}); if the loop closes first,
     * {@code result} fails instead of waiting forever.
     */
    static <T> Handle taskStarter(EventLoop loop, Coroutine<T> coro, CompletableFuture<T> result) {
        Handle starter = new Handle(loop, () -> {
            if (result.isDone()) {
                return; // cancelled before it started
            }
            Started started = STARTED.get(loop);
            if (started.refusing) {
                result.completeExceptionally(shuttingDownError());
                return;
            }
            Task<T> task;
            try {
                task = loop.createTask(coro);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            if (!task.done()) { // an eager task may have finished inside createTask
                started.pending.put(task, result);
            }
            task.addDoneCallback(f -> {
                started.pending.remove(f);
                complete(f, result);
            });
            result.whenComplete((v, e) -> {
                if (result.isCancelled()) {
                    post(loop, () -> task.cancel());
                }
            });
        }) {
            @Override
            void dropped() {
                result.completeExceptionally(EventLoop.closedError());
            }
        };
        starter.values = Context.current().values;
        return starter;
    }

    /**
     * For {@link Runner}, once it has cancelled the tasks that existed when {@code main}
     * finished: from now on the starters of {@code runCoroutineThreadsafe} refuse to start
     * their coroutine. Returns the tasks those starters started that are still pending (all
     * of them made after that snapshot), for Runner to cancel and wait for. Loop thread.
     */
    static List<Task<?>> stopStarting(EventLoop loop) {
        Started started = STARTED.get(loop);
        started.refusing = true;
        return new ArrayList<>(started.pending.keySet());
    }

    /**
     * For {@link EventLoop#close()}: the {@code runCoroutineThreadsafe} tasks still pending
     * are destroyed with the loop, so their futures fail now rather than never complete.
     */
    static void loopClosed(EventLoop loop) {
        Object started = loop.locals.get(STARTED);
        if (started == null) {
            return; // no coroutine was ever submitted to this loop
        }
        Map<Task<?>, CompletableFuture<?>> pending = ((Started) started).pending;
        List<Map.Entry<Task<?>, CompletableFuture<?>>> left = new ArrayList<>(pending.entrySet());
        pending.clear();
        for (Map.Entry<Task<?>, CompletableFuture<?>> e : left) {
            e.getValue().completeExceptionally(new IllegalStateException("Event loop is closed: "
                    + e.getKey() + " was destroyed while still pending, so its coroutine never finished"));
        }
    }

    /** Why a coroutine submitted during {@link Asyncio#run}'s shutdown is not started. */
    static IllegalStateException shuttingDownError() {
        return new IllegalStateException("Event loop is shutting down: Asyncio.run() has cancelled its tasks"
                + " and no longer starts coroutines submitted with runCoroutineThreadsafe()");
    }

    /**
     * Per loop: the tasks {@code runCoroutineThreadsafe} started and that are still pending,
     * with the future each must complete, and whether starting is refused. Loop thread only.
     */
    private static final class Started {
        final Map<Task<?>, CompletableFuture<?>> pending = new LinkedHashMap<>();
        boolean refusing;
    }

    private static final LoopLocal<Started> STARTED = new LoopLocal<>(Started::new);
}
