package org.jasyncio;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.UnaryOperator;
import org.jasyncio.internal.strand.Strands;

/**
 * Debug mode's switches and its check at each suspension (see {@link EventLoop#setDebug}).
 */
final class DebugMode {

    /*
     * Implementation overview.
     *
     * The switches: asyncio's coroutines._is_debug_mode() reads PYTHONASYNCIODEBUG (any
     * non-empty value, even "0") when each loop is made. Here the system property wins when
     * set, and the environment variable's "0" and "false" mean off, as a Java user would
     * expect.
     *
     * The lock check (continuation strand): every task of a loop runs on the loop's thread, so
     * a monitor or ownable lock held when a task suspends is held by that thread across the
     * suspension; under the JVM's default locking the continuation freezes the monitor
     * silently and the next task to enter it blocks the loop thread for good (see
     * ContinuationAccess.pinned and docs/ARCHITECTURE.md, "Hazards of the continuation
     * strand"). ThreadMXBean.getThreadInfo(current, lockedMonitors=true, false) is the one
     * public view of the monitors a thread holds and the frame that took each: it sees the
     * task's frames while the continuation is mounted (that is, before the yield). It walks
     * the stack in a handshake, 65 to 100 us per call measured on JDK 25, so it runs only in
     * debug mode. Monitors taken below the continuation's entry frame (a caller of
     * runForever holding one) are not the task's and are ignored. Ownable synchronizers
     * (ReentrantLock, a write lock) are not asked for: lockedSynchronizers=true walks the
     * whole heap at a safepoint (1.6 to 1.8 ms per call with a small heap), and a
     * ThreadPoolExecutor worker owns its own Worker lock while it runs the loop anyway.
     *
     * On the virtual strand ThreadMXBean returns no information for virtual threads, so
     * nothing is checked here; holding a monitor across a suspension there is harmless until
     * another task contends for it, and that is detected by VirtualThreadStrand.resume after
     * about a second (StrandBlockedReport, with both tasks' stacks).
     */

    /** The system property that turns debug mode on for new loops: {@code -Djasyncio.debug=true}. */
    static final String PROPERTY = "jasyncio.debug";
    /** The environment variable that does the same: {@code JASYNCIO_DEBUG=1}. */
    static final String ENVIRONMENT = "JASYNCIO_DEBUG";

    /** Loaded at the first check: java.management costs milliseconds to start, and most loops never check. */
    private static final class Threads {
        static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
    }
    private static final String CONTINUATION = "jdk.internal.vm.Continuation";

    private DebugMode() {
    }

    /** Whether a new loop starts in debug mode, from this JVM's property and environment. */
    static boolean fromEnvironment() {
        return fromEnvironment(System::getProperty, System::getenv);
    }

    /** {@link #fromEnvironment()} with the two lookups given (tests). */
    static boolean fromEnvironment(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String p = properties.apply(PROPERTY);
        if (p != null) {
            return Boolean.parseBoolean(p.strip());
        }
        String e = environment.apply(ENVIRONMENT);
        if (e == null) {
            return false;
        }
        e = e.strip();
        return !e.isEmpty() && !e.equals("0") && !e.equalsIgnoreCase("false");
    }

    /**
     * Debug mode, before {@code task} suspends: fails if its thread holds a monitor taken by
     * the task (continuation strand; a virtual thread is not checked).
     *
     * @throws IllegalStateException stating {@link Strands#LOCK_RULE}, naming each monitor and
     *                               where it was taken
     */
    static void checkNoLockHeld(Task<?> task) {
        Thread self = Thread.currentThread();
        if (self.isVirtual()) {
            return;
        }
        ThreadInfo[] infos = Threads.BEAN.getThreadInfo(new long[] {self.threadId()}, true, false);
        ThreadInfo info = infos.length == 0 ? null : infos[0];
        if (info == null) {
            return;
        }
        StackTraceElement[] stack = info.getStackTrace();
        // Frames above the outermost continuation's frames are the task's (and those of an
        // async generator's body it resumed, a continuation inside it); below are the loop's.
        int entry = stack.length;
        for (int k = stack.length - 1; k >= 0; k--) {
            if (stack[k].getClassName().equals(CONTINUATION)) {
                entry = k;
                break;
            }
        }
        StringBuilder held = new StringBuilder();
        for (MonitorInfo m : info.getLockedMonitors()) {
            int depth = m.getLockedStackDepth();
            if (depth >= 0 && depth < entry) {
                held.append(held.isEmpty() ? "" : "; ").append("the monitor of ").append(m)
                        .append(" (synchronized), taken at ").append(m.getLockedStackFrame());
            }
        }
        if (!held.isEmpty()) {
            throw new IllegalStateException(Watchdog.describe(task) + " tried to suspend while its thread \"" + self.getName()
                    + "\" holds " + held + ". Debug mode refuses the suspension (the task's stack is this"
                    + " exception's): on the continuation strand every task of the loop runs on that thread, so a"
                    + " second task taking the lock would block the loop for good. " + Strands.LOCK_RULE + ".");
        }
    }
}
