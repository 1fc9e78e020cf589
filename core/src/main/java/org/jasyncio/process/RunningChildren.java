package org.jasyncio.process;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.LoopLocal;
import org.jasyncio.internal.UserFrames;

/**
 * The children of one event loop that have not exited, so that closing the loop kills them:
 * what asyncio's subprocess transport does when it is collected still open ({@code __del__}
 * warns "unclosed transport" and {@code close()} kills a child still running), done at once
 * when the loop closes. The pipes are the networking layer's transports, which its own
 * registry closes.
 *
 * <p>It is the loop's {@link LoopLocal} value, and {@link #close()} is that loop-local's
 * close action: the loop's {@code close()} calls it after reporting the pending tasks and
 * before tearing anything down.
 */
final class RunningChildren implements AutoCloseable {
    /* Implementation overview:
     * A Subprocess enters when it is made and leaves when its child exits (a callback of
     * Process.onExit(), on a JDK thread), so the set is guarded by this object's monitor and
     * holds only children still running (or whose exit is being noticed: close() checks
     * isAlive() again). close() runs on the thread closing the loop: it reports each running
     * child to the loop's exception handler and kills it (SIGKILL, through its handle, as
     * Subprocess.kill()). In debug mode each child also keeps the user frame that started it
     * (UserFrames.callerIf), and its report ends with "created at" that frame.
     */

    private static final LoopLocal<RunningChildren> OF_LOOP = new LoopLocal<>(RunningChildren::new, RunningChildren::close);

    private final Set<Subprocess> running = new LinkedHashSet<>();
    /** Debug mode only: where each child was started, by identity. */
    private final Map<Subprocess, StackTraceElement> createdAt = new IdentityHashMap<>();

    private RunningChildren() {
    }

    /** The registry of {@code loop}. */
    static RunningChildren of(EventLoop loop) {
        return OF_LOOP.get(loop);
    }

    /** Holds {@code child} until its process exits. */
    void add(Subprocess child, Process process) {
        StackTraceElement at = UserFrames.callerIf(child.loop().getDebug());
        synchronized (this) {
            running.add(child);
            if (at != null) {
                createdAt.put(child, at);
            }
        }
        process.onExit().thenRun(() -> remove(child));
    }

    private synchronized void remove(Subprocess child) {
        running.remove(child);
        createdAt.remove(child);
    }

    /**
     * Lets go of {@code child}, which {@link Subprocess#close()} closed and killed: the loop's
     * close has nothing left to report or kill for it, even if its exit is not noticed yet.
     */
    void forget(Subprocess child) {
        remove(child);
    }

    /** The children registered now, in the order they started. */
    synchronized List<Subprocess> snapshot() {
        return new ArrayList<>(running);
    }

    /**
     * Reports and kills every child still running; they leave the registry. Called when the
     * loop closes, on the thread closing it; idempotent.
     */
    @Override
    public void close() {
        List<Subprocess> children;
        Map<Subprocess, StackTraceElement> at;
        synchronized (this) {
            children = new ArrayList<>(running);
            at = new IdentityHashMap<>(createdAt);
            running.clear();
            createdAt.clear();
        }
        for (Subprocess child : children) {
            if (child.returncode() == null) {
                child.loop().callExceptionHandler(new ExceptionContext("unclosed transport " + child
                        + UserFrames.createdAt(at.get(child)), null, null, null, null));
                child.kill();
            }
        }
    }
}
