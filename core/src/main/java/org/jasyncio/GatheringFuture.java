package org.jasyncio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.jasyncio.internal.WaitLabel;

/**
 * The future returned by {@link Asyncio#gather}: asyncio's {@code _GatheringFuture}, and
 * {@link #gather}, the list handling of asyncio's {@code gather()} that makes it.
 */
final class GatheringFuture extends Future<List<Object>> implements Composite, WaitLabel {

    /* Implementation overview: asyncio 3.12's tasks.gather. gather() takes the awaitables in
     * argument order, refuses one of another loop, and returns an already completed future of
     * an empty list for no awaitables (the only case without a gathering future). Each element
     * that is still pending gets one done callback (a future passed twice gets two, so that
     * counting callbacks up to children.size() gives asyncio's result without a dedup map on
     * the 1M-task path); each element already done is handled at once, at the end of the
     * constructor, as asyncio's gather() calls _done_callback for its done_futs (gh-104144):
     * a gather of futures that are all done, or of eager tasks that finished inside
     * createTask, is done when gather() returns. Without returnExceptions, the first child to
     * fail (or be cancelled) fails the gather at once, and the siblings keep running (gather
     * never cancels them on failure). Once every child is done, the results are collected in
     * argument order. Cancelling the gather cancels each element, a task passed twice twice
     * (asyncio's _GatheringFuture.cancel walks its children list, duplicates included, so that
     * task's cancelling() count rises by 2); the gather then ends with a CancelledError once
     * they are all done, even if some of them swallowed the cancellation. */

    private final List<Future<?>> children;
    private final boolean returnExceptions;
    /** Done callbacks run so far: one per element of {@link #children}, duplicates included. */
    private int finished;
    private boolean cancelRequested;
    private final Consumer<Future<?>> onChildDone = this::childDone;

    GatheringFuture(EventLoop loop, List<Future<?>> children, boolean returnExceptions) {
        super(loop);
        this.children = children;
        this.returnExceptions = returnExceptions;
        List<Future<?>> doneAlready = null;
        for (Future<?> child : children) {
            if (child.done()) {
                if (doneAlready == null) {
                    doneAlready = new ArrayList<>();
                }
                doneAlready.add(child);
            } else {
                child.addDoneCallback(onChildDone);
            }
        }
        if (doneAlready != null) {
            for (Future<?> child : doneAlready) {
                childDone(child);
            }
        }
    }

    /**
     * {@link Asyncio#gather(List)} and its overloads: a future of the results of {@code aws}, in
     * argument order; with {@code returnExceptions}, exceptions become elements too.
     */
    static Future<List<Object>> gather(List<? extends Awaitable<?>> aws, boolean returnExceptions) {
        EventLoop loop = Asyncio.getRunningLoop();
        List<Future<?>> children = new ArrayList<>(aws.size());
        for (Awaitable<?> aw : aws) {
            Future<?> f = (Future<?>) aw;
            if (f.loop != loop) {
                throw new IllegalStateException("gather() got a future attached to a different loop: " + f);
            }
            children.add(f);
        }
        if (children.isEmpty()) {
            Future<List<Object>> empty = new Future<>(loop);
            empty.setResult(new ArrayList<>());
            return empty;
        }
        return new GatheringFuture(loop, children, returnExceptions);
    }

    @Override
    public boolean cancel(String message) {
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<?> child : children) {
            // Each element, duplicates included, as asyncio does: a task passed twice gets two
            // cancellation requests (its cancelling() count is 2).
            if (child.cancel(message)) {
                any = true;
            }
        }
        if (any) {
            // Children cancel asynchronously; the gather itself ends when they are done.
            cancelRequested = true;
        }
        return any;
    }

    private void childDone(Future<?> child) {
        finished++;
        if (done()) {
            if (!child.cancelled()) {
                child.markRetrieved(); // asyncio's gather marks a late sibling's exception retrieved
            }
            return;
        }
        if (!returnExceptions) {
            if (child.cancelled()) {
                setException(child.makeCancelledError());
                return;
            }
            Throwable e = child.exception();
            if (e != null) {
                setException(e);
                return;
            }
        }
        if (finished == children.size()) {
            List<Object> results = new ArrayList<>(children.size());
            for (Future<?> f : children) {
                if (f.cancelled()) {
                    results.add(new CancelledError(f.cancelMessage()));
                } else {
                    Throwable e = f.exception();
                    results.add(e != null ? e : f.result());
                }
            }
            if (cancelRequested) {
                setException(child.makeCancelledError());
            } else {
                setResult(results);
            }
        }
    }

    /** The children still pending, for the call graph and task dumps. */
    @Override
    public Collection<? extends Future<?>> awaited() {
        return AwaitGraph.pending(children);
    }

    @Override
    public String describeWait() {
        return "gather of " + AwaitGraph.names(children);
    }
}
