package org.jasyncio.internal.strand;

/**
 * A strand on {@code jdk.internal.vm.Continuation}: resume is {@code cont.run()} on the loop
 * thread, suspend is {@code Continuation.yield(scope)}. The JDK class is reached through the
 * method handles of {@link ContinuationAccess}, so this library compiles against the public
 * API only and loads without the {@code --add-exports} flag.
 *
 * <p>How this works: the continuation's body is a loop that runs one assigned body after the
 * other; after each, it marks itself done and yields, waiting for the next. A retired strand
 * stays suspended in that yield and is simply garbage-collected.
 *
 * <p>ThreadLocals: every task runs on the loop's thread, so a task's own ThreadLocal maps are
 * swapped onto that thread for each step and the loop's put back after it (four field writes
 * per step, through {@link ThreadLocalAccess}, when {@code java.lang} is open to this library;
 * without that, every task of a loop shares the loop thread's ThreadLocals). A body starts with
 * no map, and the InheritableThreadLocal map captured when its task was created. A nested body
 * (an async generator's, resumed inside a task's step) swaps nothing, so it sees the task's maps.
 */
final class ContinuationStrand implements Strand {

    private final Runnable runBodies = this::runBodies;
    /** Replaced by a fresh one when the previous continuation finished (see runBodies). */
    private Object continuation;
    private boolean continuationFinished;
    private Runnable body;
    private boolean bodyDone = true;
    /** Resumes of the current body: 1 at its end means it never suspended. */
    private int resumes;
    /** The body's own interrupt status, kept off the loop thread between its steps. */
    private boolean interrupted;
    /** Whether the body has ThreadLocal maps of its own (a task's), swapped in for each step. */
    private boolean ownMaps;
    /** The body's ThreadLocal maps between its steps (opaque; null: none yet). */
    private Object locals;
    private Object inheritableLocals;

    ContinuationStrand() {
        this.continuation = ContinuationAccess.create(runBodies);
    }

    /**
     * Runs one body after the other. A body that suspended at least once has grown this
     * continuation's stack storage, which the next body reuses: the continuation yields and
     * waits for it. A body that never suspended (most short tasks) leaves nothing worth
     * keeping, and yielding would cost a stack copy, so the continuation simply finishes and
     * the next body gets a fresh one, which is cheaper.
     */
    private void runBodies() {
        while (true) {
            runBody();
            bodyDone = true;
            if (resumes == 1) {
                continuationFinished = true;
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

    @Override
    public void assign(Runnable b, Object inheritedLocals) {
        start(b, ThreadLocalAccess.AVAILABLE);
        inheritableLocals = inheritedLocals;
    }

    @Override
    public void assignNested(Runnable b) {
        start(b, false);
        inheritableLocals = null;
    }

    private void start(Runnable b, boolean ownMaps) {
        body = b;
        bodyDone = false;
        interrupted = false;
        resumes = 0;
        this.ownMaps = ownMaps;
        locals = null;
        if (continuationFinished) {
            continuation = ContinuationAccess.create(runBodies);
            continuationFinished = false;
        }
    }

    /**
     * Every task shares the loop thread, so its interrupt status is swapped per step: an
     * interrupt a task sets on itself stays with that task (and never makes the loop's select
     * return at once, which would turn it into a busy spin), while an interrupt that came
     * from outside is left for the loop, which checks it between iterations.
     */
    @Override
    public void resume() {
        Thread t = Thread.currentThread();
        boolean fromOutside = Thread.interrupted();
        if (interrupted) {
            t.interrupt();
        }
        resumes++;
        // A constant false folds the swap away where java.lang is not open.
        boolean swap = ThreadLocalAccess.AVAILABLE && ownMaps;
        Object outerLocals = null;
        Object outerInheritable = null;
        boolean swapInheritable = false;
        if (swap) {
            outerLocals = ThreadLocalAccess.locals(t);
            ThreadLocalAccess.setLocals(t, locals);
            // Most threads and tasks have no InheritableThreadLocal at all: then there is nothing to swap.
            outerInheritable = ThreadLocalAccess.inheritable(t);
            swapInheritable = outerInheritable != null || inheritableLocals != null;
            if (swapInheritable) {
                ThreadLocalAccess.setInheritable(t, inheritableLocals);
            }
        }
        try {
            ContinuationAccess.run(continuation);
        } finally {
            if (swap) {
                locals = bodyDone ? null : ThreadLocalAccess.locals(t); // a finished body's maps die with it
                ThreadLocalAccess.setLocals(t, outerLocals);
                Object inheritable = ThreadLocalAccess.inheritable(t);
                if (swapInheritable || inheritable != null) { // the step may have made the task's first one
                    inheritableLocals = bodyDone ? null : inheritable;
                    ThreadLocalAccess.setInheritable(t, outerInheritable);
                }
            }
            interrupted = Thread.interrupted();
            if (fromOutside) {
                t.interrupt();
            }
        }
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
    }
}
