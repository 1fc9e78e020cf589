package org.jasyncio.internal.strand;

import jdk.internal.vm.Continuation;

/**
 * A strand on {@code jdk.internal.vm.Continuation}: resume is {@code cont.run()} on the loop
 * thread, suspend is {@code Continuation.yield(scope)}. The calls are direct (see
 * {@link ContinuationAccess}, which also tells whether this JVM allows them); this class is only
 * used when it does, and loads without the {@code --add-exports} flag all the same.
 *
 * <p>How this works: the continuation's body is a loop that runs one assigned body after the
 * other; after each, it marks itself done and yields, waiting for the next. A retired strand
 * stays suspended in that yield and is simply garbage-collected.
 *
 * <p>ThreadLocals: every task runs on the loop's thread, so a task's own ThreadLocal maps are
 * swapped onto that thread for each step and the loop's put back after it
 * ({@link #resume(Object)}, through {@link ThreadLocalAccess}, when {@code java.lang} is open to
 * this library; without that, every task of a loop shares the loop thread's ThreadLocals). The
 * task keeps its maps between steps, not the strand, which stays at 24 bytes. A nested body (an
 * async generator's, resumed with {@link #resume()} inside a task's step) swaps nothing, so it
 * sees the task's maps.
 */
final class ContinuationStrand implements Strand, Runnable {

    /** Null once the previous one finished (see run); assign makes a fresh one. */
    private Continuation continuation;
    /** Whether the pool would keep this strand if the current body ended in this step. */
    private boolean keep = true;
    private Runnable body;
    private boolean bodyDone = true;
    /**
     * Resumes of the current body, counted up to 2: 1 at its end means it never suspended. A
     * byte, so that the strand takes 24 bytes instead of 32 (a million sleeping tasks hold a
     * million strands).
     */
    private byte resumes;
    /** The body's own interrupt status, kept off the loop thread between its steps. */
    private boolean interrupted;

    ContinuationStrand() {
        // The strand is the continuation's Runnable itself: no lambda object per strand, and
        // one frame fewer in every suspended task's stack chunk.
        this.continuation = ContinuationAccess.create(this);
    }

    /**
     * Runs one body after the other. A body that suspended at least once has grown this
     * continuation's stack storage, which the next body reuses: the continuation yields and
     * waits for it, if the pool will keep this strand. A body that never suspended (most short
     * tasks) leaves nothing worth keeping, and yielding would cost a stack copy, so the
     * continuation simply finishes and the next body gets a fresh one, which is cheaper; so does
     * one whose strand the pool would drop (a million sleepers waking at once, each yield a
     * stack chunk allocated for nothing). Only the continuation calls this.
     */
    @Override
    public void run() {
        while (true) {
            runBody();
            bodyDone = true;
            if (resumes == 1 || !keep) {
                continuation = null;
                return;
            }
            ContinuationAccess.yieldCurrent();
        }
    }

    /**
     * A method of its own so that no frame of the idle strand still references the finished
     * body (and through it its task) while the strand waits in the pool.
     */
    private void runBody() {
        Runnable b = body;
        body = null;
        b.run();
    }

    /** The task keeps its maps and hands them to each {@link #resume(Object)}. */
    @Override
    public void assign(Runnable b, Object taskLocals) {
        assignNested(b);
    }

    @Override
    public void assignNested(Runnable b) {
        body = b;
        bodyDone = false;
        interrupted = false;
        resumes = 0;
        if (continuation == null) {
            continuation = ContinuationAccess.create(this);
        }
    }

    /**
     * Every task shares the loop thread, so its interrupt status is swapped per step: an
     * interrupt a task sets on itself stays with that task (and never makes the loop's select
     * return at once, which would turn it into a busy spin), while an interrupt that came
     * from outside is left for the loop, which checks it between iterations. One that came
     * from outside during the step is told apart by the loop's {@link InterruptWatch}.
     */
    @Override
    public void resume() {
        step(null, false);
    }

    @Override
    public void keepAfterBody(boolean kept) {
        keep = kept;
    }

    /**
     * A task's step: its maps go onto the loop thread for the step and come back after it, the
     * loop's put back (when {@code java.lang} is open to this library; else a plain resume).
     */
    @Override
    public Object resume(Object taskLocals) {
        return step((ThreadLocalMaps) taskLocals, ThreadLocalAccess.AVAILABLE);
    }

    private ThreadLocalMaps step(ThreadLocalMaps m, boolean swap) {
        Thread t = Thread.currentThread();
        boolean fromOutside = Thread.interrupted();
        boolean own = interrupted;
        if (own) {
            t.interrupt();
        }
        if (resumes < 2) {
            resumes++;
        }
        Object outerLocals = null;
        Object outerInheritable = null;
        if (swap) {
            outerLocals = ThreadLocalAccess.locals(t);
            outerInheritable = ThreadLocalAccess.inheritable(t);
            ThreadLocalAccess.setLocals(t, m == null ? null : m.locals());
            Object inheritable = m == null ? null : m.inheritable();
            if (outerInheritable != null || inheritable != null) { // most threads and tasks have none
                ThreadLocalAccess.setInheritable(t, inheritable);
            }
        }
        try {
            continuation.run();
        } finally {
            if (swap) {
                // The loop's maps go back before anything of the loop's runs (InterruptWatch
                // below keeps its own in a ThreadLocal of the loop's thread).
                Object locals = ThreadLocalAccess.locals(t);
                Object inheritable = ThreadLocalAccess.inheritable(t);
                ThreadLocalAccess.setLocals(t, outerLocals);
                if (inheritable != outerInheritable) {
                    ThreadLocalAccess.setInheritable(t, outerInheritable);
                }
                // A finished body's maps die with it, as a thread's do.
                m = bodyDone ? null : ThreadLocalMaps.of(m, locals, inheritable);
            }
            interrupted = Thread.interrupted();
            if (interrupted && !own && InterruptWatch.outsideDuringStep()) {
                interrupted = false; // another thread interrupted the loop while this step ran
                fromOutside = true;
            }
            if (fromOutside) {
                t.interrupt();
            }
        }
        return m;
    }

    /** Yields the current continuation, which is this strand's when called as the contract says. */
    @Override
    public void suspend() {
        ContinuationAccess.yieldCurrent();
    }

    @Override
    public boolean isDone() {
        return bodyDone;
    }

    @Override
    public StackTraceElement[] suspendedStack() {
        return bodyDone ? new StackTraceElement[0] : ContinuationAccess.stackTrace(continuation);
    }

    @Override
    public void retire() {
        // Nothing to end: an unreferenced suspended continuation is reclaimed by the GC.
    }

    /** The factory for this strand kind. */
    static final class Factory implements StrandFactory {
        @Override
        public Strand create() {
            return new ContinuationStrand();
        }

        @Override
        public boolean perTaskThreadLocals() {
            return ThreadLocalAccess.AVAILABLE;
        }

        @Override
        public String name() {
            return "continuation";
        }

        @Override
        public boolean runsOnLoopThread() {
            return true;
        }
    }
}
