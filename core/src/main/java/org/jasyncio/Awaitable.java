package org.jasyncio;

/**
 * Something a task can wait for: asyncio's awaitable. Sealed, so a lambda can never stand in
 * for an awaitable; a coroutine object becomes one through {@link Asyncio#createTask}.
 *
 * @param <T> the result type
 */
public sealed interface Awaitable<T> permits Future {

    /**
     * Python's {@code await aw}: returns the result, suspending the current task until it is
     * ready. Returns at once, without yielding to the loop, if it is already done.
     *
     * @return the result
     * @throws CancelledError if the awaitable was cancelled, or the waiting task is cancelled
     * @throws IllegalStateException if called outside a task of the awaitable's loop
     */
    T await();
}
