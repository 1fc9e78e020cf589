package org.jasyncio.internal;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the user's frame in a stack: the innermost one that is neither the JDK's, nor
 * jasyncio's own code, nor JUnit's. What "created at" and "waiting ... at" in reports point at.
 */
public final class UserFrames {

    private static final CodeSource OWN = UserFrames.class.getProtectionDomain().getCodeSource();
    private static final StackWalker WALKER = StackWalker.getInstance();
    /** Whether each class of jasyncio's package names is the library's own: asked per frame of every dump. */
    private static final ConcurrentHashMap<String, Boolean> OWN_CLASSES = new ConcurrentHashMap<>();

    private UserFrames() {
    }

    /**
     * {@return the innermost user frame of {@code stack}, or null if it is empty or all library}
     *
     * @param stack a stack, innermost frame first
     */
    public static StackTraceElement first(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (isLibrary(c)) {
                continue;
            }
            return e;
        }
        return null;
    }

    /**
     * {@return the user's frames of a task's stack, innermost first} jasyncio's own frames and
     * the JDK's are left out, and so is everything below the task's body (the loop, the strand,
     * and for the running task the code that runs the loop).
     *
     * @param stack a task's stack, innermost frame first
     */
    public static List<StackTraceElement> all(StackTraceElement[] stack) {
        List<StackTraceElement> out = new ArrayList<>();
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.equals("org.jasyncio.Task") && e.getMethodName().equals("body")) {
                break; // the task's coroutine starts above this frame
            }
            if (isLibrary(c)) {
                continue;
            }
            out.add(e);
        }
        return out;
    }

    /**
     * {@return {@code Main.worker(Main.java:20)}: a frame without its package, for one-line dumps}
     *
     * @param e the frame
     */
    public static String shortFrame(StackTraceElement e) {
        String c = e.getClassName();
        String file = e.getFileName();
        int line = e.getLineNumber();
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName() + "("
                + (file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file) + ")";
    }


    /**
     * {@return the caller's innermost user frame, or null} Walks the stack only down to that
     * frame, so it costs a few microseconds where a whole stack trace costs tens (debug mode
     * asks it for every future, task and callback it makes).
     */
    public static StackTraceElement caller() {
        return WALKER.walk(frames -> frames.filter(f -> !isLibrary(f.getClassName())).findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
    }

    /** {@return the caller's user frame if {@code debug}, else null (the stack is not walked)} */
    public static StackTraceElement callerIf(boolean debug) {
        return debug ? caller() : null;
    }

    /** {@return " created at " and the frame, for a report, or "" without a frame} */
    public static String createdAt(StackTraceElement at) {
        return at == null ? "" : " created at " + at;
    }

    /**
     * The JDK's, jasyncio's (with the test kit's runner) and JUnit's classes: below a user's
     * frame, never the user's own. A stack with only those has no user frame.
     */
    private static boolean isLibrary(String c) {
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("org.junit.")
                || isOwn(c);
    }

    private static boolean isOwn(String className) {
        if (!className.startsWith("org.jasyncio.")) {
            return false;
        }
        if (className.startsWith("org.jasyncio.testing.AsyncTestRun") || className.startsWith("org.jasyncio.testing.AsyncTestExtension")) {
            return true; // the test kit's runner: the user's frames are the test's, below it
        }
        return OWN_CLASSES.computeIfAbsent(className, UserFrames::loadAndCheckOwn);
    }

    private static boolean loadAndCheckOwn(String className) {
        try {
            Class<?> c = Class.forName(className, false, UserFrames.class.getClassLoader());
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            return OWN == null ? c.getModule() == UserFrames.class.getModule() && c.getModule().isNamed()
                    : cs != null && OWN.getLocation().equals(cs.getLocation());
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a hidden (lambda) class: not ours to skip
        }
    }
}
