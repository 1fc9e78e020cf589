package org.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A strand on its own virtual thread, for JVMs without access to continuations.
 *
 * <p>How this works: a hand-off token, {@link #strandTurn}, says whose turn it is. The loop
 * sets it and unparks the strand's thread, then waits until the strand gives the turn back
 * (by suspending or finishing a body). The strand does the mirror image. Both sides re-check
 * the token after every wake-up, so spurious wake-ups are harmless, and because exactly one
 * side holds the turn, the loop and its coroutines never run at the same time: every
 * observable ordering is the one the continuation strand gives. The volatile token orders
 * everything each side did before handing over. The loop spins briefly before parking, since
 * a strand usually answers within microseconds; a suspended strand parks at once, so that it
 * never holds one of the few carrier threads the other virtual threads need. The thread runs one assigned
 * body after the other; a retired strand's thread is resumed with no body and exits.
 */
final class VirtualThreadStrand implements Strand {

    private static final Thread.Builder BUILDER = Thread.ofVirtual().name("jasyncio-strand");
    private static final ThreadLocal<VirtualThreadStrand> CURRENT = new ThreadLocal<>();
    /** How long the loop spins for a strand's answer before parking (not the strand: it would hold a carrier). */
    private static final int SPINS = 1 << 8;

    private Thread thread;
    private volatile boolean strandTurn;
    private volatile boolean bodyDone = true;
    private Runnable body;
    private Thread resumer;

    private void runBodies() {
        CURRENT.set(this);
        try {
            while (body != null) { // no body: retired
                runBody();
                bodyDone = true;
                suspendHere();
            }
        } finally {
            strandTurn = false;
            LockSupport.unpark(resumer);
        }
    }

    /** A method of its own so that the idle strand's frames do not keep the finished body alive. */
    private void runBody() {
        Thread.interrupted(); // a pooled thread starts each body with a clear interrupt status
        Runnable b = body;
        body = null;
        b.run();
    }

    @Override
    public void assign(Runnable b) {
        body = b;
        bodyDone = false;
    }

    @Override
    public void resume() {
        resumer = Thread.currentThread();
        strandTurn = true;
        if (thread == null) {
            thread = BUILDER.start(this::runBodies);
        } else {
            LockSupport.unpark(thread);
        }
        boolean interrupted = false;
        for (int i = 0; strandTurn && i < SPINS; i++) {
            Thread.onSpinWait();
        }
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
        return bodyDone;
    }

    @Override
    public StackTraceElement[] suspendedStack() {
        Thread t = thread;
        return t == null || bodyDone || strandTurn ? new StackTraceElement[0] : t.getStackTrace();
    }

    @Override
    public void retire() {
        if (thread != null && bodyDone) {
            body = null;
            resume(); // the thread sees no body and exits
        }
    }

    /** The factory for this strand kind. */
    static final class Factory implements StrandFactory {
        @Override
        public Strand create() {
            return new VirtualThreadStrand();
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
