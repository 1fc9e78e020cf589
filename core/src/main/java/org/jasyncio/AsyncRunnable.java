package org.jasyncio;

/**
 * A coroutine that returns nothing: Python's {@code async def f() -> None}. Accepted by the
 * {@code createTask} and {@code run} overloads, which give {@code Task<Void>} and nothing.
 */
@FunctionalInterface
public interface AsyncRunnable {

    /**
     * Runs the body. May suspend the calling task.
     *
     * @throws Exception any exception; it becomes the task's exception, unchanged
     */
    void run() throws Exception;
}
