package org.jasyncio;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's watchdog: one daemon thread per JVM that looks at every running debug loop's
 * current callback or task step and, while one is still running past the loop's slow-callback
 * duration, logs it with the live stack of the thread running it; a step still running at
 * each multiple of the loop's stall-report interval is logged again with a fresh stack.
 * Vert.x's {@code BlockedThreadChecker} does the same for its event-loop threads; asyncio
 * only logs a slow callback after it returned, without a stack.
 */
final class Watchdog {

    /*
     * Implementation overview.
     *
     * One thread for the whole JVM, not one per loop: a program (or a test suite) may run
     * hundreds of loops, and a thread that mostly sleeps should not be paid per loop. It starts
     * with the first debug loop that runs, and parks without a timeout while no debug loop
     * runs (registration unparks it).
     *
     * The loop publishes each item through its Watch: item, then `started` with a release
     * store (begin), and `started = 0` when the item ends (end); only a debug loop does this,
     * so a loop not in debug mode writes nothing. The watchdog reads `started` with an acquire
     * load, then the item, samples the stack, and re-reads `started`: if it changed, the item
     * ended meanwhile and the sample is thrown away. Reports are counted per item (`reported`,
     * watchdog-private), so each threshold is reported once.
     *
     * The thread to sample: the loop's thread, except for a task step on the virtual strand,
     * whose code runs on the task's own virtual thread (Task.stepThread).
     */

    private static final System.Logger LOG = System.getLogger("org.jasyncio");
    /** The watchdog never polls more often than this, in nanoseconds (1 ms). */
    static final long MIN_TICK_NANOS = 1_000_000;
    /** Nor less often than this, in nanoseconds (100 ms). */
    static final long MAX_TICK_NANOS = 100_000_000;
    /** At most this many frames of a sampled stack are logged. */
    static final int MAX_FRAMES = 64;

    private static final Set<Watch> WATCHED = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;

    private Watchdog() {
    }

    /** Starts watching {@code watch}'s loop; from its thread, while it runs in debug mode. */
    static void watch(Watch watch) {
        WATCHED.add(watch);
        Thread t = thread;
        if (t == null) {
            t = start();
        }
        LockSupport.unpark(t);
    }

    /** Stops watching; the loop is no longer running, or no longer in debug mode. */
    static void unwatch(Watch watch) {
        WATCHED.remove(watch);
    }

    private static synchronized Thread start() {
        Thread t = thread;
        if (t == null) {
            t = Thread.ofPlatform().daemon().name("jasyncio-watchdog").unstarted(Watchdog::run);
            t.start();
            thread = t;
        }
        return t;
    }

    private static void run() {
        while (true) {
            if (WATCHED.isEmpty()) {
                LockSupport.park(Watchdog.class);
                continue;
            }
            long tick = MAX_TICK_NANOS;
            for (Watch w : WATCHED) {
                try {
                    tick = Math.min(tick, w.check());
                } catch (RuntimeException bug) {
                    // One failed look must not end the only watchdog thread of the JVM.
                    LOG.log(Level.ERROR, "jasyncio watchdog: checking " + w.loop + " failed", bug);
                }
            }
            LockSupport.parkNanos(Watchdog.class, Math.max(tick, MIN_TICK_NANOS));
        }
    }

    /**
     * One loop's slot, written by the loop (begin/end of each item, in debug mode only) and
     * read by the watchdog.
     */
    static final class Watch {
        private static final VarHandle STARTED;

