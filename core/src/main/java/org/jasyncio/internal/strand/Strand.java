package org.jasyncio.internal.strand;

/**
 * One coroutine's execution context: a body that can be resumed by the loop and that can
 * suspend itself back to the loop. Exactly one of the loop and its strands runs at a time.
 *
 * <p>A strand is created suspended; the first {@link #resume()} starts the body. {@code resume}
 * returns when the body calls {@link StrandFactory#suspend()} or finishes.
 */
public interface Strand {

    /** Runs the body until it next suspends or finishes. Called only from the loop. */
    void resume();

    /** True once the body has returned (normally or not). */
    boolean isDone();

    /** The stack of the body while it is suspended; empty when running, done or unknown. */
    StackTraceElement[] suspendedStack();
}
