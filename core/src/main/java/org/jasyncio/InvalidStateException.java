package org.jasyncio;

/**
 * asyncio's {@code InvalidStateError}: a future was asked for something its state does not
 * allow, such as the result of a pending future or a second result.
 */
public class InvalidStateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong
     */
    public InvalidStateException(String message) {
        super(message);
    }
}
