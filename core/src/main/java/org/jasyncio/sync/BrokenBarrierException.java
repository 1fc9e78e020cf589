package org.jasyncio.sync;

/**
 * asyncio's {@code BrokenBarrierError}: a {@link Barrier} was aborted or reset while a task
 * waited on it, or is broken. Unchecked, unlike {@code java.util.concurrent}'s exception of the
 * same name.
 */
public class BrokenBarrierException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened to the barrier
     */
    public BrokenBarrierException(String message) {
        super(message);
    }
}
