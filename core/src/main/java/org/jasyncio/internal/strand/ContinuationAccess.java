package org.jasyncio.internal.strand;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The calls onto {@code jdk.internal.vm.Continuation}, and whether this JVM lets jasyncio make
 * them.
 */
final class ContinuationAccess {

    /* Implementation overview: the core is compiled with --add-exports
     * java.base/jdk.internal.vm=org.jasyncio (and -source/-target rather than --release, which
     * javac refuses to combine with it), so the calls are direct. A direct call is linked when it
     * first runs, and the JVM checks the export then: the class initialiser makes the scope, which
     * fails with an IllegalAccessError unless the JVM was started with --add-exports
     * java.base/jdk.internal.vm=ALL-UNNAMED (or =org.jasyncio on the module path); that failure is
     * unavailability(), and then nothing else here is ever called. Direct calls rather than method
     * handles: the JIT's compiled code inlines a constant method handle, but the interpreter and
     * C1 do not, and a cold process froze the handle's three frames into every suspended task's
     * stack chunk (200,000 tasks sleeping in a fresh JVM: a median chunk of 543 bytes with the
     * handles, 405 without; single runs vary by about 150 bytes with the JIT's timing).
     * yieldCurrent() keeps the handling of a refused yield out of ContinuationStrand.suspend(),
     * which stays small enough for C1 to inline. */

    /**
     * The flag that makes the continuation strand usable for jasyncio as this JVM loaded it:
     * {@code ...=ALL-UNNAMED} from the class path, {@code ...=org.jasyncio} from the module
     * path. Warnings and errors name this one, so that the flag they suggest works.
     */
    static final String EXPORT_FLAG = exportFlag(ContinuationAccess.class.getModule());

    /** jasyncio's scope: a yield in it unmounts the innermost jasyncio continuation. */
    private static final ContinuationScope SCOPE;
    private static final Throwable UNAVAILABLE;

    static {
        ContinuationScope scope = null;
        Throwable failure = null;
        try {
            scope = new ContinuationScope("jasyncio");
        } catch (Throwable t) {
            failure = t; // IllegalAccessError: jdk.internal.vm is not exported to this module
        }
        SCOPE = scope;
        UNAVAILABLE = failure;
    }

    private ContinuationAccess() {
    }

    /**
     * The {@code --add-exports} flag that opens {@code jdk.internal.vm} to code of
     * {@code module} (a qualified export names the module whose code makes the calls).
     */
    static String exportFlag(Module module) {
        return "--add-exports java.base/jdk.internal.vm=" + Strands.flagTarget(module);
    }

    /** Null when continuations are usable, else why not. */
    static Throwable unavailability() {
        return UNAVAILABLE;
    }

    static Continuation create(Runnable body) {
        return new Continuation(SCOPE, body);
    }

    static StackTraceElement[] stackTrace(Continuation continuation) {
        try {
            return continuation.getStackTrace();
        } catch (RuntimeException notSuspended) {
            // Only available while unmounted; a running or finished continuation has none.
            return new StackTraceElement[0];
        }
    }

    /**
     * Suspends the current continuation, which must be one of jasyncio's scope.
     *
     * @throws IllegalStateException if the JDK refuses to yield a pinned stack (see {@link #pinned})
     */
    static void yieldCurrent() {
        try {
            Continuation.yield(SCOPE);
        } catch (IllegalStateException e) {
            // The JDK refuses to yield a pinned stack (native frame, critical section,
            // class initialiser, and a held monitor where the JVM tracks monitors that way):
            // say what the user can do about it.
            throw pinned(e);
        }
    }

    /**
     * The error for a yield the JDK refused; {@code e}'s message is the JDK's
     * {@code "Pinned: " + reason}. Reason MONITOR (a monitor held by a frame of the task) is
     * reported only where the JVM counts held monitors per thread: on JDK 25 with
     * {@code -XX:LockingMode=1}; its default lightweight locking freezes the monitor with the
     * stack and reports nothing (see {@link Strands#LOCK_RULE}).
     */
    static IllegalStateException pinned(IllegalStateException e) {
        String why = e.getMessage();
        if (why != null && why.endsWith("MONITOR")) {
            return new IllegalStateException("cannot suspend this task here: it holds a monitor (it is inside a"
                    + " synchronized block or method), and the JVM refuses to suspend it (" + why + "): a"
                    + " synchronized monitor held across a suspension. " + Strands.LOCK_RULE + ".", e);
        }
        return new IllegalStateException("cannot suspend this task here: its stack is pinned ("
                + why + "). Do not await inside a class initialiser, a native "
                + "callback or while handling StackOverflowError/OutOfMemoryError.", e);
    }
}
