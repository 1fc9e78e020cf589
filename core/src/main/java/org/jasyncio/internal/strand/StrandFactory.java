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

    /**
     * {@return whether task bodies run on the loop's own thread} (the continuation strand):
     * then an interrupt of the loop's thread can land while a task runs, and the loop tells
     * such interrupts from outside apart from a task's own with an {@link InterruptWatch}.
     */
    default boolean runsOnLoopThread() {
        return false;
    }
}
