package org.jasyncio;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds where a suspended task waits, for {@link Task#toString()}: the innermost frame of its
 * suspended stack that is not jasyncio's own code nor the JDK's; and the user's frames of a
 * task's stack for the call graph and task dumps ({@link #userFrames}).
 */
final class SuspendedAt {

    private static final CodeSource OWN = Task.class.getProtectionDomain().getCodeSource();

    private SuspendedAt() {
    }

    /** The user's frame where the task waits, or null if the stack is empty or all library. */
    static StackTraceElement userFrame(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || isOwn(c)) {
                continue;
            }
            return e;
        }
        return null;
    }

    /** Whether each class of jasyncio's package names is the library's own: asked per frame of every dump. */
    private static final ConcurrentHashMap<String, Boolean> OWN_CLASSES = new ConcurrentHashMap<>();

    /**
     * The user's frames of a task's stack, innermost first: jasyncio's own frames and the
     * JDK's are left out, and so is everything below the task's body (the loop, the strand,
     * and for the running task the code that runs the loop).
     */
    static List<StackTraceElement> userFrames(StackTraceElement[] stack) {
        List<StackTraceElement> out = new ArrayList<>();
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.equals("org.jasyncio.Task") && e.getMethodName().equals("body")) {
                break; // the task's coroutine starts above this frame
            }
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || isOwn(c)) {
                continue;
            }
            out.add(e);
        }
        return out;
    }

    /** {@code Main.worker(Main.java:20)}: a frame without its package, for one-line dumps. */
    static String shortFrame(StackTraceElement e) {
        String c = e.getClassName();
        String file = e.getFileName();
        int line = e.getLineNumber();
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName() + "("
                + (file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file) + ")";
    }

    private static boolean isOwn(String className) {
        if (!className.startsWith("org.jasyncio.")) {
            return false;
        }
        return OWN_CLASSES.computeIfAbsent(className, SuspendedAt::loadAndCheckOwn);
    }

    private static boolean loadAndCheckOwn(String className) {
        try {
            Class<?> c = Class.forName(className, false, Task.class.getClassLoader());
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            return OWN == null ? c.getModule() == Task.class.getModule() && c.getModule().isNamed()
                    : cs != null && OWN.getLocation().equals(cs.getLocation());
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a hidden (lambda) class: not ours to skip
        }
    }
}
