package org.jasyncio;

/**
 * Turns an {@link AsyncRunnable} into a {@link Coroutine}, for the {@code AsyncRunnable}
 * overloads of {@link Asyncio}, {@link Timeout} and {@link TaskGroup}.
 */
final class Coroutines {

    /* Implementation overview: Java's stand-in for asyncio's coroutines.py, where a
     * coroutine returning None needs no adapter. Asyncio.createTask(AsyncRunnable) needs none
     * either (Task runs an AsyncRunnable as it is, and makes this adapter only if getCoro() asks).
     * The adapter runs the body and returns null, so
     * a task of it is a Task<Void>; its exceptions pass through unchanged. A null body is
     * refused at once with a NullPointerException naming the public parameter (coro, body,
     * main), before anything is scheduled or checked (Asyncio.run(AsyncRunnable) throws it
     * even under a running loop), the same way for every AsyncRunnable overload. */

    private Coroutines() {
    }

    /** {@code r} as a coroutine returning null; a null {@code r} is refused as parameter "coro". */
    static Coroutine<Void> of(AsyncRunnable r) {
        return of(r, "coro");
    }

    /** {@code r} as a coroutine returning null; a null {@code r} is refused naming {@code parameter}. */
    static Coroutine<Void> of(AsyncRunnable r, String parameter) {
        if (r == null) {
            throw new NullPointerException(parameter);
        }
        return () -> {
            r.run();
            return null;
        };
    }
}
