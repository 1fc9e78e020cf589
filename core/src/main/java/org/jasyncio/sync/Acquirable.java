package org.jasyncio.sync;

import java.util.Objects;
import org.jasyncio.AsyncRunnable;
import org.jasyncio.Coroutine;
import org.jasyncio.internal.Rethrow;

/**
 * Something a task acquires and later releases: {@link Lock}, {@link Semaphore},
 * {@link Condition}. It carries the Java forms of asyncio's {@code async with}: a
 * try-with-resources {@link #hold()} and a lambda {@link #withLock(Coroutine)}.
 */
public interface Acquirable {

    /** Acquires, suspending the current task while it must wait. */
    void acquire();

    /** Releases. */
    void release();

    /**
     * Whether {@link #acquire()} would have to wait now. asyncio's {@code locked()}.
     *
     * @return true if it would
     */
    boolean locked();

    /**
     * Acquires and returns a guard whose {@code close()} releases: {@code async with x:} for
     * try-with-resources.
     *
     * <pre>{@code
     * try (var _ = lock.hold()) {
     *     ...
     * }
     * }</pre>
     *
     * @return the guard
     */
    default Guard hold() {
        acquire();
        return new Guard(this);
    }

    /**
     * Runs {@code body} while holding this, and releases however it ends; the body's
     * exception is rethrown unchanged. {@code async with x: return await body()}.
     *
     * @param <T>  the result type
     * @param body what to run
     * @return the body's result
     * @throws NullPointerException if {@code body} is null (nothing is acquired)
     */
    default <T> T withLock(Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        acquire();
        try {
            return body.call();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        } finally {
            release();
        }
    }

    /**
     * {@link #withLock(Coroutine)} for a body that returns nothing.
     *
     * @param body what to run
     * @throws NullPointerException if {@code body} is null (nothing is acquired)
     */
    default void withLock(AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        acquire();
        try {
            body.run();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        } finally {
            release();
        }
    }
}
