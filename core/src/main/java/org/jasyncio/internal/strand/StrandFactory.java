package org.jasyncio.internal.strand;

/**
 * The one door for suspending: creates strands and suspends the current one. One factory is
 * chosen per JVM by {@link Strands}.
 */
public interface StrandFactory {

    /** {@return a new idle strand} {@link Strand#assign} gives it work. */
    Strand create();

    /**
     * Suspends the strand running on this thread and hands control back to the loop that
     * resumed it. Returns when the loop resumes it again.
     *
     * @throws IllegalStateException if the current stack cannot be suspended (pinned)
     */
    void suspend();

    /** {@return the name used by the {@code jasyncio.strand} property: continuation or virtual} */
    String name();
}
