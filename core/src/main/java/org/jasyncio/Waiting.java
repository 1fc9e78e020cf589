package org.jasyncio;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link Asyncio#wait(Collection, Duration, ReturnWhen)} and its overloads: asyncio's
 * {@code asyncio.wait(fs, timeout=, return_when=)}.
 */
final class Waiting {

    /* Implementation overview: asyncio's tasks.wait and tasks._wait. The arguments are
     * checked in this order: a NaN timeout, a null fs or returnWhen, an empty fs, the caller
     * being a task, then each future (null, another loop). Duplicates count once and every set
     * keeps input order (LinkedHashSet). The task then awaits a private waiter future: one
     * shared done callback on every future counts completions and completes the waiter when all
     * are done, on the first completion (FIRST_COMPLETED), or on the first completion with an
     * exception (FIRST_EXCEPTION; a cancellation does not count); a callLater timer completes
     * it when the timeout passes (none for a null, NaN or infinite timeout). The waiter is
     * awaited even when the condition already holds: a done future's callback runs on the next
     * iteration, so the task always yields to the loop at least once, like asyncio. On the way
     * out, normally or by cancellation, the timer is cancelled and the callback removed from
     * every future; nothing is ever cancelled and no future's exception is thrown. The result
     * splits the futures into done and pending, in input order. */

    private Waiting() {
    }

    /** {@link Asyncio#wait(Collection, Duration, ReturnWhen)}; a null timeout waits forever. */
    static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, Duration timeout,
                                                    ReturnWhen returnWhen) {
        return waitSeconds(fs, timeout == null ? Double.NaN : Deadlines.seconds(timeout, "timeout"), returnWhen);
    }

    /** {@link Asyncio#wait(Collection, double, ReturnWhen)}. */
    static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, double seconds,
                                                    ReturnWhen returnWhen) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("wait() timeout cannot be NaN");
        }
        return waitSeconds(fs, seconds, returnWhen);
    }

    /** The wait itself; NaN {@code seconds} means no timeout. */
    private static <F extends Future<?>> WaitResult<F> waitSeconds(Collection<? extends F> fs, double seconds,
                                                                   ReturnWhen returnWhen) {
        if (fs == null || returnWhen == null) {
            throw new NullPointerException(fs == null ? "fs" : "returnWhen");
        }
        if (fs.isEmpty()) {
            throw new IllegalArgumentException("Set of Tasks/Futures is empty.");
        }
        EventLoop loop = Suspension.currentTask("wait()").loop;
        Set<F> all = new LinkedHashSet<>();
        for (F f : fs) {
            if (f == null) {
                throw new NullPointerException("wait() got a null future");
            }
            if (f.loop != loop) {
                throw new IllegalStateException("wait() got a future attached to a different loop: " + f);
            }
            all.add(f);
        }
        Future<Void> waiter = new StandIn<>(loop, () -> "wait(" + returnWhen + ") for " + AwaitGraph.names(all),
                () -> AwaitGraph.pending(all));
        Handle timer = Double.isNaN(seconds) || seconds == Double.POSITIVE_INFINITY ? null
                : loop.callLater(seconds, () -> {
                    waiter.trySetResult(null);
                });
        int[] counter = {all.size()};
        Consumer<Future<?>> onCompletion = f -> {
            counter[0]--;
            if (counter[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null) {
                if (timer != null) {
                    timer.cancel();
                }
                waiter.trySetResult(null);
            }
        };
        for (F f : all) {
            f.addDoneCallback(onCompletion);
        }
        try {
            waiter.await();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (F f : all) {
                f.removeDoneCallback(onCompletion);
            }
        }
        Set<F> done = new LinkedHashSet<>();
        Set<F> pending = new LinkedHashSet<>();
        for (F f : all) {
            (f.done() ? done : pending).add(f);
        }
        return new WaitResult<>(done, pending);
    }
}
