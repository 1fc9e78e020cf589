package org.jasyncio.process;

import java.security.CodeSource;
import org.jasyncio.EventLoop;

/**
 * Where the program made a resource, for the "unclosed ..." reports at loop close: the
 * innermost frame of the creating stack that is neither the JDK's nor jasyncio's own code
 * (the same rule as a task's "created at" in debug mode). Recorded only in debug mode, as
 * asyncio records a transport's source traceback only then.
 */
final class CreationSite {

    // A package-private twin of org.jasyncio.SuspendedAt (and of the other layer's
    // CreationSite): the kernel's is not visible here, and one frame search is not worth a
    // public type.
    private static final CodeSource OWN = EventLoop.class.getProtectionDomain().getCodeSource();

    private CreationSite() {
    }

    /** The caller's user frame if {@code loop} is in debug mode, else null (nothing is walked). */
    static StackTraceElement ifDebug(EventLoop loop) {
        if (!loop.getDebug()) {
            return null;
        }
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.") && !isOwn(c)) {
                return e;
            }
        }
        return null;
    }

    /** " created at Frame" for a report, or "" without a frame. */
    static String suffix(StackTraceElement at) {
        return at == null ? "" : " created at " + at;
    }

    private static boolean isOwn(String className) {
        if (!className.startsWith("org.jasyncio.")) {
            return false;
        }
        try {
            Class<?> c = Class.forName(className, false, EventLoop.class.getClassLoader());
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            return OWN == null ? c.getModule() == EventLoop.class.getModule() && c.getModule().isNamed()
                    : cs != null && OWN.getLocation().equals(cs.getLocation());
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a hidden (lambda) class: not ours to skip
        }
    }
}
