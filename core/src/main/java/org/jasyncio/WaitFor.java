package org.jasyncio;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link Asyncio#waitFor(Awaitable, Duration)}, {@link Asyncio#waitFor(Awaitable, double)} and
 * their {@link Coroutine} forms: asyncio's {@code asyncio.wait_for(aw, timeout)}.
 */
final class WaitFor {

    /* Implementation overview: asyncio 3.12's tasks.wait_for, which is built on
     * timeouts.timeout. A null Duration or an infinite timeout means no deadline; NaN is
     * refused, then a null aw, then a caller that is not a task. A positive timeout awaits aw
     * inside a Timeout: when the deadline passes, the Timeout cancels the waiting task, which
     * cancels aw, and the task resumes only once aw is done, so aw has really finished
     * cancelling before AsyncTimeoutException is thrown; if aw swallows the cancellation and
     * returns a value, that value is returned. Cancelling the waiting task cancels aw the same
     * way (awaiting a future cancels it along with the task). A zero or negative timeout
     * returns the result (or throws the exception) of an aw already done without suspending;
     * otherwise it cancels aw and waits for it through a separate waiter future that a done
     * callback of aw completes (asyncio's _cancel_and_wait), so that wait itself stays
     * cancellable (cancelling the waiting task cancels the waiter, not aw again), then returns
     * aw's result, turning its CancelledError into AsyncTimeoutException("waitFor() timed out")
     * with that error as cause. A Coroutine is first made a task of the running loop, as
     * asyncio's wait_for does with ensure_future, once the checks have passed; with a zero or
     * negative timeout that task is cancelled before its first step, so the coroutine never
     * runs (the case CPython's wait_for comments on). */

    private WaitFor() {
    }

    /** {@link Asyncio#waitFor(Awaitable, Duration)}; a null timeout waits forever. */
    static <T> T waitFor(Awaitable<T> aw, Duration timeout) {
        return waitForSeconds(aw, timeout == null ? Double.POSITIVE_INFINITY : Deadlines.seconds(timeout, "timeout"));
    }

    /** {@link Asyncio#waitFor(Awaitable, double)}; infinity waits forever. */
    static <T> T waitFor(Awaitable<T> aw, double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("waitFor() timeout cannot be NaN");
        }
        return waitForSeconds(aw, seconds);
    }

    /** {@link Asyncio#waitFor(Coroutine, Duration)}; a null timeout waits forever. */
    static <T> T waitFor(Coroutine<T> coro, Duration timeout) {
        return waitForCoroutine(coro, timeout == null ? Double.POSITIVE_INFINITY : Deadlines.seconds(timeout, "timeout"));
    }

    /** {@link Asyncio#waitFor(Coroutine, double)}; infinity waits forever. */
    static <T> T waitFor(Coroutine<T> coro, double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("waitFor() timeout cannot be NaN");
        }
        return waitForCoroutine(coro, seconds);
    }

    /** asyncio's ensure_future(coro) inside wait_for: a task of the running loop, then as for a task. */
    private static <T> T waitForCoroutine(Coroutine<T> coro, double seconds) {
        if (coro == null) {
            throw new NullPointerException("coro");
        }
        Task<?> current = Suspension.currentTask("waitFor()"); // before the task exists
        return waitForSeconds(current.loop.createTask(coro), seconds);
    }

    private static <T> T waitForSeconds(Awaitable<T> aw, double seconds) {
        if (aw == null) {
            throw new NullPointerException("aw");
        }
        Future<T> fut = (Future<T>) aw;
        Suspension.currentTask("waitFor()");
        if (seconds <= 0) {
            if (fut.done()) {
                return fut.result();
            }
            cancelAndWait(fut);
            try {
                return fut.result();
            } catch (CancelledError e) {
                throw new AsyncTimeoutException("waitFor() timed out", e);
            }
        }
        Timeout t = new Timeout(seconds == Double.POSITIVE_INFINITY ? null
                : fut.loop.time() + seconds);
        return t.run(fut::await);
    }

    /** Cancels {@code fut} and waits until it is done, without awaiting it directly. */
    private static void cancelAndWait(Future<?> fut) {
        Future<Void> waiter = new StandIn<>(fut.loop, () -> "waitFor (timed out, cancelling " + AwaitGraph.names(List.of(fut)) + ")",
                () -> AwaitGraph.pending(List.of(fut)));
        Consumer<Future<?>> release = f -> {
            waiter.trySetResult(null);
        };
        fut.addDoneCallback(release);
        try {
            fut.cancel();
            // Awaiting a separate waiter keeps this wait itself cancellable.
            waiter.await();
        } finally {
            fut.removeDoneCallback(release);
        }
    }
}
