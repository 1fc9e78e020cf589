package org.jasyncio.sync;

/**
 * A held lock or semaphore permit that {@link #close()} gives back: the Java form of asyncio's
 * {@code async with lock:}. Get one from {@link Acquirable#hold()} and use it in
 * try-with-resources:
 *
 * <pre>{@code
 * try (var _ = lock.hold()) {
 *     ... // the lock is held here, and released however the block ends
 * }
 * }</pre>
 */
public final class Guard implements AutoCloseable {

    private Acquirable held;

    Guard(Acquirable held) {
        this.held = held;
    }

    /**
     * Releases what this guard holds; a second call does nothing, so one guard never releases
     * twice.
     */
    @Override
    public void close() {
        Acquirable h = held;
        if (h != null) {
            held = null;
            h.release();
        }
    }
}
