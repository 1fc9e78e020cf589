package org.jasyncio.internal;

import java.security.CodeSource;

/**
 * Finds the user's frame in a stack: the innermost one that is neither the JDK's nor
 * jasyncio's own code. What "created at" and "waiting ... at" in reports point at.
 */
public final class UserFrames {

    private static final CodeSource OWN = UserFrames.class.getProtectionDomain().getCodeSource();

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
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || isOwn(c)) {
                continue;
            }
            return e;
        }
        return null;
    }

    /** {@return the caller's user frame if {@code debug}, else null (the stack is not walked)} */
    public static StackTraceElement callerIf(boolean debug) {
        return debug ? first(new Throwable().getStackTrace()) : null;
    }

    /** {@return " created at " and the frame, for a report, or "" without a frame} */
    public static String createdAt(StackTraceElement at) {
        return at == null ? "" : " created at " + at;
    }

    private static boolean isOwn(String className) {
        if (!className.startsWith("org.jasyncio.")) {
            return false;
        }
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
