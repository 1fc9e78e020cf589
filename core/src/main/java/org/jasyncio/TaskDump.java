package org.jasyncio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jasyncio.internal.UserFrames;

/**
 * {@link EventLoop#dumpTasks()} and {@link EventLoop#dumpTaskTree()}: asyncio 3.14's
 * {@code python -m asyncio ps} table and {@code pstree} tree, for one loop.
 */
final class TaskDump {

    /* Implementation overview: both dumps read one AwaitGraph. The table has one row per
     * pending task, oldest first: its identity, name, state, the user's frame where it waits,
     * what it waits on (a task's name, or the WaitLabel of the future: "Queue.get", "sleep
     * 2.5 s", "Lock held by Task-7", "gather of ..."), and the tasks awaiting it. The tree
     * hangs each task under the tasks that await it, from the tasks nobody awaits; a task
     * awaited by several appears under each (its subtree only the first time, later "(see
     * above)"). A cycle in the await graph (asyncio's pstree refuses to draw one) is listed
     * first, as "Task-1 -> Task-2 -> Task-1 (cycle)", and drawn from its oldest task, the
     * edge that closes it marked "(cycle)".
     *
     * Threads: a dump is made on the loop thread. Asked from another thread while the loop
     * runs, it is posted to the loop with callSoonThreadsafe and waited for up to
     * LOOP_ANSWER_MILLIS; a loop that does not answer in time is stuck in a blocking call (the
     * very case a dump is for), and does not change its tasks meanwhile, so the dump is then
     * read from the asking thread, marked as such and followed by the loop thread's stack. */

    /** How long a dump asked from another thread waits for the loop to make it. */
    static final long LOOP_ANSWER_MILLIS = 1000;
    /** Cells longer than this are cut, so one long name does not push every row off screen. */
    private static final int MAX_CELL = 80;

    private TaskDump() {
    }

