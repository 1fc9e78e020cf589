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

    private CtrlC(Task<?> main) {
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
                main.loop.callSoonThreadsafe(() -> main.cancel(MESSAGE));
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
     * raise KeyboardInterrupt()}. The cancellation itself when no SIGINT caused it (or when
     * the task was also cancelled for another reason).
     */
    Error afterCancelled(CancelledError cancelled) {
        if (signals.get() > 0 && main.uncancel() == 0) {
            UncaughtKeyboardInterrupt.install();
            return new KeyboardInterrupt("SIGINT (Ctrl-C) cancelled the main task " + main.getName(), cancelled);
        }
        return cancelled;
    }
}
