package org.jasyncio;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Ctrl-C (SIGINT) does while {@link Runner#run} runs a main task: asyncio's
 * {@code Runner._on_sigint}. The first SIGINT cancels the main task; a second one ends the
 * process at once, as the JVM does by default; and {@code run} turns the main task's
 * cancellation into {@link KeyboardInterrupt} if a SIGINT caused it.
 */
final class CtrlC {

    /* Implementation overview: claim() asks SignalHandlers for SIGINT (it says no when anything
     * else handles it: then this run leaves Ctrl-C alone, as asyncio's Runner does when the
     * default handler is not in place). onSigint runs on the JVM's signal thread, so the
     * cancellation is handed to the loop with callSoonThreadsafe, which also wakes it (asyncio
     * calls main_task.cancel() on the main thread, then call_soon_threadsafe to wake the
     * selector). The decision to exit hard does not look at the main task, whose state belongs
     * to the loop thread: once a first SIGINT has been handed over, any later one while the
     * claim lasts means the program did not stop in time. The claim ends when run returns,
     * so a SIGINT during Runner.close()'s clean-up, or after, gets the JVM's default, as
     * asyncio's restores default_int_handler before its close(). */

    /** The message of the main task's cancellation. */
    static final String MESSAGE = "SIGINT (Ctrl-C)";

    private final Task<?> main;
    private final AtomicInteger signals = new AtomicInteger();
    /** Whether a SIGINT's cancellation reached the main task while it was pending (loop thread). */
    private boolean cancelledMain;

    /** A claim-less instance (tests drive {@link #onSigint} themselves); see {@link #claim}. */
    CtrlC(Task<?> main) {
        this.main = main;
    }

    /** Handles Ctrl-C for {@code main}'s run if nothing else handles SIGINT; null otherwise. */
    static CtrlC claim(Task<?> main) {
        CtrlC c = new CtrlC(main);
        return SignalHandlers.claimSigint(c) ? c : null;
    }

    /** Ends the claim: from now on SIGINT gets the JVM's default (or whoever else has it). */
    void release() {
        SignalHandlers.releaseSigint(this);
    }

    /** A SIGINT arrived (on the JVM's signal thread); {@code hardExit} does the JVM's default. */
    void onSigint(Runnable hardExit) {
        if (signals.incrementAndGet() == 1) {
            try {
                main.loop.callSoonThreadsafe(() -> cancelledMain |= main.cancel(MESSAGE));
                return;
            } catch (IllegalStateException closed) {
                // the loop is gone: nothing left to cancel gently
            }
        }
        hardExit.run();
    }

    /**
     * What {@code run} throws when the main task ended with {@code cancelled}: asyncio's
     * {@code except CancelledError: if self._interrupt_count > 0 and task.uncancel() == 0:
     * raise KeyboardInterrupt()}. The cancellation itself when no SIGINT came, or when the
     * task was also cancelled for another reason. A SIGINT whose cancellation reached the task
     * only once it had ended (cancelled by the program meanwhile) still gives
     * {@code KeyboardInterrupt}: asyncio cancels synchronously in the handler and so never
     * meets that case, and a Ctrl-C must not be lost.
     */
    Error afterCancelled(CancelledError cancelled) {
        if (signals.get() > 0 && (!cancelledMain || main.uncancel() == 0)) {
            UncaughtKeyboardInterrupt.install();
            return new KeyboardInterrupt("SIGINT (Ctrl-C) cancelled the main task " + main.getName(), cancelled);
        }
        return cancelled;
    }

    /**
     * Called when the main task returned normally: a SIGINT that came before its end but whose
     * cancellation found it already done still stops the program, as asyncio's handler raises
     * {@code KeyboardInterrupt} at once when the main task is done. A main task that caught
     * the cancellation and returned has answered the SIGINT: nothing is thrown then.
     *
     * @throws KeyboardInterrupt if a SIGINT came too late to cancel the main task
     */
    void afterReturned() {
        if (signals.get() > 0 && !cancelledMain) {
            UncaughtKeyboardInterrupt.install();
            throw new KeyboardInterrupt("SIGINT (Ctrl-C) arrived as the main task " + main.getName() + " finished", null);
        }
    }
}
