package org.jasyncio.internal.strand;

import java.util.ArrayDeque;

/**
 * One loop's idle strands, reused from task to task. Most tasks finish in their first few
 * steps; starting the next task on a finished task's strand saves allocating a continuation
 * (or starting a virtual thread) per task. Used only on its loop; not thread-safe.
 */
public final class StrandPool {

    /** Idle strands kept beyond this are retired, so a burst does not pin memory forever. */
    static final int MAX_IDLE = 256;

    private final StrandFactory factory;
    private final ArrayDeque<Strand> idle = new ArrayDeque<>();
    /**
     * The thread that holds the loop's turn when it is a strand's own (the virtual strand), else
     * null: the loop's thread. Written only by the thread handing the turn over, before the
     * strand's volatile hand-off token, so the strand reads its own thread here.
     */
    private Thread turn;

    /**
     * Creates an empty pool of {@code factory}'s strands.
     *
     * @param factory the kind of strand to pool
     */
    public StrandPool(StrandFactory factory) {
        this.factory = factory;
    }

    /** {@return the factory whose strands this pool holds} */
    public StrandFactory factory() {
        return factory;
    }

    /**
     * A strand that will run a task's {@code body} at its next resume, with ThreadLocals of its
     * own (see {@link Strand#assign}).
     *
     * @param body       the body; it must not throw
     * @param taskLocals what {@link Strands#inheritLocals()} captured when the task was made;
     *                   null for none
     * @return the strand
     */
    public Strand start(Runnable body, Object taskLocals) {
        Strand s = take();
        s.assign(body, taskLocals);
        return s;
    }

    /**
     * A strand that will run {@code body} at its next resume in the ThreadLocals of whoever
     * resumes it (see {@link Strand#assignNested}).
     *
     * @param body the body; it must not throw
     * @return the strand
     */
    public Strand startNested(Runnable body) {
        Strand s = take();
        s.assignNested(body);
        return s;
    }

    private Strand take() {
        Strand s = idle.pollLast();
        return s == null ? factory.create() : s;
    }

    /**
     * Resumes {@code s} for this pool's loop ({@link Strand#resume()}), recording that its
     * thread, if it has one, holds the loop's turn until it suspends or returns: a strand taken
     * from another loop's pool (an async generator stepped by a task of this loop) counts as
     * this loop's while it runs.
     *
     * @param s the strand
     */
    public void resume(Strand s) {
        resume(s, null, true);
    }

    /**
     * {@link #resume(Strand)} for a task's own strand, with its ThreadLocal state
     * ({@link Strand#resume(Object)}).
     *
     * @param s          the task's strand
     * @param taskLocals what the task kept (opaque; null for none)
     * @return what the task keeps for its next step
     */
    public Object resume(Strand s, Object taskLocals) {
        return resume(s, taskLocals, false);
    }

    /** Either resume: a nested body's ({@link Strand#resume()}) or a task's with its state. */
    private Object resume(Strand s, Object taskLocals, boolean nested) {
        Thread outer = turn;
        Thread t = s.thread();
        if (t != null) {
            turn = t;
        }
        s.keepAfterBody(idle.size() < MAX_IDLE);
        try {
            if (nested) {
                s.resume();
                return null;
            }
            return s.resume(taskLocals);
        } finally {
            turn = outer;
        }
    }

    /**
     * The thread that runs this pool's loop's code now, if it is not the loop's own (see
     * {@link #resume}); null otherwise. Any thread may ask: a strand's thread finds itself here
     * while it holds the turn; any other thread may read a stale value, never its own.
     *
     * @return the strand thread holding the turn, or null
     */
    public Thread turn() {
        return turn;
    }

    /**
     * Takes back a strand whose body returned; one that is not {@link Strand#reusable()} is
     * dropped.
     *
     * @param s the strand, {@link Strand#isDone()}
     */
    public void recycle(Strand s) {
        if (!s.reusable()) {
            return;
        }
        if (idle.size() < MAX_IDLE) {
            idle.addLast(s);
        } else {
            s.retire();
        }
    }

    /** Retires every idle strand. */
    public void close() {
        Strand s;
        while ((s = idle.pollLast()) != null) {
            s.retire();
        }
    }
}
