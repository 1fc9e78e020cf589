package org.jasyncio;

/**
 * A coroutine object: the lazy, not-yet-started computation that Python gets from calling an
 * {@code async def} function. Nothing runs until it is awaited (called) inside a task or
 * wrapped in one with {@link Asyncio#createTask(Coroutine)}.
 *
 * <p>Coroutines in jasyncio are stackful, so the body is ordinary Java code that may call
 * suspending methods ({@link Asyncio#sleep(double)}, {@link Awaitable#await()}, ...) at any
 * depth. {@code await f()} in Python is the plain call {@code f()} here.
 *
 * <pre>{@code
 * Coroutine<String> c = () -> { Asyncio.sleep(1); return "done"; };
 * String s = Asyncio.run(c);
 * }</pre>
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Coroutine<T> {

    /**
     * Runs the body. May suspend the calling task.
     *
     * @return the result
     * @throws Exception any exception; it becomes the task's exception, unchanged
     */
    T call() throws Exception;
}
