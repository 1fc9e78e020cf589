package org.jasyncio.streams;

/**
 * A separator was not found within the stream's limit: asyncio's {@code LimitOverrunError},
 * thrown by {@link StreamReader#readuntil}, after which the data stays buffered.
 * {@link StreamReader#readline} does not throw it: as asyncio's {@code readline()} turns it into
 * a {@code ValueError}, it discards the over-long line and throws an
 * {@link IllegalArgumentException} whose cause is this exception.
 */
public class LimitOverrunException extends RuntimeException {

    /** How many buffered bytes the search covered. */
    private final int consumed;

    /**
     * Creates the exception.
     *
     * @param message  what happened
     * @param consumed how many bytes to consume to get past the data that was searched
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * asyncio's {@code consumed}.
     *
     * @return how many buffered bytes the search covered
     */
    public int consumed() {
        return consumed;
    }
}
