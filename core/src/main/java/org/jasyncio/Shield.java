package org.jasyncio;

import java.util.List;
import java.util.function.Consumer;

/**
 * {@link Asyncio#shield(Awaitable)}: asyncio's {@code asyncio.shield(aw)}.
 */
final class Shield {

    /* Implementation overview: asyncio's tasks.shield. A null aw is refused; an aw already
     * done is returned itself. Otherwise a new outer future on aw's loop mirrors aw through one
     * done callback on aw (asyncio's _inner_done_callback): aw's cancellation cancels outer,
     * its exception or result is copied unchanged. Cancelling outer (or a task awaiting it)
     * never reaches aw; outer's own done callback (asyncio's _outer_done_callback) then removes
     * the mirror callback from aw if aw is still pending, and if aw completed but outer was
     * cancelled before the mirror ran (callbacks run one iteration later), the mirror only
     * marks aw's exception retrieved, since nobody will see it through outer. Unlike in
     * asyncio, whose documentation asks callers to keep a reference to a shielded task, the
     * loop holds pending tasks strongly. */

    private Shield() {
    }

    /** {@link Asyncio#shield(Awaitable)}. */
    static <T> Future<T> shield(Awaitable<T> aw) {
        if (aw == null) {
            throw new NullPointerException("aw");
        }
        Future<T> inner = (Future<T>) aw;
        if (inner.done()) {
            return inner;
        }
        // A task awaiting the shield awaits inner (asyncio 3.14 links inner to the shielding task).
        Future<T> outer = new StandIn<>(inner.loop, () -> "shield of " + AwaitGraph.names(List.of(inner)),
                () -> AwaitGraph.pending(List.of(inner)));
        Consumer<Future<T>> innerDone = f -> {
            if (outer.cancelled()) {
                if (!f.cancelled()) {
                    f.exception(); // nobody will see it through outer: mark it retrieved
                }
                return;
            }
            if (f.cancelled()) {
                outer.cancel();
            } else if (f.exception() != null) {
                outer.setException(f.exception());
            } else {
                outer.setResult(f.result());
            }
        };
        inner.addDoneCallback(innerDone);
        outer.addDoneCallback(o -> {
            if (!inner.done()) {
                inner.removeDoneCallback(innerDone);
            }
        });
        return outer;
    }
}
