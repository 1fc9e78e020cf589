package org.jasyncio;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import org.jasyncio.internal.WaitLabel;

/**
 * The futures of {@link Asyncio#asCompleted(Collection, java.time.Duration)}, in the order
 * they complete: asyncio's {@code as_completed} iterator.
 *
 * <pre>{@code
 * // 3.13 form, Python's "async for t in as_completed(tasks)": yields the original tasks
 * for (Future<String> t : Asyncio.asCompleted(tasks)) {
 *     System.out.println(t.result());
 * }
 * // classic form, Python's "for aw in as_completed(tasks): r = await aw"
 * for (Future<String> next : Asyncio.asCompleted(tasks).awaitables()) {
 *     System.out.println(next.await());
 * }
 * }</pre>
 *
 * <p>It is single-use, and both forms draw from the same sequence: there are exactly as many
 * steps as distinct futures. With a timeout, once it passes every remaining step throws (or,
 * in the classic form, fails with) {@link AsyncTimeoutException}; nothing is cancelled.
 *
 * <p>In the classic form an element takes the earliest completion not yet taken when it is
 * <em>awaited</em>, not when the iterator hands it out, as asyncio's {@code _wait_for_one}
 * coroutine does: with {@code a = it.next(); b = it.next()}, awaiting {@code b} first gives
 * {@code b} the first completion. An element starts waiting when it is first awaited or
 * first given a done callback ({@link Asyncio#gather}, {@link Asyncio#wait},
 * {@link Asyncio#shield} and {@link Future#toCompletableFuture()} add one), the points where
 * asyncio would start the coroutine; until then {@link Future#done()} stays false, and an
 * element never awaited takes nothing.
 *
 * <p>Loop-only, like {@link Future}: create it, iterate it and await its elements in tasks of
 * the running loop.
 *
 * @param <T> the result type
 */
public final class AsCompleted<T> implements Iterable<Future<T>> {

    /*
     * Implementation overview.
     *
     * As in asyncio, each future gets a done callback that appends it to a queue of completed
     * ones (asyncio's _done Queue); the timeout timer instead appends one timeout marker per
     * future left. Steps take from that queue in order. A step that finds it empty leaves a
     * waiting slot that the next completion fills, in the order the slots were left (asyncio's
     * Queue getters). The iterator form takes its item, or leaves its slot, when next() is
     * called, which is when it suspends. The classic form hands out a Claim future at once and
     * takes the item (or leaves the slot) only when the Claim is first awaited or watched
     * (asyncio's _wait_for_one runs when its coroutine is awaited or wrapped in a task); the
     * Claim then resolves with the result of the completed future. A slot filled while its
     * task was being cancelled gives its item back to the front of the queue, so no
     * completion is lost; a cancelled Claim is skipped.
     */

    private static final Object TIMED_OUT = new Object();

    private final EventLoop loop;
    private final Set<Future<T>> todo = new LinkedHashSet<>();
    /** Completed futures (or TIMED_OUT markers) not yet taken by a step. */
    private final ArrayDeque<Object> completed = new ArrayDeque<>();
    /** Steps waiting for the next completion, in order. */
    private final ArrayDeque<Slot<T>> slots = new ArrayDeque<>();
    private final Consumer<Future<T>> onCompletion = this::handleCompletion;
    private Handle timer;
    private int stepsLeft;
    private boolean iteratorTaken;

    AsCompleted(Collection<? extends Future<T>> fs, double timeoutSeconds) {
        if (fs == null) {
            throw new NullPointerException("fs");
        }
        this.loop = Asyncio.getRunningLoop();
        for (Future<T> f : fs) {
            if (f == null) {
                throw new NullPointerException("asCompleted() got a null future");
            }
            if (f.loop != loop) {
                throw new IllegalStateException("asCompleted() got a future attached to a different loop: " + f);
            }
            todo.add(f);
        }
        for (Future<T> f : todo) {
            f.addDoneCallback(onCompletion);
        }
        if (!todo.isEmpty() && !Double.isNaN(timeoutSeconds) && timeoutSeconds != Double.POSITIVE_INFINITY) {
            timer = loop.callLater(timeoutSeconds, this::handleTimeout);
        }
        stepsLeft = todo.size();
    }

    /**
     * The 3.13 form: an iterator whose {@code next()} suspends the current task until the
     * next future is done and returns it (asyncio's {@code __anext__}). May be called once.
     *
     * @return the iterator
     * @throws IllegalStateException on a second call
     */
    @Override
    public Iterator<Future<T>> iterator() {
        takeIterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stepsLeft > 0;
            }

