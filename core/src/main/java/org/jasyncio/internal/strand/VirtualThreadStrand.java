package org.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
 *
 * <p>A thread-owned lock held across a suspension (see {@link Strands#LOCK_RULE}) would wedge
 * the loop here for good: the strand waits for a lock that a suspended strand of the same
 * loop holds, and that strand waits for the loop, which waits for the strand. So the loop's
 * wait, once it has lasted {@link #LOOK_INTERVAL_NANOS}, looks at the strand every
 * {@link #LOOK_INTERVAL_NANOS}; when {@link #BLOCKED_LOOKS} looks in a row find it blocked
 * entering a monitor ({@link Thread.State#BLOCKED}) or parked acquiring a
 * {@link ReentrantLock} or {@link ReentrantReadWriteLock}, {@link #resume()} gives up with a
 * {@link StrandBlockedException}. The strand keeps the turn then: the loop must never resume
 * any strand again (it could run at the same time as this one, if the lock is ever released).
 * A strand that answers within the first interval, as every strand of a correct program does
 * unless it makes a blocking call, costs nothing more than before: the timed park returns as
 * the untimed one did, and the clock is read only once a wait has timed out.
 */
final class VirtualThreadStrand implements Strand {

    /** The name of an idle strand's thread; a busy one is named after its task ({@link #nameThread}). */
    private static final String IDLE_NAME = "jasyncio-strand";
    private static final Thread.Builder BUILDER = Thread.ofVirtual().name(IDLE_NAME);
    private static final ThreadLocal<VirtualThreadStrand> CURRENT = new ThreadLocal<>();
    /** How long the loop spins for a strand's answer before parking (not the strand: it would hold a carrier). */
    private static final int SPINS = 1 << 8;
    /** How long the loop waits for its strand between two looks at what the strand does, in nanoseconds. */
    static final long LOOK_INTERVAL_NANOS = 100_000_000L;
    /**
     * How many looks in a row must find the strand blocked on a thread-owned lock before the
     * loop gives up: ten, so the strand has been blocked for about a second.
     */
    static final int BLOCKED_LOOKS = 10;

    private Thread thread;
    /** The name the thread gets when it starts, if it was named before it existed. */
    private String threadName;
    /** Whether the thread carries a task's name, to be reset when the body ends. */
    private volatile boolean named;
    private volatile boolean strandTurn;
    private volatile boolean bodyDone = true;
    private Runnable body;
    private Thread resumer;

    private void runBodies() {
        CURRENT.set(this);
        try {
            while (body != null) { // no body: retired
                runBody();
                if (named) {
                    named = false;
                    Thread.currentThread().setName(IDLE_NAME);
                }
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
    public StackTraceElement[] runningStack() {
        Thread t = thread;
        return t == null || bodyDone || !strandTurn ? new StackTraceElement[0] : t.getStackTrace();
    }

    @Override
    public boolean ownsThread() {
        return true;
    }

    @Override
    public void nameThread(String taskName) {
        named = true;
        String name = IDLE_NAME + " " + taskName;
        Thread t = thread;
        if (t == null) {
            threadName = name; // the thread starts at the first resume
        } else {
            t.setName(name);
        }
    }

    @Override
    public void resume() {
        resumer = Thread.currentThread();
        strandTurn = true;
        if (thread == null) {
            String name = threadName;
            threadName = null;
            thread = name == null ? BUILDER.start(this::runBodies) : Thread.ofVirtual().name(name).start(this::runBodies);
        } else {
            LockSupport.unpark(thread);
        }
        boolean interrupted = false;
        for (int i = 0; strandTurn && i < SPINS; i++) {
            Thread.onSpinWait();
        }
        boolean looking = false; // set once a wait timed out: the clock is read only from then on
        long nextLook = 0;
        int blockedLooks = 0;
        try {
            while (strandTurn) {
                LockSupport.parkNanos(this, LOOK_INTERVAL_NANOS);
                // An interrupt of the loop thread must not make this wait spin; keep it for later.
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                if (!strandTurn) {
                    break;
                }
                long now = System.nanoTime();
                if (!looking) {
                    looking = true;
                    nextLook = now + LOOK_INTERVAL_NANOS;
                } else if (now - nextLook >= 0) {
                    nextLook = now + LOOK_INTERVAL_NANOS;
                    String blockedOn = blockedOnThreadOwnedLock(thread);
                    blockedLooks = blockedOn == null ? 0 : blockedLooks + 1;
                    if (blockedLooks >= BLOCKED_LOOKS && strandTurn) {
                        throw new StrandBlockedException(blockedOn, blockedLooks * LOOK_INTERVAL_NANOS / 1_000_000,
                                thread.getStackTrace());
                    }
                }
            }
        } finally {
            if (interrupted) {
                resumer.interrupt();
            }
        }
    }

    /**
     * What {@code t} is blocked on, if it waits to take a thread-owned lock: entering a monitor,
     * or parked acquiring a {@link ReentrantLock} or a {@link ReentrantReadWriteLock} (their
     * park blocker is their inner {@code Sync}). Null otherwise: running, in a blocking call
     * such as {@code Thread.sleep}, or waiting on anything else (a latch, a queue, another
     * thread), which the rule does not cover.
     */
    static String blockedOnThreadOwnedLock(Thread t) {
        Thread.State state = t.getState();
        if (state == Thread.State.BLOCKED) {
            return "entering a monitor (synchronized)";
        }
        if (state == Thread.State.WAITING) {
            Object blocker = LockSupport.getBlocker(t);
            Class<?> outer = blocker == null ? null : blocker.getClass().getEnclosingClass();
            if (outer == ReentrantLock.class || outer == ReentrantReadWriteLock.class) {
                return "acquiring a " + outer.getSimpleName() + " (" + blocker + ")";
            }
        }
        return null;
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
    public Thread thread() {
        return thread;
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
