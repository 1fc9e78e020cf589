package org.jasyncio.internal.strand;

/**
 * A worker that runs coroutine bodies, one at a time, and can suspend in the middle of one:
 * one coroutine's execution context. Exactly one of the loop and its strands runs at a time.
 *
 * <p>Life cycle: {@link #assign(Runnable, Object)} gives the strand a body; each
 * {@link #resume()} runs it until it suspends (through {@link #suspend()}) or
 * returns; once {@link #isDone()}, the strand may be assigned the next body (see
 * {@link StrandPool}), so a finished task's stack is reused by the next task instead of being
 * allocated anew.
 *
 * <p>ThreadLocals: a body given by {@code assign} sees ThreadLocal maps of its own while it runs
 * (where {@link StrandFactory#perTaskThreadLocals()}), starting with none but the inherited
 * values it was given, as a new thread does; a body given by {@link #assignNested} sees the
 * maps of whoever resumes it.
 */
public interface Strand {

    /**
     * Gives the strand a task's body, which starts at the next resume with ThreadLocal maps of
     * its own. A strand with a thread of its own keeps the task's maps on that thread and takes
     * them here; one that runs on its resumer's thread swaps them in at each
     * {@link #resume(Object)} and ignores them here.
     *
     * @param body       the body; it must not throw
     * @param taskLocals the task's ThreadLocal state as {@link Strands#inheritLocals()} made it
     *                   (opaque; null for none)
     */
    void assign(Runnable body, Object taskLocals);

    /**
     * Gives the strand its next body, which runs in the ThreadLocal maps of the code that
     * resumes it (an async generator's body sees the maps of the task that steps it).
     *
     * @param body the body; it must not throw
     */
    void assignNested(Runnable body);

    /**
     * Tells the strand whether the pool has room to keep it, should its body end during the
     * next resume. A strand that must work to stay ready for another body (the continuation
     * strand yields once more, which copies its stack) skips that work when it would be
     * dropped anyway. Called only from the loop, before each resume.
     *
     * @param kept true if the pool would keep the strand
     */
    default void keepAfterBody(boolean kept) {
    }

    /**
     * Whether the strand may run another body once this one returned; false for a strand that
     * cannot clean what its body left on its thread (see {@link StrandPool#recycle}).
     *
     * @return true if the pool may keep it
     */
    default boolean reusable() {
        return true;
    }

    /**
     * Runs a task's body until it next suspends or returns, with the task's ThreadLocal maps
     * on the thread for the step if this strand runs on its resumer's thread (the continuation
     * strand), and returns the state the task keeps for its next step. Called only from the
     * loop.
     *
     * @param taskLocals what the task kept (opaque; null for none)
     * @return what the task keeps now: null once it has nothing (its body returned, it never
     *         used a ThreadLocal, or this strand keeps the maps on a thread of its own)
     * @throws StrandBlockedException as {@link #resume()}
     */
    default Object resume(Object taskLocals) {
        resume();
        return null;
    }

    /**
     * Runs the body until it next suspends or returns: a nested body's resume, in the
     * resumer's ThreadLocal maps. Called only from the loop.
     *
     * @throws StrandBlockedException on the virtual strand, if the body stayed blocked on a
     *                                thread-owned lock for about a second; the strand is then
     *                                abandoned, and the loop must resume no strand again
     */
    void resume();

    /**
     * Suspends this strand, which must be the one running on the current thread (the innermost
     * one, when strands nest), and hands control back to the code that resumed it. Returns when
     * that code resumes it again. The one door for suspending.
     *
     * @throws IllegalStateException if the current stack cannot be suspended (pinned), or this
     *                               strand does not run on this thread
     */
    void suspend();

    /**
     * The strand that a suspension of this strand's task suspends now: this one, or the body
     * of the async generator the task is stepping (see {@link #stepping}).
     *
     * @return the innermost strand of the task
     */
    default Strand innermost() {
        return this;
    }

    /**
     * Records that this strand's task now steps {@code inner} (an async generator's body), or
     * nothing more when null, and returns what was recorded before, for the caller to put back.
     * Only a strand with a thread of its own needs to know: elsewhere suspending suspends the
     * innermost body anyway.
     *
     * @param inner the nested strand, or null
     * @return the one recorded before, or null
     */
    default Strand stepping(Strand inner) {
        return null;
    }

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
