package org.jasyncio;

/**
 * When {@link Asyncio#wait(java.util.Collection, java.time.Duration, ReturnWhen)} returns:
 * asyncio's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and {@code ALL_COMPLETED}.
 */
public enum ReturnWhen {
    /** As soon as any future is done (or cancelled). */
    FIRST_COMPLETED,
    /**
     * As soon as any future finishes with an exception (a cancellation does not count), or
     * when all are done.
     */
    FIRST_EXCEPTION,
    /** When all futures are done. */
    ALL_COMPLETED
}
