package org.jasyncio.internal.strand;

/**
 * Thrown by {@link Strand#resume()} on the virtual strand when the loop gave up waiting for
 * its strand: the strand has stayed blocked on a thread-owned lock (a monitor, a
 * {@code ReentrantLock} or a {@code ReentrantReadWriteLock}) for about a second, which, with
 * tasks that suspend while holding such locks, is a deadlock no one can break (see
 * {@link Strands#LOCK_RULE}). Its stack trace is the blocked strand's, taken when the loop
 * gave up, so a report shows where the task waits.
 *
 * <p>The strand keeps its turn: its loop must not resume any strand again. The loop turns
 * this into the error its {@code run}/{@code runForever} throw.
 */
public final class StrandBlockedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** What the strand is blocked on, for a human: "entering a monitor (synchronized)", ... */
    private final String blockedOn;
    /** For about how long the loop saw it blocked, in milliseconds. */
    private final long millis;

    StrandBlockedException(String blockedOn, long millis, StackTraceElement[] strandStack) {
        super("the task's strand has been blocked " + blockedOn + " for about " + millis
                + " ms while its loop waited for it to suspend or finish");
        this.blockedOn = blockedOn;
        this.millis = millis;
        setStackTrace(strandStack);
    }

    /**
     * What the strand is blocked on.
     *
     * @return e.g. {@code "entering a monitor (synchronized)"}
     */
    public String blockedOn() {
        return blockedOn;
    }

    /**
     * For about how long the loop saw the strand blocked before it gave up.
     *
     * @return milliseconds
     */
    public long millis() {
        return millis;
    }
}
