/**
 * asyncio's synchronization primitives: {@link org.jasyncio.sync.Lock},
 * {@link org.jasyncio.sync.Event}, {@link org.jasyncio.sync.Condition},
 * {@link org.jasyncio.sync.Semaphore}, {@link org.jasyncio.sync.BoundedSemaphore} and
 * {@link org.jasyncio.sync.Barrier}.
 *
 * <p>Like asyncio's, they are not thread-safe: they are for the tasks of one loop. A primitive
 * can be created anywhere and binds to the loop where a task first waits on it; waiting on it
 * from another loop, or waking its waiters from another loop or thread, throws
 * {@link IllegalStateException}. Every waiter waits in FIFO order, and a waiter cancelled while
 * it waits gives up nothing and takes nothing: a lock or permit handed to it passes on.
 *
 * <p>Release in Java style with try-with-resources or a lambda:
 * <pre>{@code
 * try (var _ = lock.hold()) {          // async with lock:
 *     ...
 * }
 * int n = lock.withLock(() -> count()); // the same, as a lambda
 * }</pre>
 */
package org.jasyncio.sync;
