package org.jasyncio;

import java.util.Objects;
import java.util.Set;

/**
 * The signals a program can handle through {@link EventLoop#addSignalHandler}: the three whose
 * numbers POSIX fixes and that the JVM lets a program catch. Parses the names and numbers users
 * pass, with asyncio's split between a value that is not a signal at all
 * ({@code ValueError} there, {@link IllegalArgumentException} here) and a real signal that
 * cannot be handled ({@code RuntimeError} there, {@link UnsupportedOperationException} here).
 */
enum UnixSignal {
    SIGHUP(1, "HUP"),
    SIGINT(2, "INT"),
    SIGTERM(15, "TERM");

    /* Implementation overview: the JVM's own signal names (sun.misc.Signal's "INT") and the
     * numbers are fixed here rather than looked up, so that validation is the same on every
     * platform; the JVM is asked only when a handler is installed (SignalHandlers). The signals
     * the JVM keeps for itself (SIGQUIT for thread dumps, SIGUSR2 and others on some platforms)
     * and the ones no process can catch (SIGKILL, SIGSTOP) are refused as unsupported, as is
     * SIGUSR1, which the JVM would let us catch but which has no portable number. */

    /** Signal numbers are 1 to 64 on Linux (asyncio: {@code 1 <= sig < signal.NSIG}). */
    private static final int MAX_NUMBER = 64;

    /** The other signal names POSIX defines: real signals, but not ones jasyncio handles. */
    private static final Set<String> OTHER_POSIX = Set.of("ABRT", "ALRM", "BUS", "CHLD", "CONT",
            "FPE", "ILL", "KILL", "PIPE", "POLL", "PROF", "QUIT", "SEGV", "STOP", "SYS", "TRAP", "TSTP", "TTIN", "TTOU",
            "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "IO", "PWR", "STKFLT", "EMT", "INFO");

    private static final String SUPPORTED = "jasyncio handles SIGINT (2), SIGTERM (15) and SIGHUP (1)";

    /** The POSIX number, the same on Linux and macOS. */
    final int number;
    /** The name the JVM's signal API uses ({@code "INT"}). */
    final String jvmName;

    UnixSignal(int number, String jvmName) {
        this.number = number;
        this.jvmName = jvmName;
    }

    /**
     * The signal called {@code name}: {@code "SIGTERM"} (Python's {@code signal.SIGTERM.name})
     * or {@code "TERM"} (the JVM's {@code sun.misc.Signal} name).
     *
     * @throws NullPointerException          if {@code name} is null
     * @throws IllegalArgumentException      if {@code name} names no signal
     * @throws UnsupportedOperationException if it names a signal jasyncio does not handle
     */
    static UnixSignal named(String name) {
        Objects.requireNonNull(name, "sig");
        String bare = name.startsWith("SIG") ? name.substring(3) : name;
        for (UnixSignal s : values()) {
            if (s.jvmName.equals(bare)) {
                return s;
            }
        }
        if (OTHER_POSIX.contains(bare)) {
            throw new UnsupportedOperationException("SIG" + bare + " cannot be handled: " + SUPPORTED);
        }
        throw new IllegalArgumentException("unknown signal name \"" + name + "\": " + SUPPORTED
                + " (names as \"SIGTERM\" or \"TERM\", upper case)");
    }

    /**
     * The signal numbered {@code number}.
     *
     * @throws IllegalArgumentException      if {@code number} is not a signal number (below 1
     *                                       or above 64)
     * @throws UnsupportedOperationException if it is one jasyncio does not handle
     */
    static UnixSignal numbered(int number) {
        if (number < 1 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("sig " + number + " is not a signal number (1 to " + MAX_NUMBER
                    + "): " + SUPPORTED);
        }
        for (UnixSignal s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        throw new UnsupportedOperationException("signal " + number + " cannot be handled: " + SUPPORTED);
    }

    /** The exit status the JVM's default handling of this signal gives: 128 + its number. */
    int exitStatus() {
        return 128 + number;
    }
}
