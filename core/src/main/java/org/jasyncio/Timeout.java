package org.jasyncio;

import java.time.Duration;
import org.jasyncio.internal.Rethrow;

/**
 * A deadline for a block of code, that can be moved while the block runs: asyncio's
 * {@code asyncio.Timeout}, the object {@code async with asyncio.timeout(...) as cm} binds.
 * Python's {@code async with} block is the body given to {@link #run(Coroutine)}.
 *
 * <pre>{@code
 * Timeout t = Timeout.after(Duration.ofSeconds(10));
 * String page = t.run(() -> {
 *     t.reschedule(Asyncio.getRunningLoop().time() + 30);   // needs more time after all
 *     return download();
 * });                                                         // AsyncTimeoutException if late
 * }</pre>
 *
 * <p>For a fixed deadline, {@link Asyncio#timeout(Duration, Coroutine)} is shorter. A
 * {@code Timeout} is single-use: {@code run} may be called once.
 */
public final class Timeout {

    /*
     * Implementation overview.
     *
     * Like asyncio, it is built on Task.cancel() and Task.uncancel() only. On
     * entry it records the task's Task.cancelling() count. When the deadline passes, a
     * timer cancels the task (state EXPIRING); the body unwinds with a
     * CancelledError. On exit, the timeout withdraws its own request with
     * uncancel(): if the count is back to what it was on entry, the cancellation was its
     * own and becomes an AsyncTimeoutException; if it is higher, someone else (an outer
     * timeout, an outer cancel()) also asked for cancellation, and the
     * CancelledError propagates unchanged. That is how nested timeouts and an outer
     * cancellation arriving while an inner deadline fires are told apart.
     *   state | meaning
     *   CREATED | not yet run
     *   ENTERED | the body runs; the deadline timer is armed
     *   EXPIRING | the deadline passed and cancelled the task; the body unwinds
     *   EXPIRED | exited after the deadline passed
     *   EXITED | exited before the deadline
     */

    private enum State { CREATED, ENTERED, EXPIRING, EXPIRED, EXITED }

    private State state = State.CREATED;
    private Double when;
    private Task<?> task;
    private int cancellingOnEntry;
    private Handle timer;

    /**
     * A timeout with a deadline at loop time {@code when} (see {@link EventLoop#time()}), or
     * none if null. asyncio's {@code Timeout(when)}.
     *
     * @param when the deadline in loop time, or null for no deadline
     */
    public Timeout(Double when) {
        if (when != null && when.isNaN()) {
            throw new IllegalArgumentException("a timeout deadline cannot be NaN");
        }
        this.when = when;
    }

    /**
     * A timeout expiring {@code delay} from now; null means never. asyncio's
     * {@code asyncio.timeout(delay)}.
     *
     * @param delay the delay, or null
     * @return the timeout, not yet entered
     * @throws IllegalStateException if no loop runs here
     */
    public static Timeout after(Duration delay) {
        EventLoop loop = Asyncio.getRunningLoop();
        return delay == null ? new Timeout(null) : new Timeout(loop.time() + Deadlines.seconds(delay, "delay"));
    }

