package org.jasyncio.internal.strand;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Watches the waits for virtual-thread strands, so that a strand blocked on a thread-owned lock
 * (see {@link Strands#LOCK_RULE}) ends its loop's wait with a {@link StrandBlockedException}
 * instead of hanging it: one daemon thread per JVM, "jasyncio-strand-watch", started by the
 * first wait and ending after about ten seconds without any.
 *
 * <p>How this works: every thread that resumes virtual-thread strands (a loop's thread, or a
 * task's strand stepping an async generator) has one {@link Waiter}, registered here once
 * (weakly). While it waits for a strand, the waiter names that strand and a wait counter; the
 * thread parks without a timeout. Every {@link #INTERVAL_NANOS} the watch looks at each
 * waiter: a wait it has seen before, still going, has lasted at least one interval, and the
 * watch then looks at what the strand's thread does; when {@link #BLOCKED_LOOKS} looks in a
 * row find it blocked entering a monitor ({@link Thread.State#BLOCKED}) or parked acquiring a
 * {@link ReentrantLock} or {@link ReentrantReadWriteLock}, it hands the waiting thread a
 * {@link StrandBlockedException} and unparks it. A wait costs its thread two field writes: a
 * timed park would cost a virtual thread a timer scheduled and cancelled on every hand-off,
 * which doubled the hand-off's cost on a loop that runs on a virtual thread.
 */
final class StrandWatch {

    /** The longest a platform thread spins for a strand's answer before parking, in nanoseconds. */
    static final long MAX_SPIN_NANOS = 50_000;
    /** The shortest, in nanoseconds. */
    static final long MIN_SPIN_NANOS = 2_000;
    /** The longest a virtual thread yields its carrier for an answer before parking, in nanoseconds. */
    static final long MAX_YIELD_NANOS = 10_000;

    /**
     * How long to keep a thread busy for an answer that usually comes after {@code average}
     * nanoseconds before it parks: a few times that, while it is under {@link #MAX_SPIN_NANOS};
     * none once answers usually take longer.
     */
    static long budget(long average) {
        return budget(average, MAX_SPIN_NANOS);
    }

    /**
     * {@link #budget(long)} with {@code cap} in place of {@link #MAX_SPIN_NANOS}: a yield of a
     * virtual thread costs a stack copy each time, so yielding pays only for answers that come
     * within {@link #MAX_YIELD_NANOS}.
     */
    static long budget(long average, long cap) {
        return average < cap ? Math.min(cap, 2 * average + MIN_SPIN_NANOS) : 0;
    }

    /** {@code average} moved an eighth of the way to {@code sample} (capped), both in nanoseconds. */
    static long average(long average, long sample) {
        return average + ((Math.min(sample, 16 * MAX_SPIN_NANOS) - average) >> 3);
    }

    /** How often the watch looks at the waits, in nanoseconds. */
    static final long INTERVAL_NANOS = 100_000_000L;
    /**
     * How many looks in a row must find the strand blocked on a thread-owned lock before its
     * waiter gives up: ten, so the strand has been blocked for about a second.
     */
    static final int BLOCKED_LOOKS = 10;

    /** How many scans in a row must find no wait before the watch thread ends (about ten seconds). */
    private static final int IDLE_SCANS = 100;

    private static final List<WeakReference<Waiter>> WAITERS = new ArrayList<>();
    /** The watch thread while one runs; written under WAITERS' lock. */
    private static volatile Thread watch;

    private StrandWatch() {
    }

    /** One thread's waits for the strands it resumes. Written by that thread, read by the watch. */
    static final class Waiter {
        /** The thread that waits; set for each wait (a loop may run on another thread next time). */
        volatile Thread thread;
        /** The strand waited for now, or null. */
        volatile VirtualThreadStrand awaited;
        /**
         * Counts the waits, so that the watch tells a new wait for the same strand from an old
         * one. Plain: written by the waiting thread before the volatile write of awaited.
         */
        int waits;
        /** Set by the watch when it gives up on the awaited strand; taken by the waiting thread. */
        volatile StrandBlockedException gaveUp;

        /** A moving average of how long the strands took to answer this thread, in ns. */
        private long answerNanos;

        // Read and written by the watch only.
        private VirtualThreadStrand seen;
        private int seenWaits;
        private int blockedLooks;

        Waiter() {
            synchronized (WAITERS) {
                WAITERS.add(new WeakReference<>(this));
            }
        }

        /**
         * How long this resumer should stay busy (a platform thread spinning, a virtual one
         * yielding its carrier) before it parks, in nanoseconds; see {@link #budget}.
         */
        long spinBudget() {
            return budget(answerNanos);
        }

        /** {@link #spinBudget()} for a virtual resumer, which yields its carrier meanwhile. */
        long yieldBudget() {
            return budget(answerNanos, MAX_YIELD_NANOS);
        }

        /** Records that a strand answered after {@code nanos}. */
        void answeredAfter(long nanos) {
            answerNanos = average(answerNanos, nanos);
        }

        /** Starts a wait of the current thread for {@code s}. */
        void begin(VirtualThreadStrand s) {
            Thread t = Thread.currentThread();
            if (thread != t) {
                thread = t;
            }
            waits++; // only this thread writes it
            awaited = s;
            if (watch == null) { // read after the write of awaited: see watch()'s ending
                ensureWatch();
            }
        }

        /**
         * Ends the wait, dropping the watch's verdict if one came, and goes back to the wait
         * this one was nested in ({@code outerThread} waiting for {@code outerAwaited}; null if
         * none). Waits nest when the waiting thread's strand was itself resumed by a thread with
         * the same waiter: a task's thread lends its maps, and so this waiter, to the async
         * generator it steps. The outer thread is parked meanwhile, so the waits end in order.
         */
        void end(Thread outerThread, VirtualThreadStrand outerAwaited) {
            if (outerAwaited != null) {
                thread = outerThread;
                waits++; // the outer wait starts over for the watch: conservative
            }
            awaited = outerAwaited;
            if (gaveUp != null) {
                gaveUp = null;
            }
        }
    }

    private static void ensureWatch() {
        synchronized (WAITERS) {
            if (watch == null) {
                watch = Thread.ofPlatform().daemon().name("jasyncio-strand-watch").start(StrandWatch::watch);
            }
        }
    }

    private static void watch() {
        List<Waiter> live = new ArrayList<>();
        int idleScans = 0;
        while (true) {
            LockSupport.parkNanos(INTERVAL_NANOS);
            live.clear();
            synchronized (WAITERS) {
                WAITERS.removeIf(r -> {
                    Waiter w = r.get();
                    if (w != null) {
                        live.add(w);
                    }
                    return w == null;
                });
            }
            boolean anyWait = false;
            for (Waiter w : live) {
                anyWait |= look(w);
            }
            idleScans = anyWait ? 0 : idleScans + 1;
            if (idleScans >= IDLE_SCANS) {
                synchronized (WAITERS) {
                    watch = null;
                    // A wait that began before it could see watch == null must still be watched:
                    // its waiter wrote awaited before reading watch, and this reads awaited after
                    // writing watch, so one of the two sees the other.
                    boolean late = false;
                    for (Waiter w : live) {
                        late |= w.awaited != null;
                    }
                    if (!late) {
                        return;
                    }
                    watch = Thread.currentThread();
                    idleScans = 0;
                }
            }
        }
    }

    /** Looks at one waiter; returns whether it waits. */
    private static boolean look(Waiter w) {
        VirtualThreadStrand s = w.awaited;
        int waits = w.waits;
        if (s == null || s != w.seen || waits != w.seenWaits) {
            // A new wait (or none): it has not lasted an interval yet.
            w.seen = s;
            w.seenWaits = waits;
            w.blockedLooks = 0;
            return s != null;
        }
        Thread t = s.thread();
        String blockedOn = t == null ? null : blockedOnThreadOwnedLock(t);
        w.blockedLooks = blockedOn == null ? 0 : w.blockedLooks + 1;
        if (w.blockedLooks >= BLOCKED_LOOKS && w.awaited == s && w.waits == waits) {
            w.gaveUp = new StrandBlockedException(blockedOn, w.blockedLooks * INTERVAL_NANOS / 1_000_000,
                    t.getStackTrace());
            w.blockedLooks = 0;
            LockSupport.unpark(w.thread);
        }
        return true;
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
}
