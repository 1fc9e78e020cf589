package org.jasyncio.sync;

/**
 * asyncio's {@code QueueFull}: {@link Queue#putNowait(Object)} found the queue full.
 */
public class QueueFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueFullException(String message) {
        super(message);
    }
}
