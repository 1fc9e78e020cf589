package org.jasyncio.sync;

/**
 * asyncio's {@code QueueEmpty}: {@link Queue#getNowait()} found the queue empty.
 */
public class QueueEmptyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
