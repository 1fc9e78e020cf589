package org.jasyncio;

/**
 * An operation ran out of time: asyncio's {@code TimeoutError}, thrown by
 * {@link Asyncio#waitFor(Awaitable, double)}, {@link Asyncio#timeout(java.time.Duration, Coroutine)}
 * and {@link Timeout#run(Coroutine)} when their deadline cancelled the work, and by
 * {@link AsCompleted} when its timeout passes. When a deadline cancelled a body, the
 * {@link CancelledError} that ended it is the cause.
 */
public class AsyncTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A timeout without a message. */
    public AsyncTimeoutException() {
        super();
    }

    /**
     * A timeout with a message.
     *
     * @param message what timed out
     */
    public AsyncTimeoutException(String message) {
        super(message);
    }

    /**
     * A timeout with a message and the cancellation it replaced.
     *
     * @param message what timed out
     * @param cause   the {@link CancelledError} the deadline caused, or null
     */
    public AsyncTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
