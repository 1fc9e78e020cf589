package org.jasyncio;

/**
 * Thrown by {@link Runner#run} and {@link Asyncio#run} when Ctrl-C (SIGINT) cancelled the main
 * task and the main task let that cancellation propagate: Python's {@code KeyboardInterrupt},
 * which {@code asyncio.Runner.run} raises in the same case.
 *
 * <p>What happens on Ctrl-C: the first SIGINT cancels the main task, so its {@code finally}
 * blocks, {@link TaskGroup} clean-ups and {@code catch (CancelledError e)} handlers run as for
 * any cancellation; once it has ended, {@code run} throws this exception with the main task's
 * {@link CancelledError} as its cause ({@link Asyncio#run} first does its usual clean-up: the
 * tasks still pending are cancelled and waited for, the loop is closed). A second SIGINT
 * before the main task has ended (a main task that ignores its cancellation, or a clean-up
 * that hangs) ends the process at once, as the JVM does on SIGINT by default: shutdown hooks
 * run, {@code finally} blocks do not. If the main task catches the cancellation and returns
 * normally, {@code run} returns its result, as in asyncio; a Ctrl-C that arrives as the main
 * task finishes, too late to cancel it, makes {@code run} throw this exception without a
 * cause.
 *
 * <p>The exit status: the {@code KeyboardInterrupt} {@code run} throws, if nothing catches
 * it, ends the process with status 130 (128 + SIGINT, what a shell reports for a program
 * Ctrl-C killed, and what the JVM itself exits with on SIGINT) after the usual "Exception in
 * thread ..." report, on whichever thread it reaches the top of. (Before throwing it,
 * {@code run} installs a default uncaught-exception handler that does this and hands every
 * other exception to the handler installed before, if any.) So a {@code main(String[])} that
 * simply calls {@code Asyncio.run(...)} behaves like a Python script under
 * {@code asyncio.run}: clean-up, a stack trace, status 130. To end quietly instead, catch it:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     try {
 *         Asyncio.run(() -> serve());
 *     } catch (KeyboardInterrupt e) {
 *         System.err.println("interrupted");
 *         System.exit(130);
 *     }
 * }
 * }</pre>
 *
 * <p>It is an {@link Error}, not an {@link Exception}, for the reason Python made it a
 * {@code BaseException}: a {@code catch (Exception e)} written for ordinary failures must not
 * swallow the user's request to stop. It is named as Python spells it, like
 * {@link GeneratorExit}. jasyncio throws it only out of {@code run}; thrown inside a task by
 * the program itself, it fails that task like any other exception (asyncio would stop the loop
 * with it).
 */
public class KeyboardInterrupt extends Error {

    private static final long serialVersionUID = 1L;

    /** The exception without a message or cause. */
    public KeyboardInterrupt() {
        super();
    }

    /**
     * The exception {@code run} throws: Ctrl-C cancelled the main task, which ended with
     * {@code cause}.
     *
     * @param message what happened
     * @param cause   the main task's cancellation, or null
     */
    public KeyboardInterrupt(String message, Throwable cause) {
        super(message, cause);
    }
}
