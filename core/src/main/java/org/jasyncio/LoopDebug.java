package org.jasyncio;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.jasyncio.internal.UserFrames;

/**
 * One loop's debug-mode and flight-recorder instrumentation: the slow-callback duration and
 * stall-report interval, the timed run of a callback or task step, the loop's slot in the
 * {@link Watchdog}, where each callback was scheduled, and the deadlock timeout. The public
 * setters are {@link EventLoop}'s; this class holds what they set.
 */
final class LoopDebug {

    /*
     * Implementation overview.
     *
     * EventLoop.runReady asks timed() once per iteration: true in debug mode, or when a JFR
     * recording wants the step events. Whether JFR wants them is asked every JFR_LOOK
     * iterations only, so a loop in neither mode reads no clock and writes nothing per item; a
     * recording that starts is seen that many iterations late at most. runTimed() publishes
     * the item to the watchdog while it runs (debug mode), logs it afterwards if it was slow
     * (asyncio's "Executing ... took ... seconds"), and commits the JFR events.
     *
     * The creation sites are asyncio's _source_traceback, one frame each: a weak map made with
     * the first handle scheduled in debug mode, so a handle that ran and was dropped takes its
     * entry along; a handle made out of debug mode has no entry and costs nothing.
     *
     * slowCallbackNanos and stallReportNanos are read by the watchdog thread, hence volatile;
     * everything else is loop-thread only.
     */

    private static final System.Logger LOG = System.getLogger("org.jasyncio");
    /** How many iterations run between two looks at whether JFR records the step events. */
    private static final int JFR_LOOK = 255;

    private final EventLoop loop;
    volatile long slowCallbackNanos = 100_000_000;
    volatile long stallReportNanos = Watchdog.DEFAULT_STALL_NANOS;
    /** How long runUntilComplete lets a loop with nothing that could wake it sit before the deadlock report. */
    long deadlockTimeoutNanos = 1_000_000_000;
    /** This loop's slot in the watchdog, made when it first runs in debug mode; else null. */
    private Watchdog.Watch watch;
    private boolean watched;
    private volatile Map<Object, StackTraceElement> creationSites;
    private int jfrLookCountdown;
    /** Whether a JFR recording wants the step and slow-callback events, as of the last look. */
    private boolean jfrTiming;

    LoopDebug(EventLoop loop) {
        this.loop = loop;
    }

    /** Whether this iteration's items run through {@link #runTimed}; called once per iteration. */
    boolean timed() {
        if (--jfrLookCountdown < 0) {
            jfrLookCountdown = JFR_LOOK;
            jfrTiming = LoopEvents.timingEnabled();
        }
        return loop.debug || jfrTiming;
    }

    /**
     * {@link EventLoop#run(ReadyItem)} timed: in debug mode, published to the watchdog while it
     * runs and logged afterwards if slow; for JFR, the step and slow-callback events.
     */
    void runTimed(ReadyItem item) {
        boolean debug = loop.debug;
        Watchdog.Watch w = debug && watched ? watch : null;
        LoopEvents.Timing events = jfrTiming ? new LoopEvents.Timing(item) : null; // debug mode alone loads no JFR class
        long started = System.nanoTime();
        if (w != null) {
            w.begin(item, started);
        }
        try {
            loop.run(item);
        } finally {
            if (w != null) {
                w.end();
            }
        }
        long took = System.nanoTime() - started;
        if (debug && took >= slowCallbackNanos) {
            // the watchdog has already logged the live stack if it ran long enough to be seen
            LOG.log(Level.WARNING, String.format("Executing %s took %.3f seconds", item, took / 1e9));
        }
        if (events != null) {
            events.end(item, took, slowCallbackNanos);
        }
    }

    /** Registers the running loop with the watchdog, or deregisters it; loop thread only. */
    void watch(boolean on) {
        if (on && !watched) {
            if (watch == null) {
                watch = new Watchdog.Watch(loop);
            }
            watched = true;
            Watchdog.watch(watch);
        } else if (!on && watched) {
            watched = false;
            Watchdog.unwatch(watch);
        }
    }

    /**
     * Debug mode: remembers where {@code h} (a handle or a future) was made (the user's
     * innermost frame), beside it: out of debug mode neither has a field for it.
     */
    void recordCreationSite(Object h) {
        StackTraceElement at = UserFrames.caller();
        if (at == null) {
            return;
        }
        Map<Object, StackTraceElement> m = creationSites;
        if (m == null) {
            synchronized (this) {
                m = creationSites;
                if (m == null) {
                    m = Collections.synchronizedMap(new WeakHashMap<>());
                    creationSites = m;
                }
            }
        }
        m.put(h, at);
    }

    /** Where {@code h} was made, if it was in debug mode; else null. Any thread. */
    StackTraceElement creationSite(Object h) {
        Map<Object, StackTraceElement> m = creationSites;
        return m == null ? null : m.get(h);
    }

    /** Validates and sets the slow-callback duration. */
    void setSlowCallbackDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the slow-callback duration must be >= 0: " + duration);
        }
        slowCallbackNanos = Deadlines.toNanos(duration);
    }

    /** Validates and sets the stall-report interval. */
    void setStallReportInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the stall-report interval must be >= 0: " + interval);
        }
        stallReportNanos = Deadlines.toNanos(interval);
    }

    /** Validates and sets the deadlock timeout. */
    void setDeadlockTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the deadlock timeout must be > 0: " + timeout);
        }
        deadlockTimeoutNanos = Deadlines.toNanos(timeout);
    }

    /** A {@link Duration} of {@code seconds}, which must be a number >= 0 ({@code what} names it in the error). */
    static Duration seconds(double seconds, String what) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException(what + " must be >= 0 seconds: " + seconds);
        }
        return Duration.ofNanos(Deadlines.toNanos(seconds));
    }
}