    /**
     * A timeout expiring {@code seconds} from now. asyncio's {@code asyncio.timeout(delay)}.
     *
     * @param seconds the delay; infinity means never
     * @return the timeout, not yet entered
     */
    public static Timeout after(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("a timeout cannot be NaN seconds");
        }
        EventLoop loop = Asyncio.getRunningLoop();
        return new Timeout(seconds == Double.POSITIVE_INFINITY ? null : loop.time() + seconds);
    }

    /**
     * A timeout expiring at loop time {@code when}. asyncio's {@code asyncio.timeout_at(when)}.
     *
     * @param when the deadline, in loop time
     * @return the timeout, not yet entered
     */
    public static Timeout at(double when) {
        return new Timeout(when);
    }

    /**
     * The deadline, in loop time ({@link EventLoop#time()}, seconds). asyncio's
     * {@code Timeout.when()}.
     *
     * @return the deadline in loop time, or null if there is none
     */
    public Double when() {
        return when;
    }

    /**
     * Moves the deadline while the body runs; null removes it. A deadline already past makes
     * the timeout fire on the next loop iteration. asyncio's {@code Timeout.reschedule(when)}.
     *
     * @param when the new deadline in loop time, or null
     * @throws IllegalStateException if the body is not running, or the timeout already fired
     */
    public void reschedule(Double when) {
        if (state != State.ENTERED) {
            if (state == State.CREATED) {
                throw new IllegalStateException("Timeout has not been entered");
            }
            throw new IllegalStateException("Cannot change state of " + state.name().toLowerCase() + " Timeout");
        }
        if (when != null && when.isNaN()) {
            throw new IllegalArgumentException("a timeout deadline cannot be NaN");
        }
        this.when = when;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (when != null) {
            EventLoop loop = task.loop;
            timer = when <= loop.time() ? loop.callSoon(this::onTimeout) : loop.callAt(when, this::onTimeout);
        }
    }

    /**
     * Whether the deadline passed while the body ran (and cancelled it). asyncio's
     * {@code Timeout.expired()}.
     *
     * @return true once the deadline passed and cancelled the body
     */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /**
     * Runs {@code body} in the current task under this deadline, and returns its result. If
     * the deadline passes first, the body is cancelled (it sees a {@link CancelledError} at
     * its suspension point) and, once it has unwound, this throws
     * {@link AsyncTimeoutException}. A cancellation that also came from elsewhere propagates
     * as a {@code CancelledError}. asyncio's {@code async with timeout: body}.
     *
     * @param <T>  the result type
     * @param body the body; its exceptions propagate unchanged
     * @return the body's result
     * @throws AsyncTimeoutException if the deadline cancelled the body
     * @throws IllegalStateException outside a task, or if this timeout was already run
     */
    public <T> T run(Coroutine<T> body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        enter();
        T value;
        try {
            value = body.call();
        } catch (Throwable t) {
            throw Rethrow.unchecked(exit(t));
        }
        Throwable t = exit(null);
        if (t != null) {
            throw Rethrow.unchecked(t);
        }
        return value;
    }

    /**
     * {@link #run(Coroutine)} for a body that returns nothing.
     *
     * @param body the body
     */
    public void run(AsyncRunnable body) {
        run(Coroutines.of(body, "body"));
    }

    private void enter() {
        if (state != State.CREATED) {
            throw new IllegalStateException("Timeout has already been entered");
        }
        Task<?> current = Suspension.currentTask("Timeout.run()");
        this.task = current;
        this.cancellingOnEntry = current.cancelling();
        state = State.ENTERED;
        reschedule(when);
    }

    /** asyncio's {@code __aexit__}: returns what the body should end with (null: normally). */
    private Throwable exit(Throwable exc) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingOnEntry && exc != null) {
                // No cancellation request but ours is left: this one is ours to convert.
                if (exc instanceof CancelledError) {
                    return new AsyncTimeoutException("timed out", exc);
                }
                // asyncio 3.13 chains a TimeoutError into the body's own exception (and into each
                // exception of a group).
                exc.addSuppressed(expiredNote());
                if (exc instanceof TaskGroupException group) {
                    for (Throwable t : group.exceptions()) {
                        t.addSuppressed(expiredNote());
                    }
                }
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return exc;
    }

    private static AsyncTimeoutException expiredNote() {
        return new AsyncTimeoutException("the timeout expired while this exception was raised");
    }

    private void onTimeout() {
        if (state != State.ENTERED) {
            return;
        }
        task.cancel();
        state = State.EXPIRING;
        timer = null;
    }

    @Override
    public String toString() {
        return "Timeout[" + state.name().toLowerCase() + (when != null ? " when=" + when : "") + "]";
    }
}
