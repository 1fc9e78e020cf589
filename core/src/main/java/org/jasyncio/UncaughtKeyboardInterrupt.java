package org.jasyncio;

/**
 * Ends the process with status 130 when a {@link KeyboardInterrupt} reaches the top of a thread
 * uncaught: Python exits the same way (by re-raising SIGINT) when {@code KeyboardInterrupt}
 * leaves the program, and 130 is what the JVM's own SIGINT handling exits with. Installed as the
 * JVM's default uncaught-exception handler the first time {@code run} throws a
 * {@code KeyboardInterrupt}; every other exception is handed to the handler it replaced, or
 * reported as the JVM reports it when there was none.
 */
final class UncaughtKeyboardInterrupt implements Thread.UncaughtExceptionHandler {

    /* Implementation overview: when main(String[]) throws, the launcher detaches the main
     * thread, which hands the exception to the uncaught-exception handlers before the JVM is
     * destroyed; exiting from there runs the shutdown hooks as any System.exit does. Only the
     * default handler is replaced (once): a thread with a handler of its own, or in a thread
     * group that overrides uncaughtException without calling up, keeps its own treatment. */

    /** The status a process Ctrl-C ended has: 128 + SIGINT. */
    static final int EXIT_STATUS = 128 + UnixSignal.SIGINT.number;

    private static boolean installed;

    private final Thread.UncaughtExceptionHandler previous;

    private UncaughtKeyboardInterrupt(Thread.UncaughtExceptionHandler previous) {
        this.previous = previous;
    }

    /** Installs the handler, once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Thread.setDefaultUncaughtExceptionHandler(new UncaughtKeyboardInterrupt(Thread.getDefaultUncaughtExceptionHandler()));
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        try {
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else { // what ThreadGroup.uncaughtException does with no default handler
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace(System.err);
            }
        } finally {
            if (e instanceof KeyboardInterrupt) {
                System.err.flush();
                Runtime.getRuntime().exit(EXIT_STATUS);
            }
        }
    }
}
