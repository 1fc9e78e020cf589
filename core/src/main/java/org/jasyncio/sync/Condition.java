package org.jasyncio.sync;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jasyncio.CancelledError;

/**
 * A condition variable for tasks: asyncio's {@code asyncio.Condition}, with the method names
 * of {@code java.util.concurrent.locks.Condition} ({@code await}, {@code signal},
 * {@code signalAll}). A task holding the condition's lock calls {@link #await()} to release it
 * and wait for a {@link #signal()}; it holds the lock again when {@code await()} returns.
 *
 * <pre>{@code
 * Condition cond = new Condition();
 * try (var _ = cond.hold()) {
 *     cond.awaitFor(() -> !items.isEmpty());
 *     take(items);
 * }
 * // elsewhere
 * try (var _ = cond.hold()) {
 *     items.add(x);
 *     cond.signal();
 * }
 * }</pre>
 */
public class Condition implements Acquirable {

    /*
     * Implementation overview.
     *
     * asyncio 3.13's algorithm. await() parks a waiter, releases the lock, waits to be
     * signalled, then re-acquires the lock <em>whatever happened</em>, retrying if it is cancelled
     * while re-acquiring (the cancellation is rethrown once the lock is held again). If
     * await() ends with any exception, it may have consumed a signal meant for someone,
     * so it passes one signal on; this can cause a spurious wake-up, which condition variables
     * allow. Callers re-check their predicate, as awaitFor does.
     *
     * A condition belongs to the loop of its lock. Not thread-safe; see the package comment.
     */

    private final Lock lock;
    private final WaitQueue waiters;

    /** Creates a condition over a new {@link Lock}. asyncio's {@code Condition()}. */
    public Condition() {
        this(new Lock());
    }

    /**
     * Creates a condition over {@code lock}. asyncio's {@code Condition(lock)}.
     *
     * @param lock the lock; it may be shared by several conditions
     */
    public Condition(Lock lock) {
        if (lock == null) {
            throw new NullPointerException("lock");
        }
        this.lock = lock;
        this.waiters = new WaitQueue(lock.binding);
    }

    /** Acquires the underlying lock. asyncio's {@code await cond.acquire()}. */
    @Override
    public void acquire() {
        lock.acquire();
    }

    /**
     * Releases the underlying lock. asyncio's {@code cond.release()}.
     *
     * @throws IllegalStateException if it is not locked
     */
    @Override
    public void release() {
        lock.release();
    }

    /** @return true if the underlying lock is held. asyncio's {@code locked()}. */
    @Override
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, waits until signalled, and re-acquires the lock before returning,
     * even when cancelled. asyncio's {@code await cond.wait()}. It may return spuriously.
     *
     * @throws IllegalStateException if the lock is not held, or outside a task
     * @throws CancelledError        if the task is cancelled (it holds the lock again)
     */
    public void await() {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot await on an un-acquired lock: acquire the Condition first");
        }
        Waiter w = waiters.park("Condition.await()");
        try {
            lock.release();
        } catch (RuntimeException e) {
            waiters.remove(w);
            throw e;
        }
        try {
            try {
                w.await();
            } finally {
                waiters.remove(w);
                reacquire();
            }
        } catch (Throwable t) {
            // We may have been signalled before failing: pass one signal on.
            waiters.wakePending(1);
            throw t;
        }
    }

    /** Takes the lock back, retrying through cancellations and rethrowing the last one. */
    private void reacquire() {
        CancelledError cancelled = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError e) {
                cancelled = e;
            }
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * Waits until {@code predicate} is true: checks it, and {@link #await()}s again while it is
     * false. asyncio's {@code await cond.wait_for(predicate)}; {@link #awaitFor(Supplier)} also
     * returns the predicate's value, as asyncio's does.
     *
     * @param predicate checked with the lock held
     * @throws NullPointerException  if {@code predicate} is null
     * @throws IllegalStateException if the lock is not held
     * @throws CancelledError        if the task is cancelled (it holds the lock again)
     */
    public void awaitFor(BooleanSupplier predicate) {
        java.util.Objects.requireNonNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Waits until {@code predicate} returns a true value and returns that value: checks it,
     * and {@link #await()}s again while it is false. A value is false as Python's truth test
     * would find it: {@code null}, {@code false}, a number equal to zero, an empty
     * {@link CharSequence}, {@link Collection}, {@link Map}, array or {@link Optional}; any
     * other value is true. asyncio's {@code result = await cond.wait_for(predicate)}, which
     * returns the predicate's last value. A lambda returning a primitive {@code boolean}
     * selects {@link #awaitFor(BooleanSupplier)} instead, which returns nothing.
     *
     * <pre>{@code
     * try (var _ = cond.hold()) {
     *     String item = cond.awaitFor(() -> items.poll());   // null while there is none
     * }
     * }</pre>
     *
     * @param <T>       the type of the predicate's value
     * @param predicate checked with the lock held; called once, then once per wake-up
     * @return the predicate's first true value
     * @throws NullPointerException  if {@code predicate} is null
     * @throws IllegalStateException if the lock is not held when the predicate is false, or
     *                               outside a task
     * @throws CancelledError        if the task is cancelled (it holds the lock again)
     */
    public <T> T awaitFor(Supplier<T> predicate) {
        if (predicate == null) {
            throw new NullPointerException("predicate");
        }
        T value = predicate.get();
        while (!isTrue(value)) {
            await();
            value = predicate.get();
        }
        return value;
    }

    /** Python's truth test ({@code bool(x)}) for the Java types that have an equivalent. */
    private static boolean isTrue(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case BigDecimal d -> d.signum() != 0;
            case BigInteger i -> i.signum() != 0;
            case Number n -> n.doubleValue() != 0; // NaN is true, as in Python
            case CharSequence cs -> !cs.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Optional<?> o -> o.isPresent();
            default -> !value.getClass().isArray() || Array.getLength(value) != 0;
        };
    }

    /**
     * Wakes one waiting task; it returns from {@code await()} once it re-acquires the lock,
     * which the caller still holds. asyncio's {@code notify()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, in FIFO order. asyncio's {@code notify(n)}.
     *
     * @param n the most to wake
     * @throws IllegalStateException if the lock is not held
     */
    public void signal(int n) {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot signal on an un-acquired lock: acquire the Condition first");
        }
        waiters.checkWaker();
        waiters.wakePending(n);
    }

    /**
     * Wakes every waiting task. asyncio's {@code notify_all()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    /**
     * A snapshot for debugging.
     *
     * @return the lock's state and how many tasks wait to be signalled
     */
    public Statistics statistics() {
        return new Statistics(lock.statistics(), waiters.size() - waiters.cancelledCount());
    }

    /**
     * What {@link #statistics()} returns.
     *
     * @param lock    the underlying lock's statistics
     * @param waiters tasks waiting in {@code await()} to be signalled (cancelled ones not counted)
     */
    public record Statistics(Lock.Statistics lock, int waiters) {
        /**
         * Checks that {@code lock} is not null.
         *
         * @throws NullPointerException if {@code lock} is null
         */
        public Statistics {
            java.util.Objects.requireNonNull(lock, "lock");
        }
    }

    @Override
    public String toString() {
        String s = lock.locked() ? "locked" : "unlocked";
        int n = waiters.size();
        return "Condition[" + (n > 0 ? s + ", waiters:" + n : s) + "]";
    }
}
