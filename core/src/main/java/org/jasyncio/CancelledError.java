package org.jasyncio;

/**
 * asyncio's {@code CancelledError}: the operation was cancelled.
 *
 * <p>It is an {@link Error}, not an {@link Exception}, for the reason asyncio made it a
 * {@code BaseException}: a {@code catch (Exception e)} written for ordinary failures must not
 * swallow a cancellation. A task may still catch it deliberately, clean up, and either
 * rethrow it (the usual case) or finish normally (then call {@link Task#uncancel()}).
 */
public class CancelledError extends Error {

    private static final long serialVersionUID = 1L;

    /** A cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * A cancellation carrying the message given to {@code cancel(msg)}.
     *
     * @param message the message, or null
     */
    public CancelledError(String message) {
        super(message);
    }
}
