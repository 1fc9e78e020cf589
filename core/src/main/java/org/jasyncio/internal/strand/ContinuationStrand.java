package org.jasyncio.internal.strand;


/**
 * A strand on {@code jdk.internal.vm.Continuation}: resume is {@code cont.run()} on the loop
 * thread, suspend is {@code Continuation.yield(scope)}. The JDK class is reached through the
 * method handles of {@link ContinuationAccess}, so this library compiles against the public
 * API only and loads without the {@code --add-exports} flag.
 */
final class ContinuationStrand implements Strand {

    private final Object continuation;
    /** The body's own interrupt status, kept while it is suspended. */
    private boolean interrupted;

    ContinuationStrand(Runnable body) {
        this.continuation = ContinuationAccess.create(body);
    }

    /**
     * Runs the body on this (the loop's) thread. The body and the loop share the thread's
     * interrupt status, so it is swapped: the body sees only its own interrupts, as it would
     * on its own virtual thread, and an interrupt the body leaves set never reaches the loop
     * (where it would read as an interrupt from outside and cancel the main task).
     */
    @Override
    public void resume() {
        boolean loopInterrupted = Thread.interrupted();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            ContinuationAccess.run(continuation);
        } finally {
            interrupted = Thread.interrupted();
            if (loopInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isDone() {
        return ContinuationAccess.isDone(continuation);
    }

    @Override
    public StackTraceElement[] suspendedStack() {
        return ContinuationAccess.stackTrace(continuation);
    }

    /** The factory for this strand kind. */
    static final class Factory implements StrandFactory {
        @Override
        public Strand create(Runnable body) {
            return new ContinuationStrand(body);
        }

        @Override
        public void suspend() {
            ContinuationAccess.yieldCurrent();
        }

        @Override
        public String name() {
            return "continuation";
        }
    }

}
