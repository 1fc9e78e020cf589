package org.jasyncio.internal.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * A strand on its own virtual thread, for JVMs without access to continuations.
 *
 * <p>How this works: a hand-off token, {@link #strandTurn}, says whose turn it is. The resumer
 * (the loop's thread, or a task's strand stepping an async generator) sets it and unparks the
 * strand's thread, then waits until the strand gives the turn back (by suspending or finishing
 * a body). The strand does the mirror image. Both sides re-check the token after every
 * wake-up, so spurious wake-ups are harmless, and because exactly one side holds the turn, the
 * loop and its coroutines never run at the same time: every observable ordering is the one the
 * continuation strand gives. The volatile token orders everything each side did before handing
 * over.
 *
 * <p>The waits: a resumer on a platform thread spins before parking for a few times the time
 * its strands usually take to answer (learnt per thread, up to 50 us; not at all once they
 * usually take longer), since a park costs it an OS wake-up. A resumer on a virtual thread, and
 * a suspended strand, yield ({@code Thread.yield()}) for the same kind of learnt budget (the
 * strand learns how soon it is usually resumed, and both only while that is under 10 us: each
 * yield copies the thread's stack) before they park. A yielding virtual thread goes back into
 * its carrier's queue behind the thread it just unparked, so the two take turns on one carrier;
 * once both wait in a park, each unpark makes the JDK's scheduler wake the other, idle carrier,
 * which takes the unparked thread, and every switch pays an OS wake-up (a pingpong switch on 2
 * cores: 3.1-3.7 us without the yields, 2.5-2.7 us with them in a fresh process). Yields stop
 * after the budget, and a strand that is usually resumed late (waiting for I/O or a timer)
 * parks at once, so that it never holds one of the few carrier threads the other virtual
 * threads need (see {@link StrandFactory#prefersVirtualLoopThread()} for why a loop runs on a
 * virtual thread on this strand). Every wait parks
 * without a timeout; {@link StrandWatch} ends a wait for a strand blocked on a thread-owned lock
 * (see {@link Strands#LOCK_RULE}) with a {@link StrandBlockedException}. The strand keeps the
 * turn then: the loop must never resume any strand again (it could run at the same time as this
 * one, if the lock is ever released).
 *
 * <p>ThreadLocals: each task's body sees ThreadLocal maps of its own, as a task of its own
 * virtual thread would. When {@link ThreadLocalAccess#AVAILABLE} a strand's thread runs one body
 * after the other (the pool saves a thread start per task) and installs fresh maps for each:
 * none, plus the InheritableThreadLocal values captured when the task was created. Without that
 * access a thread cannot be cleaned, so each thread runs a single body and ends. A nested body
 * (an async generator's) runs in the maps of the task that steps it: they are lent to its thread
 * for each turn and taken back after, with any map the body created.
 *
 * <p>The current strand of a thread is found in a map from thread to strand, not a ThreadLocal,
 * so that jasyncio keeps nothing in the maps the tasks own.
 */
final class VirtualThreadStrand implements Strand, Runnable {

    /** Whether threads run body after body: only when their ThreadLocal maps can be renewed. */
    static final boolean POOLED = ThreadLocalAccess.AVAILABLE;
    /** The name of an idle strand's thread; a busy one is named after its task ({@link #nameThread}). */
    private static final String IDLE_NAME = "jasyncio-strand";
    /** A pooled thread gets its task's maps per body, so it need not copy any when it starts. */
    private static final Thread.Builder BUILDER = Thread.ofVirtual().name(IDLE_NAME)
            .inheritInheritableThreadLocals(!POOLED);
    /**
     * The waiter of a thread that resumes strands: a loop's thread, or a task's strand stepping
     * an async generator or starting an eager task (there it lives in the task's map, and a
     * generator body shares it through the lent maps: waits nest, see {@link StrandWatch.Waiter#end}).
     */
    private static final ThreadLocal<StrandWatch.Waiter> WAITER = ThreadLocal.withInitial(StrandWatch.Waiter::new);
    /** The fewest spins of a platform resumer before it parks (a virtual one does not spin: it would hold a carrier). */
    private static final int SPINS = 1 << 8;

    /** Made, not started, by the first assign, so that the pool can name it the turn's holder. */
    private Thread thread;
    private boolean started;
    /** Whether the thread carries a task's name, to be reset when the body ends. */
    private volatile boolean named;
    private volatile boolean strandTurn;
    private volatile boolean bodyDone = true;
    private Runnable body;
    /** Whether the body runs in its resumer's ThreadLocal maps (an async generator's). */
    private boolean nested;
    /** The body's InheritableThreadLocal map to start with (pooled, not nested); taken at its start. */
    private Object inheritedLocals;
    /** The async generator body this strand's task is stepping now, if any ({@link #stepping}). */
    private Strand stepping;
    private Thread resumer;
    /** A moving average of how soon this strand was resumed after suspending, in nanoseconds. */
    private long resumedAfterNanos;

    /** The thread's body: runs the assigned bodies, one after the other. */
    @Override
    public void run() {
        try {
            while (body != null) { // no body: retired
                runBody();
                if (named) {
                    named = false;
                    Thread.currentThread().setName(IDLE_NAME);
                }
                bodyDone = true;
                if (!POOLED) {
                    return; // single use: the finally block hands back, and the thread ends
                }
                suspendHere();
            }
        } finally {
            Thread r = resumer;
            strandTurn = false;
            LockSupport.unpark(r);
        }
    }

    /** A method of its own so that the idle strand's frames do not keep the finished body alive. */
    private void runBody() {
        Thread.interrupted(); // a pooled thread starts each body with a clear interrupt status
        Runnable b = body;
        body = null;
        boolean ownMaps = POOLED && !nested;
        Thread me = Thread.currentThread();
        if (ownMaps) {
            ThreadLocalAccess.setLocals(me, null);
            ThreadLocalAccess.setInheritable(me, inheritedLocals);
            inheritedLocals = null;
        }
        try {
            b.run();
        } finally {
            if (ownMaps) {
                // As a thread's maps die with it: nothing of this task reaches the next one.
                ThreadLocalAccess.setLocals(me, null);
                ThreadLocalAccess.setInheritable(me, null);
            }
        }
    }

    @Override
    public void assign(Runnable b, Object taskLocals) {
        makeThread();
        body = b;
        nested = false;
        // The thread keeps the task's maps: it takes what the task inherited now.
        this.inheritedLocals = taskLocals instanceof ThreadLocalMaps m ? m.inheritable() : null;
        bodyDone = false;
    }

    @Override
    public void assignNested(Runnable b) {
        makeThread();
        body = b;
        nested = true;
        inheritedLocals = null;
        bodyDone = false;
    }

    private void makeThread() {
        if (thread == null) {
            thread = BUILDER.unstarted(this);
        }
    }

    @Override
    public Strand innermost() {
        Strand s = stepping;
        return s != null ? s : this;
    }

    @Override
    public Strand stepping(Strand inner) {
        Strand outer = stepping;
        stepping = inner;
        return outer;
    }

    @Override
    public boolean reusable() {
        return POOLED;
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
        thread.setName(IDLE_NAME + " " + taskName);
    }

    @Override
    public void resume() {
        Thread r = Thread.currentThread();
        resumer = r;
        boolean lend = POOLED && nested;
        Thread t = thread;
        if (lend) {
            lendLocals(r, t);
        }
        strandTurn = true;
        if (started) {
            LockSupport.unpark(t);
        } else {
            started = true;
            t.start();
        }
        try {
            awaitTurn(r);
        } finally {
            if (lend) {
                // The body may have made a map (its first ThreadLocal.set): it is the task's.
                lendLocals(t, r);
                ThreadLocalAccess.setLocals(t, null);
                ThreadLocalAccess.setInheritable(t, null);
            }
        }
    }

    private static void lendLocals(Thread from, Thread to) {
        ThreadLocalAccess.setLocals(to, ThreadLocalAccess.locals(from));
        ThreadLocalAccess.setInheritable(to, ThreadLocalAccess.inheritable(from));
    }

    /** Waits until the strand gives the turn back; see the class comment. */
    private void awaitTurn(Thread r) {
        boolean virtual = r.isVirtual();
        if (virtual && !strandTurn) {
            return; // answered already
        }
        StrandWatch.Waiter w = WAITER.get();
        // Busy while the strand usually answers soon, for a budget learnt per thread: a platform
        // resumer spins (a park costs it an OS wake-up, some 10-20 us on a busy machine), a
        // virtual one yields, handing its carrier to the strand it unparked.
        long start = System.nanoTime();
        long budget = virtual ? w.yieldBudget() : w.spinBudget();
        int spins = virtual ? 0 : SPINS;
        for (int i = 0; strandTurn && (i < spins || System.nanoTime() - start < budget); i++) {
            if (virtual) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        if (strandTurn) {
            parkForTurn(r, w);
        }
        w.answeredAfter(System.nanoTime() - start);
    }

    private void parkForTurn(Thread r, StrandWatch.Waiter w) {
        Thread outerThread = w.thread;
        VirtualThreadStrand outerAwaited = w.awaited;
        w.begin(this);
        boolean interrupted = false;
        try {
            while (strandTurn) {
                LockSupport.park(this);
                // An interrupt of the resumer must not make this wait spin; keep it for later.
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                StrandBlockedException gaveUp = w.gaveUp;
                if (gaveUp != null && strandTurn) {
                    throw gaveUp;
                }
            }
        } finally {
            w.end(outerThread, outerAwaited); // also drops a verdict that came after the strand answered
            if (interrupted) {
                r.interrupt();
            }
        }
    }

    private void suspendHere() {
        // park() returns at once while the interrupt status is set: set aside the task's own
        // interrupt for the wait (else a task that interrupted itself would spin until resumed)
        // and give it back on resumption, as the continuation strand does.
        boolean interrupted = Thread.interrupted();
        Thread r = resumer;
        strandTurn = false;
        LockSupport.unpark(r);
        long start = System.nanoTime();
        long budget = StrandWatch.budget(resumedAfterNanos, StrandWatch.MAX_YIELD_NANOS);
        while (!strandTurn && System.nanoTime() - start < budget) {
            Thread.yield();
        }
        while (!strandTurn) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        resumedAfterNanos = StrandWatch.average(resumedAfterNanos, System.nanoTime() - start);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Suspends this strand, which runs on the current thread: hands the turn back and waits for
     * the next {@link #resume()}.
     */
    @Override
    public void suspend() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("suspend() called outside the strand's own thread");
        }
        suspendHere();
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
        if (POOLED && started && bodyDone) {
            body = null;
            nested = false; // lend the closing thread nothing: a dying thread's maps must not come back
            inheritedLocals = null;
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
        public boolean perTaskThreadLocals() {
            return true; // a thread per body, or fresh maps per body
        }

        @Override
        public boolean prefersVirtualLoopThread() {
            return true;
        }

        @Override
        public String name() {
            return "virtual";
        }
    }
}
