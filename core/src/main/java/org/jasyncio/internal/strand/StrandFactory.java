package org.jasyncio.internal.strand;

/**
 * Creates strands of one kind; one factory is chosen per JVM by {@link Strands}.
 */
public interface StrandFactory {

    /** {@return a new idle strand} {@link Strand#assign} gives it work. */
    Strand create();

    /**
     * Whether each task's body sees ThreadLocals of its own in this JVM: always on the virtual
     * strand; on the continuation strand only when {@code java.lang} is open to this library
     * (see {@link Strands#perTaskThreadLocals()}).
     *
     * @return true if ThreadLocals are per task
     */
    boolean perTaskThreadLocals();

    /**
     * Whether a loop should run on a virtual thread: true for the virtual strand, whose
     * hand-offs then cost a carrier switch instead of two OS thread wake-ups.
     *
     * @return true if the loop's entry points should move a platform caller onto a virtual thread
     */
    default boolean prefersVirtualLoopThread() {
        return false;
    }

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
