package org.jasyncio.internal.strand;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Method handles onto {@code jdk.internal.vm.Continuation}, looked up once at class
 * initialisation.
 *
 * <p>How this works: javac refuses {@code --add-exports java.base/...} together with
 * {@code --release}, so the JDK-internal class is never named in source. The handles are
 * resolved through this class's lookup, which succeeds only when the JVM was started with
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (or {@code =org.jasyncio} on
 * the module path). They are {@code static final}, so the JIT treats them as constants and
 * inlines the calls: the cost of a switch is the continuation's own.
 */
final class ContinuationAccess {

    /**
     * The flag that makes the continuation strand usable for jasyncio as this JVM loaded it:
     * {@code ...=ALL-UNNAMED} from the class path, {@code ...=org.jasyncio} from the module
     * path. Warnings and errors name this one, so that the flag they suggest works.
     */
    static final String EXPORT_FLAG = exportFlag(ContinuationAccess.class.getModule());

    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;
    private static final MethodHandle STACK;
    private static final Object SCOPE;
    private static final Throwable UNAVAILABLE;

    static {
        MethodHandle newCont = null, run = null, yield = null, isDone = null, stack = null;
        Object scope = null;
        Throwable failure = null;
        try {
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            // This class's own lookup: the export to ALL-UNNAMED (or to org.jasyncio) is a
            // qualified one, which the public lookup never sees.
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            scope = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("jasyncio");
            newCont = lookup.findConstructor(contClass,
                            MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = lookup.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = lookup.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            isDone = lookup.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            stack = lookup.findVirtual(contClass, "getStackTrace",
                            MethodType.methodType(StackTraceElement[].class))
                    .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
        } catch (Throwable t) {
            failure = t;
        }
        NEW = newCont;
        RUN = run;
        YIELD = yield;
        IS_DONE = isDone;
        STACK = stack;
        SCOPE = scope;
        UNAVAILABLE = failure;
    }

    private ContinuationAccess() {
    }

    /**
     * The {@code --add-exports} flag that opens {@code jdk.internal.vm} to code of
     * {@code module}: a qualified export names the module that does the lookup, and every
     * class on the class path shares the one unnamed module, {@code ALL-UNNAMED}.
     */
    static String exportFlag(Module module) {
        return "--add-exports java.base/jdk.internal.vm=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }

    /** Null when continuations are usable, else why not. */
    static Throwable unavailability() {
        return UNAVAILABLE;
    }

    static Object create(Runnable body) {
        try {
            return (Object) NEW.invokeExact(SCOPE, body);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    static void run(Object continuation) {
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    static boolean isDone(Object continuation) {
        try {
            return (boolean) IS_DONE.invokeExact(continuation);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    static StackTraceElement[] stackTrace(Object continuation) {
        try {
            return (StackTraceElement[]) STACK.invokeExact(continuation);
        } catch (Throwable t) {
            // Only available while unmounted; a running or finished continuation has none.
            return new StackTraceElement[0];
        }
    }

    static void yieldCurrent() {
        try {
            boolean ignored = (boolean) YIELD.invokeExact(SCOPE);
        } catch (IllegalStateException e) {
            // The JDK refuses to yield a pinned stack (native frame, critical section,
            // class initialiser, and a held monitor where the JVM tracks monitors that way):
            // say what the user can do about it.
            throw pinned(e);
        } catch (Throwable t) {
            throw propagate(t);
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

    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
