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
 */
final class ContinuationStrand implements Strand, Runnable {

    /** Replaced by a fresh one when the previous continuation finished (see run). */
    private Object continuation;
    private boolean continuationFinished;
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
     * waits for it. A body that never suspended (most short tasks) leaves nothing worth
     * keeping, and yielding would cost a stack copy, so the continuation simply finishes and
     * the next body gets a fresh one, which is cheaper. Only the continuation calls this.
     */
    @Override
    public void run() {
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
    public void assign(Runnable b) {
        body = b;
        bodyDone = false;
        interrupted = false;
        resumes = 0;
        if (continuationFinished) {
            continuation = ContinuationAccess.create(this);
            continuationFinished = false;
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
        Thread t = Thread.currentThread();
        boolean fromOutside = Thread.interrupted();
        boolean own = interrupted;
        if (own) {
            t.interrupt();
        }
        if (resumes < 2) {
            resumes++;
        }
        try {
            ContinuationAccess.run(continuation);
        } finally {
            interrupted = Thread.interrupted();
            if (interrupted && !own && InterruptWatch.outsideDuringStep()) {
                interrupted = false; // another thread interrupted the loop while this step ran
                fromOutside = true;
            }
            if (fromOutside) {
                t.interrupt();
            }
        }
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
        public void suspend() {
            ContinuationAccess.yieldCurrent();
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
