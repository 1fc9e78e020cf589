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
     * A strand that will run {@code body} at its next resume.
     *
     * @param body the body; it must not throw
     * @return the strand
     */
    public Strand start(Runnable body) {
        Strand s = idle.pollLast();
        if (s == null) {
            s = factory.create();
        }
        s.assign(body);
        return s;
    }

    /**
     * Takes back a strand whose body returned.
     *
     * @param s the strand, {@link Strand#isDone()}
     */
    public void recycle(Strand s) {
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
