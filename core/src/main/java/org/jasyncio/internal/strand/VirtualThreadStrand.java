package org.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A strand on its own virtual thread, for JVMs without access to continuations.
 *
 * <p>How this works: a hand-off token, {@link #strandTurn}, says whose turn it is. The loop
 * sets it and unparks the strand's thread, then parks until the strand gives the turn back
 * (by suspending or finishing). The strand does the mirror image. Both sides re-check the
 * token after every park, so spurious wake-ups are harmless, and because exactly one side
 * holds the turn, the loop and its coroutines never run at the same time: every observable
 * ordering is the one the continuation strand gives. The volatile writes and reads of the
 * token order everything each side did before handing over.
 */
final class VirtualThreadStrand implements Strand {

    private static final Thread.Builder BUILDER = Thread.ofVirtual().name("jasyncio-strand");
    private static final ThreadLocal<VirtualThreadStrand> CURRENT = new ThreadLocal<>();

    private final Thread thread;
    private volatile boolean strandTurn;
    private volatile boolean done;
    private boolean started;
    private Thread resumer;

    VirtualThreadStrand(Runnable body) {
        this.thread = BUILDER.unstarted(() -> {
            CURRENT.set(this);
            try {
                body.run();
            } finally {
                done = true;
                strandTurn = false;
                LockSupport.unpark(resumer);
            }
        });
    }

    @Override
    public void resume() {
        resumer = Thread.currentThread();
        strandTurn = true;
        if (!started) {
            started = true;
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
        boolean interrupted = false;
        while (strandTurn) {
            LockSupport.park(this);
            // An interrupt of the loop thread must not make this wait spin; keep it for later.
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            resumer.interrupt();
        }
    }

    private void suspendHere() {
        // park() returns at once while the interrupt status is set: set aside the task's own
        // interrupt for the wait (else a task that interrupted itself would spin until resumed)
        // and give it back on resumption, as the continuation strand does.
        boolean interrupted = Thread.interrupted();
        strandTurn = false;
        LockSupport.unpark(resumer);
        while (!strandTurn) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public StackTraceElement[] suspendedStack() {
        return done || strandTurn ? new StackTraceElement[0] : thread.getStackTrace();
    }

    /** The factory for this strand kind. */
    static final class Factory implements StrandFactory {
        @Override
        public Strand create(Runnable body) {
            return new VirtualThreadStrand(body);
        }

        @Override
        public void suspend() {
            VirtualThreadStrand current = CURRENT.get();
            if (current == null) {
                throw new IllegalStateException("suspend() called outside a strand");
            }
            current.suspendHere();
        }

        @Override
        public String name() {
            return "virtual";
        }
    }
}
