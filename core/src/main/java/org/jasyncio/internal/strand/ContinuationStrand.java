package org.jasyncio.internal.strand;


/**
 * A strand on {@code jdk.internal.vm.Continuation}: resume is {@code cont.run()} on the loop
 * thread, suspend is {@code Continuation.yield(scope)}. The JDK class is reached through the
 * method handles of {@link ContinuationAccess}, so this library compiles against the public
 * API only and loads without the {@code --add-exports} flag.
 */
final class ContinuationStrand implements Strand {

    private final Object continuation;

    ContinuationStrand(Runnable body) {
        this.continuation = ContinuationAccess.create(body);
    }

    @Override
    public void resume() {
        ContinuationAccess.run(continuation);
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