            @Override
            public Future<T> next() {
                return nextDone();
            }
        };
    }

    /**
     * The classic form: each element is a future resolved with the result (or exception) of
     * the next future to complete, in completion order, or failed with
     * {@link AsyncTimeoutException} once the timeout passed. asyncio's {@code __next__}. Taking
     * an element does not suspend; awaiting it does, and only then does the element take the
     * earliest completion not yet taken (see the class comment).
     *
     * @return a single-use iterable
     * @throws IllegalStateException if an iterator was already taken
     */
    public Iterable<Future<T>> awaitables() {
        takeIterator();
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stepsLeft > 0;
            }

            @Override
            public Future<T> next() {
                return nextAwaitable();
            }
        };
    }

    /**
     * Whether any step is left.
     *
     * @return true while fewer steps than futures were taken
     */
    public boolean hasNext() {
        return stepsLeft > 0;
    }

    /**
     * Suspends until the next future is done and returns it. asyncio's {@code __anext__}.
     *
     * @return the next completed future (the original object)
     * @throws NoSuchElementException if every future was already returned
     * @throws AsyncTimeoutException  if the timeout passed first
     */
    public Future<T> nextDone() {
        Suspension.currentTask("AsCompleted.nextDone()");
        takeStep();
        Object item = completed.pollFirst();
        if (item == null) {
            Slot<T> slot = new Slot<>(new StandIn<>(loop, this::describeWait, this::awaited), false);
            slots.add(slot);
            try {
                item = slot.future.await();
            } catch (CancelledError e) {
                slots.remove(slot);
                stepsLeft++;
                if (slot.future.done() && !slot.future.cancelled()) {
                    // Filled, but this task was cancelled before it resumed: keep the item.
                    giveBack(slot.future.result());
                }
                throw e;
            }
        }
        return resolve(item);
    }

    private Future<T> nextAwaitable() {
        takeStep();
        return new Claim();
    }

    private void takeStep() {
        if (stepsLeft <= 0) {
            throw new NoSuchElementException("asCompleted() has no future left");
        }
        stepsLeft--;
    }

    private void takeIterator() {
        if (iteratorTaken) {
            throw new IllegalStateException("an asCompleted() iteration is single-use");
        }
        iteratorTaken = true;
    }

    @SuppressWarnings("unchecked")
    private Future<T> resolve(Object item) {
        if (item == TIMED_OUT) {
            throw new AsyncTimeoutException("asCompleted() timed out");
        }
        return (Future<T>) item;
    }

    @SuppressWarnings("unchecked")
    private void mirror(Object item, Future<T> out) {
        if (item == TIMED_OUT) {
            out.setException(new AsyncTimeoutException("asCompleted() timed out"));
            return;
        }
        Future<T> f = (Future<T>) item;
        if (f.cancelled()) {
            out.cancel(f.cancelMessage());
        } else if (f.exception() != null) {
            out.setException(f.exception());
        } else {
            out.setResult(f.result());
        }
    }

    private void handleCompletion(Future<T> f) {
        if (todo.isEmpty()) {
            return; // the timeout came first
        }
        todo.remove(f);
        deliver(f);
        if (todo.isEmpty() && timer != null) {
            timer.cancel();
        }
    }

    private void handleTimeout() {
        for (Future<T> f : todo) {
            f.removeDoneCallback(onCompletion);
            deliver(TIMED_OUT);
        }
        todo.clear();
    }

    /** Hands an item to the first waiting slot still wanted, else queues it. */
    private void deliver(Object item) {
        Slot<T> slot;
        while ((slot = slots.pollFirst()) != null) {
            if (slot.future.done()) {
                continue; // its taker gave up (a cancelled classic-form awaitable)
            }
            if (slot.resolving) {
                mirror(item, slot.future);
            } else {
                @SuppressWarnings("unchecked")
                Future<Object> raw = (Future<Object>) (Future<?>) slot.future;
                raw.setResult(item);
            }
            return;
        }
        completed.addLast(item);
    }

    private void giveBack(Object item) {
        Slot<T> slot;
        while ((slot = slots.peekFirst()) != null && slot.future.done()) {
            slots.pollFirst();
        }
        if (slot != null) {
            deliver(item);
        } else {
            completed.addFirst(item);
        }
    }

    /**
     * A classic-form element: takes the earliest completion not yet taken when it is first
     * awaited or given a done callback, and then resolves with that future's outcome.
     */
    private final class Claim extends Future<T> implements Composite, WaitLabel {
        private boolean claimed;

        Claim() {
            super(AsCompleted.this.loop);
        }

        /**
         * Takes the earliest completion not yet taken, if this element has not yet, then
         * awaits it.
         *
         * @return the completed future's result
         * @throws IllegalStateException outside a task (before anything is taken)
         * @throws AsyncTimeoutException if the iteration's timeout passed first
         * @throws CancelledError        if the completed future was cancelled, or this task is
         */
        @Override
        public T await() {
            if (!claimed) {
                Suspension.currentTask("await()"); // refuse before taking a completion
                claim();
            }
            return super.await();
        }

        /**
         * Adds {@code fn} as {@link Future#addDoneCallback} does, then takes the earliest
         * completion not yet taken, if this element has not yet: something now waits for it.
         *
         * @param fn the callback, given this future
         * @throws IllegalStateException from another thread while the loop runs
         */
        @Override
        public void addDoneCallback(Consumer<? super Future<T>> fn) {
            super.addDoneCallback(fn); // checks the thread first
            claim();
        }

        @Override
        public Collection<? extends Future<?>> awaited() {
            return claimed && !done() ? AsCompleted.this.awaited() : List.of();
        }

        @Override
        public String describeWait() {
            return AsCompleted.this.describeWait();
        }

        private void claim() {
            if (claimed || done()) {
                return; // claimed already, or cancelled before it was awaited: takes nothing
            }
            claimed = true;
            Object item = completed.pollFirst();
            if (item != null) {
                mirror(item, this);
            } else {
                slots.add(new Slot<>(this, true));
            }
        }
    }

    /** What a step waits on: the futures not yet completed (all of them once a slot waits). */
    private Collection<? extends Future<?>> awaited() {
        return AwaitGraph.pending(todo);
    }

    private String describeWait() {
        return "asCompleted, next of " + AwaitGraph.names(todo);
    }

    /** A step waiting for a completion; {@code resolving} for the classic form. */
    private record Slot<T>(Future<T> future, boolean resolving) {
    }

    @Override
    public String toString() {
        return "AsCompleted[" + stepsLeft + " left, " + completed.size() + " ready]";
    }
}