    /** The table or the tree of {@code loop}, made on the loop if it runs (see the overview). */
    static String dump(EventLoop loop, boolean tree) {
        if (!loop.isRunning() || loop.inEventLoop()) {
            return make(loop, tree);
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        try {
            loop.callSoonThreadsafe(() -> {
                try {
                    answer.complete(make(loop, tree));
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            });
        } catch (IllegalStateException closed) {
            return make(loop, tree);
        }
        try {
            return answer.get(LOOP_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stuck) {
            return stuck(loop, tree);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stuck(loop, tree);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the task dump failed on the loop", e.getCause());
        }
    }

    /** A dump read from outside a loop that did not answer, with the loop thread's stack. */
    private static String stuck(EventLoop loop, boolean tree) {
        StringBuilder sb = new StringBuilder();
        Thread t = loop.thread();
        sb.append("!! the loop did not answer within ").append(LOOP_ANSWER_MILLIS)
                .append(" ms: it is blocked (a blocking call in a task or callback?); read from thread \"")
                .append(Thread.currentThread().getName()).append("\", may be inconsistent\n");
        String body;
        try {
            body = make(loop, tree);
        } catch (RuntimeException raced) {
            body = "(the tasks could not be read: " + raced + ")\n";
        }
        sb.append(body);
        Task<?> running = loop.currentTask;
        StackTraceElement[] stack;
        if (running != null) {
            // Its strand's thread, or the loop thread that runs its continuation.
            sb.append("running task: ").append(running.getName()).append(", stack:\n");
            stack = running.runningStack();
        } else if (t != null) {
            sb.append("no task runs; loop thread \"").append(t.getName()).append("\" (").append(t.getState())
                    .append("), stack:\n");
            stack = t.getStackTrace();
        } else {
            stack = new StackTraceElement[0];
        }
        for (StackTraceElement e : stack) {
            sb.append("    at ").append(e).append('\n');
        }
        return sb.toString();
    }

    private static String make(EventLoop loop, boolean tree) {
        AwaitGraph graph = AwaitGraph.of(loop);
        return tree ? tree(graph) : table(graph);
    }

    private static String header(EventLoop loop, int tasks) {
        Thread t = loop.thread();
        String id = LoopMonitor.idOf(loop);
        return "event loop" + (id == null ? "" : " " + id)
                + (t == null ? " (not running)" : " on thread \"" + t.getName() + "\"")
                + " (" + loop.strands().name() + " strand): " + tasks + (tasks == 1 ? " task" : " tasks") + "\n";
    }

    // ------------------------------------------------------------------------ ps

    static String table(AwaitGraph graph) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "name", "state", "waits at", "on", "awaited by"});
        for (Task<?> t : graph.tasks) {
            List<Task<?>> by = graph.awaitedBy(t);
            rows.add(new String[] {
                AwaitGraph.id(t), t.getName(), state(t), where(t), on(t),
                by.isEmpty() ? "-" : names(by)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = cut(row[i]);
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder(header(graph.loop, graph.tasks.size()));
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String cut(String s) {
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 3) + "...";
    }

    private static String names(List<Task<?>> tasks) {
        StringBuilder sb = new StringBuilder();
        for (Task<?> t : tasks) {
            sb.append(sb.isEmpty() ? "" : ", ").append(t.getName());
        }
        return sb.toString();
    }

    /** running, waiting, ready (scheduled to run), or not started; "cancelling" if asked to stop. */
    static String state(Task<?> t) {
        String s;
        if (t.loop.currentTask == t) {
            s = "running";
        } else if (!t.started()) {
            s = "not started";
        } else if (t.waitingOn != null && !t.waitingOn.done()) {
            s = "waiting";
        } else {
            s = "ready";
        }
        return t.cancelling() > 0 ? s + ", cancelling" : s;
    }

    /** The user's frame where the task waits (or runs): {@code Main.worker(Main.java:20)}. */
    static String where(Task<?> t) {
        List<StackTraceElement> frames = CallGraphs.stackOf(t);
        return frames.isEmpty() ? "-" : UserFrames.shortFrame(frames.get(0));
    }

    /** What the task waits on: see {@link AwaitGraph#describe}. */
    static String on(Task<?> t) {
        Future<?> w = t.waitingOn;
        if (w == null || t.loop.currentTask == t) {
            return "-";
        }
        return w.done() ? AwaitGraph.describe(w) + " (done, about to resume)" : AwaitGraph.describe(w);
    }

    // ------------------------------------------------------------------------ pstree

    static String tree(AwaitGraph graph) {
        StringBuilder sb = new StringBuilder(header(graph.loop, graph.tasks.size()));
        List<List<Task<?>>> cycles = cycles(graph);
        if (!cycles.isEmpty()) {
            sb.append("await cycles (each task waits for the next, so none of them can finish):\n");
            for (List<Task<?>> c : cycles) {
                StringBuilder line = new StringBuilder("  ");
                for (Task<?> t : c) {
                    line.append(t.getName()).append(" -> ");
                }
                sb.append(line).append(c.get(0).getName()).append(" (cycle)\n");
            }
        }
        Set<Task<?>> drawn = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Task<?>> path = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Task<?>> roots = new ArrayList<>();
        for (Task<?> t : graph.tasks) {
            if (graph.awaitedBy(t).isEmpty()) {
                roots.add(t);
            }
        }
        for (List<Task<?>> c : cycles) {
            roots.add(c.get(0)); // drawn only if no root above reached it
        }
        List<Task<?>> toDraw = new ArrayList<>();
        for (Task<?> r : roots) {
            if (!toDraw.contains(r)) {
                toDraw.add(r);
            }
        }
        for (int i = 0; i < toDraw.size(); i++) {
            Task<?> r = toDraw.get(i);
            if (!drawn.contains(r)) {
                draw(graph, r, "", true, drawn, path, sb);
            }
        }
        for (Task<?> t : graph.tasks) { // awaited only by tasks below a cycle already drawn: none left, but never lose one
            if (!drawn.contains(t)) {
                draw(graph, t, "", true, drawn, path, sb);
            }
        }
        return sb.toString();
    }

    private static void draw(AwaitGraph graph, Task<?> t, String prefix, boolean last, Set<Task<?>> drawn,
                             Set<Task<?>> path, StringBuilder sb) {
        sb.append(prefix).append(last ? "└── " : "├── ").append("(T) ").append(t.getName());
        if (path.contains(t)) {
            sb.append(" (cycle)\n");
            return;
        }
        List<Task<?>> children = graph.awaitedTasks(t);
        if (drawn.contains(t)) {
            sb.append(children.isEmpty() ? "\n" : " (see above)\n");
            return;
        }
        drawn.add(t);
        sb.append("  ").append(state(t));
        String where = where(t);
        if (!where.equals("-")) {
            sb.append(" at ").append(where);
        }
        String on = on(t);
        if (!on.equals("-")) {
            sb.append(" on ").append(on);
        }
        sb.append('\n');
        path.add(t);
        String childPrefix = prefix + (last ? "    " : "│   ");
        for (int i = 0; i < children.size(); i++) {
            draw(graph, children.get(i), childPrefix, i == children.size() - 1, drawn, path, sb);
        }
        path.remove(t);
    }

    /**
     * The cycles of the await graph, each once, each from its oldest task, following "awaits"
     * edges: a depth-first search that reports the path back to a task still on its stack.
     */
    static List<List<Task<?>>> cycles(AwaitGraph graph) {
        return cycles(graph.tasks, graph::awaitedTasks);
    }

    /**
     * The cycles of {@code tasks} (oldest first) following {@code next} (the tasks each one
     * waits for), each once, each from its oldest task.
     */
    static List<List<Task<?>>> cycles(List<Task<?>> tasks, Function<Task<?>, List<Task<?>>> next) {
        Map<Task<?>, Integer> order = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            order.put(t, order.size());
        }
        List<List<Task<?>>> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<Task<?>> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Task<?> start : tasks) {
            if (!finished.contains(start)) {
                search(next, start, new ArrayList<>(), finished, order, found, seen);
            }
        }
        return found;
    }

    private static void search(Function<Task<?>, List<Task<?>>> graph, Task<?> t, List<Task<?>> stack,
                               Set<Task<?>> finished, Map<Task<?>, Integer> order, List<List<Task<?>>> found,
                               Set<String> seen) {
        int at = indexOf(stack, t);
        if (at >= 0) {
            List<Task<?>> cycle = new ArrayList<>(stack.subList(at, stack.size()));
            int oldest = 0;
            for (int i = 1; i < cycle.size(); i++) {
                if (order.getOrDefault(cycle.get(i), Integer.MAX_VALUE) < order.getOrDefault(cycle.get(oldest), Integer.MAX_VALUE)) {
                    oldest = i;
                }
            }
            Collections.rotate(cycle, -oldest);
            StringBuilder key = new StringBuilder();
            for (Task<?> c : cycle) {
                key.append(AwaitGraph.id(c)).append(' ');
            }
            if (seen.add(key.toString())) {
                found.add(cycle);
            }
            return;
        }
        if (finished.contains(t)) {
            return;
        }
        stack.add(t);
        for (Task<?> next : graph.apply(t)) {
            search(graph, next, stack, finished, order, found, seen);
        }
        stack.remove(stack.size() - 1);
        finished.add(t);
    }

    private static int indexOf(List<Task<?>> list, Task<?> t) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == t) {
                return i;
            }
        }
        return -1;
    }
}
