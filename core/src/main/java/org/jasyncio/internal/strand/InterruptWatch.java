package org.jasyncio.internal.strand;

import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Tells an interrupt of a loop's thread that came from another thread ("from outside": the
 * caller of {@code Runner.run} being interrupted) apart from one a task set on itself, where
 * every task runs on the loop's thread: the continuation strand. One per running loop, used
 * only on the loop's thread.
 *
 * <p>The loop asks {@link #takeOutsideInterrupt()} at the top of each iteration and calls
 * {@link #beforeSteps(long)} before running the iteration's ready items; a strand asks
 * {@link #outsideDuringStep()} after a step that ended with the interrupt status set although
 * its task's own status was clear. An interrupt from outside is so seen whatever the loop was
 * doing when it arrived: waiting in {@code select}, running a callback, or in the middle of a
 * task's step (even a step that runs for seconds without suspending, or one that consumes the
 * status itself, say by a blocking call that throws {@code InterruptedException}).
 */
public final class InterruptWatch {

    /* Implementation overview. The interrupt status alone cannot say who set it. What can:
     * Thread.interrupt() called by another thread invokes the thread's current interruptible-I/O
     * blocker (the JDK's nioBlocker), which AbstractInterruptibleChannel.begin() installs and
     * end() removes, and a thread interrupting itself does not (JDK 25's Thread.interrupt; the
     * test that a task's own interrupt stays its own pins it). So the watch keeps a Probe, a
     * channel that does no I/O, "begun" on the loop thread while steps run: an interrupt from
     * outside closes it, and its end() then throws ClosedByInterruptException. The interrupter
     * sets the status before it looks for a blocker, under the thread's interrupt lock that
     * begin()/end() take too, so once end() has returned, the probe's verdict on every interrupt
     * that reached it is final.
     *
     * Cost: begin()/end() take that lock (about 20 ns each), so the probe is armed per
     * iteration only when something may have disarmed it: the loop's blocking select (whose
     * own begin()/end() replace the blocker; the loop counts them), an interrupt that fired it,
     * and, every REARM_EVERY iterations, a task's own blocking channel I/O, which replaces the
     * blocker for the rest of its step and cannot be seen. An interrupt that lands in that rest
     * stays with the task, as it did before this watch existed.
     *
     * Who gets a fired interrupt: if the status was set when the step ended and the task's own
     * was clear before it, the strand asks outsideDuringStep(), which settles the probe (end())
     * and, if it fired, the status is the loop's: the strand leaves it on the thread for the
     * loop's next takeOutsideInterrupt(). If the task had consumed the status, or already had
     * its own, takeOutsideInterrupt() still finds the probe fired. One interrupt may be seen
     * twice when it lands within the few nanoseconds between the interrupter setting the
     * status and reading the blocker, while the loop replaces the probe; handling one twice
     * cancels the main task twice, which is harmless. */

    /** Rearm at least this often, in iterations, so a task's own channel I/O disarms only briefly. */
    static final int REARM_EVERY = 64;

    private static final ThreadLocal<InterruptWatch> CURRENT = new ThreadLocal<>();

    /** Armed (begun) on the loop thread, or null. */
    private Probe probe;
    /** The loop's blocking-select count when the probe was last armed. */
    private long armedAtSelects;
    private int iterationsSinceArm;

    private InterruptWatch() {
    }

    /**
     * Starts watching the current thread, which is about to run a loop.
     *
     * @return the watch; {@link #stop()} it when the loop stops
     */
    public static InterruptWatch start() {
        InterruptWatch w = new InterruptWatch();
        CURRENT.set(w);
        return w;
    }

    /**
     * Stops watching; an interrupt from outside that fired the probe and was not yet taken
     * (it landed in the last steps and a task consumed it) is left in the thread's status.
     */
    public void stop() {
        CURRENT.remove();
        if (disarm()) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * At the top of an iteration: whether an interrupt from outside arrived since the last
     * call. Clears the thread's interrupt status (between steps it is never a task's).
     *
     * @return true if one arrived
     */
    public boolean takeOutsideInterrupt() {
        boolean status = Thread.interrupted();
        Probe p = probe;
        if (p != null && (status || p.fired)) {
            // Settle the probe, so that the interrupt seen here cannot fire it later and be seen again.
            disarm();
            return true;
        }
        return status;
    }

    /**
     * Before an iteration's ready items run: arms the probe unless it is surely armed still.
     *
     * @param blockingSelects how many blocking selects the loop has made so far
     */
    public void beforeSteps(long blockingSelects) {
        if (probe == null || blockingSelects != armedAtSelects || ++iterationsSinceArm >= REARM_EVERY) {
            arm(blockingSelects);
        }
    }

    /**
     * For a strand whose step ended with the interrupt status set while its task's own was
     * clear (the status has been taken off the thread): whether an interrupt from outside set
     * it. The probe is armed again for the steps that follow.
     *
     * @return true if the status is the loop's, not the task's
     */
    static boolean outsideDuringStep() {
        InterruptWatch w = CURRENT.get();
        if (w == null || w.probe == null) {
            return false;
        }
        boolean fired = w.disarm();
        w.arm(w.armedAtSelects);
        return fired;
    }

    private void arm(long blockingSelects) {
        Probe p = probe;
        if (p == null || !p.isOpen()) {
            p = new Probe();
            probe = p;
        }
        armedAtSelects = blockingSelects;
        iterationsSinceArm = 0;
        p.arm();
    }

    /** Ends the probe's watch; true if an interrupt from outside fired it. */
    private boolean disarm() {
        Probe p = probe;
        if (p == null) {
            return false;
        }
        probe = null;
        return p.disarm() || p.fired;
    }

    /** A channel that does no I/O: begun, an interrupt from another thread closes it. */
    private static final class Probe extends AbstractInterruptibleChannel {
        /** Set (by the interrupting thread, or by end()) once an interrupt closed it. */
        volatile boolean fired;

        void arm() {
            begin(); // if the status is already set, this fires the probe at once: a task's status is never on the thread here
        }

        boolean disarm() {
            try {
                end(true);
                return false;
            } catch (AsynchronousCloseException byInterrupt) { // ClosedByInterruptException
                return true;
            }
        }

        @Override
        protected void implCloseChannel() {
            fired = true;
        }
    }
}
