package org.jasyncio;

/**
 * Turns an {@link AsyncRunnable} into a {@link Coroutine}, for the {@code AsyncRunnable}
 * overloads of {@link Asyncio}, {@link Timeout} and {@link TaskGroup}.
 */
final class Coroutines {

    /* Implementation overview: Java's stand-in for asyncio's coroutines.py, where a
     * coroutine returning None needs no adapter. The adapter runs the body and returns null, so
     * a task of it is a Task<Void>; its exceptions pass through unchanged. A null body is
     * refused at once with NullPointerException("coroutine"), before anything is scheduled or
     * checked (Asyncio.run(AsyncRunnable) throws it even under a running loop), the same way
     * for every AsyncRunnable overload. */

    private Coroutines() {
    }

    /** {@code r} as a coroutine returning null. */
    static Coroutine<Void> of(AsyncRunnable r) {
        if (r == null) {
            throw new NullPointerException("coroutine");
        }
        return () -> {
            r.run();
            return null;
        };
    }
}
