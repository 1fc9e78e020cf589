package org.jasyncio;

import java.util.Set;

/**
 * What {@link Asyncio#wait(java.util.Collection, java.time.Duration, ReturnWhen)} returns:
 * asyncio's {@code (done, pending)} pair. Both sets keep the order of the input and hold the
 * original futures.
 *
 * @param <F>     the future type
 * @param done    the futures that were done when wait returned
 * @param pending the futures still pending (never cancelled by wait)
 */
public record WaitResult<F extends Future<?>>(Set<F> done, Set<F> pending) {

    /**
     * Checks both sets.
     *
     * @throws NullPointerException if {@code done} or {@code pending} is null
     */
    public WaitResult {
        java.util.Objects.requireNonNull(done, "done");
        java.util.Objects.requireNonNull(pending, "pending");
    }
}
