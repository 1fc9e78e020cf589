package org.jasyncio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jasyncio.internal.UserFrames;

/**
 * {@link Asyncio#captureCallGraph(Future)} and {@link Asyncio#formatCallGraph(Future)}:
 * asyncio 3.14's {@code asyncio.graph} module.
 */
final class CallGraphs {

    /* Implementation overview: capture builds the loop's AwaitGraph once, then walks from the
     * future up through who awaits it, keeping the path in an identity set: a future met again
     * on its own path closes a cycle, and becomes a leaf (so a cycle ends instead of looping
     * forever, which asyncio's recursive _build_graph_for_future does not guard against).
     * A future reached twice by different paths (a diamond) appears twice, as in asyncio.
     * format renders asyncio's layout: 4 spaces per level, "* Task(name=..., id=...)" or
     * "* Future(id=...)", then "  + Call stack:" and "  |   File ..." lines, then
     * "  + Awaited by:" and the awaiting graphs one level deeper; a node whose future is one
     * of its own ancestors gets " (cycle)". */

    private CallGraphs() {
    }

    /** The current task's graph, or null outside a task (asyncio returns None). */
    static CallGraph captureCurrent() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop == null) {
            throw new IllegalStateException("captureCallGraph() was called outside a running event loop and no future"
                    + " to introspect was given");
        }
        Task<?> current = loop.currentTask;
        return current == null ? null : capture(current);
    }

    static CallGraph capture(Future<?> future) {
        if (future == null) {
            throw new NullPointerException("future");
        }
        future.loop.checkThread("captureCallGraph()");
        AwaitGraph graph = AwaitGraph.of(future.loop);
        return node(future, graph, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static CallGraph node(Future<?> f, AwaitGraph graph, Set<Future<?>> path) {
        List<StackTraceElement> stack = f instanceof Task<?> t ? stackOf(t) : List.of();
        if (!path.add(f)) {
            return new CallGraph(f, stack, List.of());
        }
        List<CallGraph> by = new ArrayList<>();
        for (Task<?> waiter : graph.awaitedBy(f)) {
            by.add(node(waiter, graph, path));
        }
        path.remove(f);
        return new CallGraph(f, stack, by);
    }

    /** A task's user frames: where it is suspended, or where it runs if it is the running one. */
    static List<StackTraceElement> stackOf(Task<?> t) {
        if (t.done()) {
            return List.of();
        }
        if (t.loop.currentTask == t) {
            return UserFrames.all(t.loop.inEventLoop() ? new Throwable().getStackTrace() : t.runningStack());
        }
        return UserFrames.all(t.getStack());
    }

    static String format(CallGraph g) {
        List<String> lines = new ArrayList<>();
        render(g, lines, 0, Collections.newSetFromMap(new IdentityHashMap<>()));
        return String.join("\n", lines);
    }

    private static void render(CallGraph g, List<String> out, int level, Set<Future<?>> path) {
        String indent = "    ".repeat(level);
        Future<?> f = g.future();
        String head = f instanceof Task<?> t
                ? "* Task(name='" + t.getName() + "', id=" + AwaitGraph.id(t) + ")"
                : "* Future(id=" + AwaitGraph.id(f) + ")";
        boolean cycle = !path.add(f);
        out.add(indent + head + (cycle ? " (cycle)" : ""));
        if (cycle) {
            return;
        }
        if (!g.callStack().isEmpty()) {
            out.add(indent + "  + Call stack:");
            for (StackTraceElement e : g.callStack()) {
                out.add(indent + "  |   File '" + (e.getFileName() == null ? "Unknown Source" : e.getFileName())
                        + "', line " + e.getLineNumber() + ", in " + e.getClassName() + "." + e.getMethodName() + "()");
            }
        }
        if (!g.awaitedBy().isEmpty()) {
            out.add(indent + "  + Awaited by:");
            for (CallGraph by : g.awaitedBy()) {
                render(by, out, level + 1, path);
            }
        }
        path.remove(f);
    }

}
