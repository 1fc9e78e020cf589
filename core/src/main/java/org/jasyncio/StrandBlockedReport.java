package org.jasyncio;

import org.jasyncio.internal.strand.StrandBlockedException;
import org.jasyncio.internal.strand.Strands;

/**
 * The error a loop throws, for good, once a task's strand stayed blocked on a thread-owned lock
 * (virtual strand only; see {@link EventLoop#runForever()}).
 */
final class StrandBlockedReport {

    /* Implementation overview: the blocked strand most likely waits for a lock that another
     * suspended task of the loop holds: that task waits for the loop, which waits for the
     * strand. ThreadMXBean does not report virtual threads, so the owner cannot be named;
     * instead the stacks of the loop's other suspended tasks are attached to the strand's
     * error as suppressed exceptions, so the report shows where each one holds what. */

    private StrandBlockedReport() {
    }

    /**
     * Builds the error for {@code task}, whose strand failed to resume with {@code e}; the
     * stacks of the other suspended tasks of {@code loop} are added to {@code e}.
     */
    static IllegalStateException of(EventLoop loop, Task<?> task, StrandBlockedException e) {
        StringBuilder suspended = new StringBuilder();
        for (Task<?> t : loop.allTasks()) {
            StackTraceElement[] stack = t == task ? new StackTraceElement[0] : t.getStack();
            if (stack.length == 0) {
                continue;
            }
            Throwable where = new Throwable(t + " is suspended here");
            where.setStackTrace(stack);
            e.addSuppressed(where);
            suspended.append(suspended.isEmpty() ? "" : ", ").append(t);
        }
        String message = task + ": its strand has been blocked " + e.blockedOn() + " for about " + e.millis()
                + " ms while the loop waited for it. Another task of this loop most likely holds that lock and"
                + " suspended while holding it: that task waits for the loop, which waits for this one, for good. "
                + Strands.LOCK_RULE + ". The loop is unusable from now on (resuming any task could run it at the same"
                + " time as the blocked one): close it. Tasks of this loop suspended now"
                + (suspended.isEmpty() ? ": none" : " (their stacks are attached; the lock's owner is not named, since"
                + " ThreadMXBean does not report virtual threads): " + suspended);
        return new IllegalStateException(message, e);
    }
}
