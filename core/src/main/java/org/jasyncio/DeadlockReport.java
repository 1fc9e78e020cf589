package org.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link DeadlockException} of a loop whose awaited future can never complete. */
final class DeadlockReport {

    /* Implementation overview: every pending task is listed with its toString(), which says
     * what it waits on and at which user frame (and, in debug mode, where it was created).
     * The await graph has an edge from a task to the task it awaits (Task.waitingOn); the
     * first cycle met walking those edges from each task, oldest first, is named. */

    private DeadlockReport() {
    }

    static DeadlockException of(EventLoop loop, Future<?> awaited, long waitedNanos) {
        List<Task<?>> stuck = new ArrayList<>(loop.allTasks());
        List<Task<?>> cycle = findCycle(stuck);
        StringBuilder sb = new StringBuilder("Deadlock: ").append(describe(awaited))
                .append(" is pending and nothing can wake any task: no callback is ready, no timer is set,"
                        + " no channel is watched, and no thread job or cross-thread call arrived for ")
                .append(waitedNanos / 1_000_000).append(" ms.");
        if (!cycle.isEmpty()) {
            sb.append("\nCycle: ");
            for (Task<?> t : cycle) {
                sb.append(t.getName()).append(" awaits ");
            }
            sb.append(cycle.get(0).getName());
        }
        sb.append("\nStuck tasks:");
        for (Task<?> t : stuck) {
            sb.append("\n  ").append(t);
        }
        return new DeadlockException(sb.toString(), stuck, cycle);
    }

    private static String describe(Future<?> f) {
        return f instanceof Task<?> t ? "the awaited task " + t.getName() : "the awaited future " + f;
    }

    /** The first cycle of tasks awaiting tasks, walking from each task in turn; empty if none. */
    private static List<Task<?>> findCycle(List<Task<?>> tasks) {
        for (Task<?> start : tasks) {
            Map<Task<?>, Integer> path = new LinkedHashMap<>();
            Task<?> t = start;
            while (t != null && !path.containsKey(t)) {
                path.put(t, path.size());
                t = t.waitingOn instanceof Task<?> next && !next.done() ? next : null;
            }
            if (t != null) {
                List<Task<?>> walk = new ArrayList<>(path.keySet());
                return walk.subList(path.get(t), walk.size());
            }
        }
        return List.of();
    }
}
