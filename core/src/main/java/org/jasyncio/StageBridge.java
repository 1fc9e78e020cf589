package org.jasyncio;

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

    private StageBridge() {
    }

    /** Completes {@code dest} like {@code source}; cancelling {@code dest} cancels {@code source}. */
    static <T> void copyInto(Future<T> source, CompletableFuture<T> dest) {
        source.addDoneCallback(f -> {
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
        });
        dest.whenComplete((v, e) -> {
            if (dest.isCancelled()) {
                post(source.loop, () -> source.cancel());
            }
        });
    }

    /** A future of {@code loop} completed like {@code stage}; cancelling it cancels the stage. */
    static <T> Future<T> fromStage(EventLoop loop, CompletionStage<T> stage) {
        Future<T> future = new Future<>(loop);
        future.addDoneCallback(f -> {
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
     * before; if the loop closes first, {@code result} fails instead of waiting forever.
     */
    static <T> Handle taskStarter(EventLoop loop, Coroutine<T> coro, CompletableFuture<T> result) {
        Handle starter = new Handle(loop, () -> {
            if (result.isDone()) {
                return; // cancelled before it started
            }
            Task<T> task;
            try {
                task = loop.createTask(coro);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            copyInto(task, result);
        }) {
            @Override
            void dropped() {
                result.completeExceptionally(EventLoop.closedError());
            }
        };
        starter.values = Context.current().values;
        return starter;
    }
}
