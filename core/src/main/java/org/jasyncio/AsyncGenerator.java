package org.jasyncio;

import java.lang.ref.Reference;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An asynchronous generator: Python's {@code async def} function with {@code yield} in it,
 * whose body yields values while it awaits (PEP 525). The body is an ordinary method that
 * calls {@link Emitter#emit} to yield, and may await, sleep or read a stream anywhere between
 * two values; the consumer takes the values with a for-each in a task ({@code async for}),
 * each step suspending the consumer until the next value is there.
 *
 * <pre>{@code
 * AsyncGenerator<String> ticks = AsyncGenerator.of(out -> {   // async def ticks():
 *     for (int i = 0; i < 3; i++) {
 *         Asyncio.sleep(0.1);                                  //     await asyncio.sleep(0.1)
 *         out.emit("tick " + i);                               //     yield f"tick {i}"
 *     }
 * });
 * for (String t : ticks) {                                     // async for t in ticks():
 *     System.out.println(t);
 * }
 * }</pre>
 *
 * <h2>Semantics (PEP 525, asyncio 3.13)</h2>
 * <ul>
 *   <li>Lazy: {@link #of} runs nothing; the body starts at the first {@link #anext()} (or
 *       {@code asend(null)}, or the first {@code hasNext()} of a for-each).</li>
 *   <li>The body runs inside the consumer's task: {@link Asyncio#currentTask()} in the body is
 *       the consumer, {@link ContextVar}s are the consumer's context, an await in the body
 *       suspends the consumer, and a value emitted without awaiting reaches the consumer
 *       without a loop iteration, as a {@code yield} does in asyncio.</li>
 *   <li>Cancelling the consumer while the body awaits throws {@link CancelledError} in the
 *       body at that await; if the body lets it propagate, the generator is finished and the
 *       consumer gets it.</li>
 *   <li>An exception thrown by the body propagates unchanged (checked ones included) to the
 *       consumer and finishes the generator; the next call throws
 *       {@link StopAsyncIterationException}.</li>
 *   <li>End: once the body returns, {@link #anext()} throws {@link StopAsyncIterationException}
 *       (Python's {@code StopAsyncIteration}), every time; a for-each simply ends.</li>
 *   <li>One call at a time: a call while another is in progress (say, from a second task
 *       while the body awaits, or from the body itself) throws {@link IllegalStateException}
 *       "anext(): asynchronous generator is already running" ({@code athrow()},
 *       {@code aclose()} for those calls), Python's {@code RuntimeError}.</li>
 *   <li>A {@link Timeout} or {@link TaskGroup} opened in the body and spanning an
 *       {@code emit} acts on the consumer's task, which runs its own code while the body is
 *       suspended there: a deadline or a failing child cancels whatever the consumer awaits
 *       at the time, as in asyncio (the hazard PEP 789 describes). Keep such scopes between
 *       two emits.</li>
 *   <li>Breaking out of a for-each leaves the generator suspended where it yielded, as
 *       {@code async for} does (PEP 533, which would close it, was not accepted): close it
 *       with {@link #aclose()}, or iterate inside {@link Aclosing#aclosing}. A generator left
 *       suspended is closed when {@link Asyncio#run}'s shutdown runs
 *       ({@link EventLoop#shutdownAsyncgens()}), or, if nobody references it any more, soon
 *       after the garbage collector finds it (asyncio's finalizer hook).</li>
 * </ul>
 *
 * <p>Threads: loop-only. Every method but {@link #toString()} and {@link #iterator()} is a
 * suspending call: it must run in a task (elsewhere it throws {@link IllegalStateException}
 * at once). Successive calls may come from different tasks, even of different loops, one at
 * a time.
 *
 * @param <T> the type of the values yielded
 */
public final class AsyncGenerator<T> implements Iterable<T> {

    /*
     * Implementation overview: a thin handle. The state machine, the body's strand and the
     * Emitter are in AsyncGeneratorCore, which the loop's tracking (AsyncGeneratorHooks)
     * holds while the body is unfinished; this object is what the finalizer watches, so
     * nothing inside the generator may reference it. Each method keeps it reachable until it
     * returns (Reference.reachabilityFence), so that the finalizer can never see it collected
     * while one of its calls is still running the body.
     */

    /**
     * The body of an async generator: Python's {@code async def} function with {@code yield}.
     * It yields through {@code emitter} and may suspend anywhere.
     *
     * @param <T> the type of the values yielded
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs the body; returning ends the iteration.
         *
         * @param emitter what the body yields through
         * @throws Exception any failure; the consumer's current call rethrows it unchanged
         */
        void run(Emitter<T> emitter) throws Exception;
    }

    private final AsyncGeneratorCore<T> core;

    private AsyncGenerator(Body<T> body) {
        this.core = new AsyncGeneratorCore<>(body);
    }

    /**
     * An async generator running {@code body}, not started: calling an {@code async def}
     * generator function in Python. Nothing runs until the first {@link #anext()}. May be
     * called anywhere, also outside a loop.
     *
     * <p>The body should not capture the generator itself: the finalizer that closes an
     * abandoned generator (asyncio's) could then never see it unreferenced.
     *
     * @param <T>  the type of the values yielded
     * @param body the body
     * @return the generator
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> AsyncGenerator<T> of(Body<T> body) {
        return new AsyncGenerator<>(body);
    }

    /**
     * Runs the body until it emits the next value, and returns it: Python's
     * {@code await anext(agen)} ({@code agen.__anext__()}). The body's {@code emit} returns
     * null. Suspends the calling task while the body awaits.
     *
     * @return the next value
     * @throws StopAsyncIterationException if the body has returned, or the generator is
     *                                     finished or closed
     * @throws IllegalStateException       outside a task; if another call on this generator is
     *                                     in progress ("anext(): asynchronous generator is
     *                                     already running"); if the body threw a
     *                                     {@code StopAsyncIterationException} itself ("async
     *                                     generator raised StopAsyncIteration", with it as the
     *                                     cause)
     * @throws CancelledError              if the consumer was cancelled while the body awaited
     *                                     and the body let the cancellation propagate
     */
    public T anext() {
        return send(null, "anext");
    }

    /**
     * Resumes the body with {@code value} as the result of the {@link Emitter#emit} where it
     * is suspended, and returns the next value: Python's {@code await agen.asend(value)}. The
     * first step of a generator must send null (Python's {@code asend(None)}), as there is
     * no {@code emit} yet to receive a value.
     *
     * @param value the value {@code emit} returns in the body
     * @return the next value
     * @throws IllegalArgumentException    if the generator has not started and {@code value}
     *                                     is not null ("can't send non-None value to a
     *                                     just-started async generator", Python's
     *                                     {@code TypeError})
     * @throws StopAsyncIterationException if the body has returned, or the generator is
     *                                     finished or closed
     * @throws IllegalStateException       as for {@link #anext()}
     * @throws CancelledError              as for {@link #anext()}
     */
    public T asend(Object value) {
        return send(value, "asend");
    }

    @SuppressWarnings("unchecked")
    private T send(Object value, String call) {
        try {
            Object r = core.send(value, call, this);
            if (r == AsyncGeneratorCore.EXHAUSTED) {
                throw new StopAsyncIterationException();
            }
            return (T) r;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Throws {@code exception} into the body at the {@link Emitter#emit} where it is
     * suspended, and returns the next value if the body catches it and emits again: Python's
     * {@code await agen.athrow(exception)}.
     *
     * <p>As in CPython 3.13: on a generator that has not started, {@code exception} is thrown
     * at once, the body never runs and the generator is finished; on a generator already
     * finished or closed, nothing happens and the result is null.
     *
     * <p>If the body does not catch {@code exception}, or throws another exception, that
     * exception is rethrown here unchanged and the generator is finished.
     *
     * @param exception what to throw at the yield point; any throwable, checked ones included
     * @return the next value the body emits, or null if the generator is already finished
     * @throws StopAsyncIterationException if the body returns instead of emitting, or the
     *                                     generator ignored {@link GeneratorExit} earlier
     *                                     (see {@link #aclose()})
     * @throws NullPointerException        if {@code exception} is null
     * @throws IllegalStateException       as for {@link #anext()} ("athrow(): asynchronous
     *                                     generator is already running")
     * @throws CancelledError              as for {@link #anext()}
     */
    @SuppressWarnings("unchecked")
    public T athrow(Throwable exception) {
        try {
            Object r = core.athrow(exception);
            if (r == AsyncGeneratorCore.EXHAUSTED) {
                throw new StopAsyncIterationException();
            }
            return (T) r;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Closes the generator: throws a {@link GeneratorExit} into the body at the
     * {@link Emitter#emit} where it is suspended, so that its {@code finally} blocks run (and
     * may await), and returns once the body has ended. Python's {@code await agen.aclose()}.
     * On a generator that has not started (its body then never runs) or has finished, it does
     * nothing. Afterwards {@link #anext()} throws {@link StopAsyncIterationException}.
     *
     * <p>Whatever else the body throws while closing is rethrown unchanged (a
     * {@code GeneratorExit} it rethrows is the normal end). A body that emits again instead
     * of ending makes this throw {@link IllegalStateException} "async generator ignored
     * GeneratorExit", and stays suspended at that second emit; as in CPython, a later
     * {@link #aclose()} throws a new {@code GeneratorExit} there, and a later {@link #anext()}
     * resumes it.
     *
     * @throws IllegalStateException outside a task; if another call on this generator is in
     *                               progress ("aclose(): asynchronous generator is already
     *                               running"); if the body ignored the {@code GeneratorExit}
     * @throws CancelledError        if the consumer was cancelled while the body's clean-up
     *                               awaited, and the body let it propagate
     */
    public void aclose() {
        try {
            core.aclose();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The values still to come, for a for-each in a task: Python's {@code async for}
     * ({@code aiter(agen)} is the generator itself, so every iterator of one generator takes
     * from the same sequence). {@code hasNext()} runs the body until its next value (so it may
     * suspend the task, and throws what {@link #anext()} throws, unchanged, except the end,
     * which makes it return false); {@code next()} returns that value. After the last value,
     * {@code next()} throws {@link StopAsyncIterationException}, a
     * {@link NoSuchElementException}, as iterators do.
     *
     * @return an iterator over the remaining values; it does not support {@code remove()}
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;
            private boolean fetched;
            private boolean more;

            @Override
            @SuppressWarnings("unchecked")
            public boolean hasNext() {
                if (!fetched) {
                    try {
                        Object r = core.send(null, "anext", AsyncGenerator.this);
                        more = r != AsyncGeneratorCore.EXHAUSTED;
                        next = more ? (T) r : null;
                    } finally {
                        Reference.reachabilityFence(AsyncGenerator.this);
                    }
                    fetched = true;
                }
                return more;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new StopAsyncIterationException();
                }
                T v = next;
                next = null;
                fetched = false;
                return v;
            }
        };
    }

    /**
     * The generator's identity and state: {@code AsyncGenerator@<hash>[created]},
     * {@code [suspended]}, {@code [running]} (a call is in progress) or {@code [closed]}, the
     * states of Python's {@code inspect.getasyncgenstate()}.
     *
     * @return a description for logs and exception reports
     */
    @Override
    public String toString() {
        return core.toString();
    }
}