        static {
            try {
                STARTED = MethodHandles.lookup().findVarHandle(Watch.class, "started", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final EventLoop loop;
        /** The running item; written before `started` (release), so read after it (acquire). */
        private ReadyItem item;
        /** System.nanoTime() when the running item started, or 0 between items. */
        @SuppressWarnings("unused") // through STARTED
        private long started;
        /** Watchdog-private: the `started` of the item reported last, and how often it was. */
        private long reportedFor;
        private int reports;

        Watch(EventLoop loop) {
            this.loop = loop;
        }

        /** The loop starts {@code i} at {@code now}, a System.nanoTime() value other than 0. */
        void begin(ReadyItem i, long now) {
            item = i;
            STARTED.setRelease(this, now == 0 ? 1 : now);
        }

        /** The loop's item ended. */
        void end() {
            STARTED.setRelease(this, 0L);
        }

        /** Watchdog thread: reports the running item if it is due; returns the next tick. */
        long check() {
            long slow = loop.debugging.slowCallbackNanos;
            long stall = loop.debugging.stallReportNanos;
            long tick = Math.clamp(slow / 4, MIN_TICK_NANOS, MAX_TICK_NANOS);
            long s = (long) STARTED.getAcquire(this);
            if (s == 0 || !loop.debug) {
                return tick;
            }
            ReadyItem i = item;
            long elapsed = System.nanoTime() - s;
            if (reportedFor != s) {
                reportedFor = s;
                reports = 0;
            }
            // Reports at the slow-callback duration, then at each multiple of the stall interval.
            long due = reports == 0 ? slow : nextStall(reports, slow, stall);
            if (elapsed < due || elapsed <= 0) {
                return tick;
            }
            Thread t = threadRunning(i);
            if (t == null) {
                return tick;
            }
            StackTraceElement[] stack = t.getStackTrace();
            if ((long) STARTED.getAcquire(this) != s) {
                return tick; // the item ended while its stack was taken: the sample is not its
            }
            elapsed = System.nanoTime() - s;
            reports++;
            report(i, t, stack, elapsed, reports > 1);
            return tick;
        }

        /** When the report after {@code reports} reports is due: the next multiple of the stall interval. */
        private static long nextStall(int reports, long slow, long stall) {
            if (stall <= 0) {
                return Long.MAX_VALUE; // re-reports turned off
            }
            long first = stall > slow ? stall : Deadlines.add(slow, stall);
            long more;
            try {
                more = Math.multiplyExact(stall, (long) (reports - 1));
            } catch (ArithmeticException tooLarge) {
                return Long.MAX_VALUE;
            }
            return Deadlines.add(first, more);
        }

        private Thread threadRunning(ReadyItem i) {
            if (i instanceof Task<?> task) {
                Thread t = task.stepThread();
                if (t != null) {
                    return t;
                }
            }
            return loop.thread();
        }

        /** Logs and records a slow or stalled item; {@code stack} may be empty (a thread that just ended). */
        void report(ReadyItem i, Thread t, StackTraceElement[] stack, long elapsed, boolean stalled) {
            String what = describe(i);
            StringBuilder sb = new StringBuilder();
            if (stalled) {
                sb.append(String.format("Event loop stalled: executing %s for %.3f seconds so far", what, elapsed / 1e9));
            } else {
                sb.append(String.format("Executing %s is still running after %.3f seconds (slow-callback duration"
                        + " %.3f seconds)", what, elapsed / 1e9, loop.debugging.slowCallbackNanos / 1e9));
            }
            sb.append("; live stack of thread \"").append(t.getName()).append("\":");
            int from = sb.length();
            appendStack(sb, stack, i);
            LOG.log(Level.WARNING, sb.toString());
            LoopEvents.watchdogReport(i, elapsed, stalled, sb.length() > from ? sb.substring(from + 1) : "");
        }
    }

    /** What the watchdog names: safe to call from another thread than the loop's. */
    static String describe(ReadyItem i) {
        return switch (i) {
            case Task<?> task -> {
                StackTraceElement at = task.createdAt();
                yield "Task " + task.nameForReport() + (at == null ? "" : " created at " + at);
            }
            case Handle h -> h.toString(); // its fields are final or benignly racy; the site map is synchronized
            case Sleep.SleepFuture s -> "sleep wake-up of Task " + s.task.nameForReport();
        };
    }

    /**
     * Appends the frames of {@code stack} down to where the loop entered the item (the task's
     * body, or the callback's run), at most {@link #MAX_FRAMES}; the loop's own frames below are
     * counted, not listed.
     */
    static void appendStack(StringBuilder sb, StackTraceElement[] stack, ReadyItem item) {
        String entryClass = item instanceof Task<?> ? Task.class.getName() : Handle.class.getName();
        String entryMethod = item instanceof Task<?> ? "body" : "runInItsContext";
        int n = Math.min(stack.length, MAX_FRAMES);
        boolean entered = false;
        for (int k = 0; k < n; k++) {
            sb.append("\n\tat ").append(stack[k]);
            if (stack[k].getClassName().equals(entryClass) && stack[k].getMethodName().equals(entryMethod)) {
                n = k + 1;
                entered = true;
                break;
            }
        }
        if (stack.length > n) {
            sb.append("\n\t... ").append(stack.length - n).append(entered ? " more, the loop's" : " more");
        }
    }

    /** For tests: whether the watchdog thread has been started. */
    static boolean started() {
        return thread != null;
    }

    /** The default stall-report interval: 2 s, in nanoseconds. */
    static final long DEFAULT_STALL_NANOS = TimeUnit.SECONDS.toNanos(2);
}
