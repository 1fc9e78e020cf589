package org.jasyncio;

/**
 * How a loop with a {@linkplain Runner.Builder#scheduleSeed(long) schedule seed} orders the
 * events that became ready in the same iteration. No asyncio counterpart: asyncio hands them
 * out in the order the selector, the timer heap and the thread-safe queue give them.
 */
public enum ScheduleStrategy {
    /** Each time, every order allowed is equally likely. */
    RANDOM,
    /**
     * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010), as the Coyote and Fray
     * testers use it: each source of events (a channel, a thread, a timer) gets a random
     * priority at first sight, the highest-priority event goes first, and at
     * {@link #PCT_DEPTH} - 1 randomly chosen choice points among the first
     * {@link #PCT_STEPS} the source just chosen drops to the lowest priority. It finds bugs that
     * need a few specific orderings (a small "depth") with a probability that does not shrink
     * with the length of the run as uniform random choice does.
     */
    PCT;

    /** The bug depth {@link #PCT} targets: it makes {@code PCT_DEPTH - 1} priority changes. */
    public static final int PCT_DEPTH = 3;

    /** The number of choice points among which {@link #PCT} places its priority changes. */
    public static final int PCT_STEPS = 32;

    /** The largest delay, in nanoseconds, added to a timer's deadline under a seed and virtual time (1 ms). */
    public static final long JITTER_NANOS = 1_000_000;
}
