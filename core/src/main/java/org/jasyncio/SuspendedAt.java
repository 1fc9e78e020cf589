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

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Whether a class's frames are skipped: the JDK's and this library's own. */
    private static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            String n = c.getName();
            return n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.") || isOwn(c);
        }
    };

    /**
     * Debug mode: the caller's innermost user frame, for "created at" (asyncio's
     * {@code _source_traceback}); null if there is none. Walks only down to that frame and
     * classifies each class once, so it costs a few microseconds, not a whole stack trace.
     */
    static StackTraceElement creationSite() {
        return WALKER.walk(frames -> frames.filter(f -> !SKIPPED.get(f.getDeclaringClass()))
                .findFirst().map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
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
            return isOwn(Class.forName(className, false, Task.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a hidden (lambda) class: not ours to skip
        }
    }

    private static boolean isOwn(Class<?> c) {
        if (c.isHidden()) {
            return false; // a lambda's class: the user's code, even when defined in ours
        }
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return OWN == null ? c.getModule() == Task.class.getModule() && c.getModule().isNamed()
                : cs != null && OWN.getLocation().equals(cs.getLocation());
    }
}
