package org.jasyncio;

import java.security.CodeSource;

/**
 * Finds where a suspended task waits, for {@link Task#toString()}: the innermost frame of its
 * suspended stack that is not jasyncio's own code nor the JDK's.
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

    private static boolean isOwn(String className) {
        if (!className.startsWith("org.jasyncio.")) {
            return false;
        }
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
