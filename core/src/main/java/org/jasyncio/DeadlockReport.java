package org.jasyncio;

import java.util.ArrayList;
import java.util.List;
import org.jasyncio.internal.WaitLabel;

/** Builds the {@link DeadlockException} of a loop whose awaited future can never complete. */
final class DeadlockReport {

    /* Implementation overview: every pending task is listed with its toString(), which says
     * what it waits on and at which user frame (and, in debug mode, where it was created).
     * A task waits for the tasks AwaitGraph says it awaits, and for the holder of a lock it
     * waits to acquire (WaitLabel.blockingTask); the first cycle met walking those edges
     * depth first from each task, oldest first, is named. */

    private DeadlockReport() {
    }

    static DeadlockException of(EventLoop loop, Future<?> awaited, long waitedNanos) {
        List<Task<?>> stuck = new ArrayList<>(loop.allTasks());
        List<Task<?>> cycle = findCycle(loop);
        StringBuilder sb = new StringBuilder("Deadlock: ").append(describe(awaited))
                .append(" is pending and nothing can wake any task: no callback is ready, no timer is set,"
                        + " no channel is watched, and no thread job or cross-thread call arrived for ")
                .append(waitedNanos / 1_000_000).append(" ms.");
        if (!cycle.isEmpty()) {
            sb.append("\nCycle: ");
            for (Task<?> t : cycle) {
                sb.append(t.getName()).append(" -> ");
            }
            sb.append(cycle.get(0).getName()).append(" (each waits for the next: awaits it, or a lock it holds)");
        }
        sb.append("\nStuck tasks:");
        for (Task<?> t : stuck) {
            sb.append("\n  ").append(t).append(": ").append(TaskDump.on(t));
        }
        return new DeadlockException(sb.toString(), stuck, cycle);
    }

    private static String describe(Future<?> f) {
        return f instanceof Task<?> t ? "the awaited task " + t.getName() : "the awaited future " + f;
    }

    /**
     * The first cycle of tasks that wait for each other, from the oldest task: through awaits
     * (directly, or through gather, shield, waitFor, a task group and the like: AwaitGraph's
     * edges) and through locks (a task waiting to acquire a lock waits for its holder). Empty
     * if none.
     */
    private static List<Task<?>> findCycle(EventLoop loop) {
        AwaitGraph graph = AwaitGraph.of(loop);
        List<List<Task<?>>> cycles = TaskDump.cycles(graph.tasks, t -> {
            List<Task<?>> waitsFor = new ArrayList<>(graph.awaitedTasks(t));
            if (t.waitingOn instanceof WaitLabel label && label.blockingTask() instanceof Task<?> holder
                    && holder != t && !holder.done()) {
                waitsFor.add(holder);
            }
            return waitsFor;
        });
        return cycles.isEmpty() ? List.of() : cycles.get(0);
    }
}
