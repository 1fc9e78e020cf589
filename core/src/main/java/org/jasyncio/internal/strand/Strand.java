package org.jasyncio.internal.strand;

/**
 * A worker that runs coroutine bodies, one at a time, and can suspend in the middle of one:
 * one coroutine's execution context. Exactly one of the loop and its strands runs at a time.
 *
 * <p>Life cycle: {@link #assign(Runnable)} gives the strand a body; each {@link #resume()} runs
 * it until it suspends (through {@link StrandFactory#suspend()}) or returns; once
 * {@link #isDone()}, the strand may be assigned the next body (see {@link StrandPool}), so a
 * finished task's stack is reused by the next task instead of being allocated anew.
 */
public interface Strand {

    /**
     * Gives the strand its next body, which starts at the next {@link #resume()}.
     *
     * @param body the body; it must not throw
     */
    void assign(Runnable body);

    /**
     * Runs the body until it next suspends or returns. Called only from the loop.
     *
     * @throws StrandBlockedException on the virtual strand, if the body stayed blocked on a
     *                                thread-owned lock for about a second; the strand is then
     *                                abandoned, and the loop must resume no strand again
     */
    void resume();

    /** {@return true once the current body has returned} */
    boolean isDone();

    /** {@return the stack of the body while it is suspended; empty when running, done or unknown} */
    StackTraceElement[] suspendedStack();

    /**
     * {@return the thread the body runs on while resumed, when it has one of its own (the
     * virtual strand); null when the body runs on the resuming thread (the continuation
     * strand)} Any thread may ask (debug mode's watchdog does); the answer may be stale.
     */
    default Thread thread() {
        return null;
    }

    /**
     * The stack of the body while it runs, read from another thread (a task dump of a loop
     * stuck in a blocking call); empty when the strand is not a thread of its own, whose
     * running body is on the loop thread's stack.
     *
     * @return the running body's stack, or an empty array
     */
    default StackTraceElement[] runningStack() {
        return new StackTraceElement[0];
    }

    /** Ends an idle strand for good (its thread, if it has one, exits). */
    void retire();

    /**
     * Whether the strand is a thread of its own, which thread dumps list by name (then the
     * loop gives it the task's name with {@link #nameThread}). False by default.
     *
     * @return true for the virtual-thread strand
     */
    default boolean ownsThread() {
        return false;
    }

    /**
     * Names the strand's thread after the task whose body it runs now, so that a thread dump
     * ({@code jcmd PID Thread.dump_to_file}) shows which task each thread is. Does nothing for
     * a strand without a thread of its own; the name goes back to the plain one when the body
     * returns.
     *
     * @param taskName the task's name
     */
    default void nameThread(String taskName) {
    }
}
