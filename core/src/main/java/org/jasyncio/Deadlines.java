package org.jasyncio;

import java.time.Duration;

/**
 * The loop's time arithmetic, in one place: converting seconds and {@link Duration}s to
 * nanoseconds, turning a delay into a deadline on the {@link System#nanoTime()} scale, and the
 * time left until a deadline. Every result saturates at {@link Long#MIN_VALUE} or
 * {@link Long#MAX_VALUE} instead of wrapping, as asyncio's float clock saturates at
 * {@code -inf}/{@code inf}: a deadline at or before now is due on the next iteration, and a
 * delay too large for a long never comes due.
 */
final class Deadlines {

    /*
     * Implementation overview.
     *
     * Deadlines are absolute System.nanoTime() values compared directly (deadline <= now), not
     * through the difference deadline - now that nanoTime's documentation recommends: a
     * saturated deadline (Long.MIN_VALUE, Long.MAX_VALUE) is only meaningful as an absolute
     * value, and the difference of two values far apart wraps, which is exactly the fault this
     * class removes (a deadline at Long.MIN_VALUE + now seen as 292 years away). Comparing
     * absolute values is exact as long as nanoTime itself does not wrap while the JVM runs,
     * which holds on every platform the JDK supports (its origin is boot or JVM start). NaN is
     * refused by the callers before they get here.
     */

    /** The largest number of seconds whose nanoseconds fit in a long. */
    private static final double MAX_SECONDS = Long.MAX_VALUE / 1e9;

    private Deadlines() {
    }

    /**
     * {@code seconds} in nanoseconds, rounded up (waking early would spin until the deadline),
     * saturated: +inf and anything past {@link Long#MAX_VALUE} ns give {@code Long.MAX_VALUE},
     * -inf and anything below give {@link Long#MIN_VALUE}. NaN is the caller's to refuse.
     */
    static long toNanos(double seconds) {
        if (seconds >= MAX_SECONDS) {
            return Long.MAX_VALUE;
        }
        if (seconds <= -MAX_SECONDS) {
            return Long.MIN_VALUE;
        }
        return (long) Math.ceil(seconds * 1e9);
    }

    /** {@code d} in nanoseconds, saturated like {@link #toNanos(double)}. */
    static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLarge) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@code d} in seconds (a double: it saturates by itself). */
    static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    /*
     * The one rule for a Duration passed where asyncio takes seconds: every Duration overload of
     * the public API converts with the two methods below (or, where null has a meaning, tests for
     * null first and then uses them).
     *
     *  - null: NullPointerException whose message is the parameter's name. A delay has no
     *    "None" in asyncio. Where asyncio does accept None (a timeout: wait_for(aw, None),
     *    timeout(None), wait(timeout=None), as_completed(timeout=None)), the overload documents
     *    null as "no timeout" and handles it before converting.
     *  - negative: kept negative, so each function treats it exactly as asyncio treats a
     *    negative number of seconds there: sleep yields once, wait_for times out at once,
     *    timeout/wait/as_completed/call_later fire on the next loop iteration.
     *  - huge: never an ArithmeticException. toNanos saturates at Long.MAX_VALUE (never comes
     *    due, like asyncio's sleep(1e300)); seconds is at most about 9.22e18, a finite double,
     *    and every deadline computed from it saturates in toNanos(double) and after().
     */

    /**
     * {@code d} in nanoseconds, saturated (see the rule above).
     *
     * @throws NullPointerException naming {@code parameter} if {@code d} is null
     */
    static long toNanos(Duration d, String parameter) {
        if (d == null) {
            throw new NullPointerException(parameter);
        }
        return toNanos(d);
    }

    /**
     * {@code d} in seconds, for the APIs built on seconds (see the rule above).
     *
     * @throws NullPointerException naming {@code parameter} if {@code d} is null
     */
    static double seconds(Duration d, String parameter) {
        if (d == null) {
            throw new NullPointerException(parameter);
        }
        return seconds(d);
    }

    /** {@code a + b}, saturated at {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}. */
    static long add(long a, long b) {
        long sum = a + b;
        // Overflow iff both operands have the sign the sum lacks.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }

    /** The deadline {@code delayNanos} after {@code now}, saturated. */
    static long after(long now, long delayNanos) {
        return add(now, delayNanos);
    }

    /** The deadline for loop time {@code when} (seconds on the {@link EventLoop#time()} scale), saturated. */
    static long atLoopTime(double when) {
        return toNanos(when);
    }

    /** The nanoseconds from {@code now} until {@code deadline}: 0 if it is due, never negative, never wrapped. */
    static long remaining(long deadline, long now) {
        if (deadline <= now) {
            return 0;
        }
        long left = deadline - now;
        return left < 0 ? Long.MAX_VALUE : left; // deadline > now: a negative difference wrapped
    }

    /** {@code nanos} (positive) in whole milliseconds, rounded up and at least 1, saturated. */
    static long ceilMillis(long nanos) {
        long millis = nanos / 1_000_000;
        if (nanos % 1_000_000 != 0) {
            millis++;
        }
        return Math.max(1, millis);
    }
}
