package org.jasyncio.sync;

/**
 * asyncio's {@code QueueShutDown} (3.13): the queue was {@link Queue#shutdown() shut down}, so it
 * takes no more items, and gives none once it is empty (or at once after an immediate shutdown).
 */
public class QueueShutDownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
