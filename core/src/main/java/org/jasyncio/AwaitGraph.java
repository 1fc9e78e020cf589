package org.jasyncio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jasyncio.internal.UserFrames;
import org.jasyncio.internal.WaitLabel;

/**
 * Who awaits whom among one loop's pending tasks, at one moment: asyncio 3.14's
 * {@code _asyncio_awaited_by} sets, computed on demand instead of kept up to date on every
 * await (so the await path pays nothing for introspection).
 *
 * <p>A task awaits the future in its {@link Task#waitingOn}, and through it, when that future
 * is a {@link Composite} ({@code gather}, {@code wait}, {@code shield}, {@code asCompleted}, a
 * {@code TaskGroup}'s exit, a cancelling {@code waitFor}), every future that one stands for,
 * recursively. The children of an open {@link TaskGroup} are awaited by the group's owner
 * task all the time the group is open, as asyncio 3.14's {@code TaskGroup.create_task}
 * records. {@code timeout} and {@code waitFor} before its deadline add nothing: the task
 * awaits the future itself. A composite future nobody awaits links nobody (asyncio links the
 * task that called {@code gather}/{@code shield} even if it never awaits the result).
 *
 * <p>Built on the loop thread; {@link TaskDump} also builds one from another thread for a loop
 * stuck in a blocking call, where the loop does not change what it reads.
 */
final class AwaitGraph {

    /** The open task groups of each loop, for the owner-awaits-children edges. */
    private static final LoopLocal<Set<TaskGroup>> OPEN_GROUPS = new LoopLocal<>(LinkedHashSet::new);

    final EventLoop loop;
    /** The loop's pending tasks, oldest first. */
    final List<Task<?>> tasks;
    private final Map<Future<?>, List<Task<?>>> awaitedBy = new IdentityHashMap<>();
    private final Map<Task<?>, List<Task<?>>> awaitsTasks = new IdentityHashMap<>();

    private AwaitGraph(EventLoop loop) {
        this.loop = loop;
        this.tasks = new ArrayList<>(loop.allTasks());
        for (Task<?> t : tasks) {
            Future<?> w = t.waitingOn;
            if (w != null && !t.done()) {
                link(w, t, Collections.newSetFromMap(new IdentityHashMap<>()));
            }
        }
        Set<TaskGroup> groups = loop.locals.containsKey(OPEN_GROUPS) ? OPEN_GROUPS.get(loop) : Set.of();
        for (TaskGroup g : new ArrayList<>(groups)) {
            Task<?> owner = g.parent();
            if (owner.done()) {
                continue;
            }
            for (Task<?> child : new ArrayList<>(g.children())) {
                if (!child.done()) {
                    addEdge(child, owner);
                }
            }
        }
    }

    /** The graph of {@code loop}'s pending tasks now. */
    static AwaitGraph of(EventLoop loop) {
        return new AwaitGraph(loop);
    }

    private void link(Future<?> f, Task<?> waiter, Set<Future<?>> seen) {
        if (!seen.add(f)) {
            return;
        }
        addEdge(f, waiter);
        if (f instanceof Composite c) {
            for (Future<?> inner : c.awaited()) {
                link(inner, waiter, seen);
            }
        }
    }

    private void addEdge(Future<?> awaited, Task<?> waiter) {
        List<Task<?>> by = awaitedBy.computeIfAbsent(awaited, k -> new ArrayList<>(1));
        if (!containsIdentity(by, waiter)) {
            by.add(waiter);
            if (awaited instanceof Task<?> t) {
                awaitsTasks.computeIfAbsent(waiter, k -> new ArrayList<>(1)).add(t);
            }
        }
    }

    private static boolean containsIdentity(List<?> list, Object o) {
        for (Object e : list) {
            if (e == o) {
                return true;
            }
        }
        return false;
    }

    /** The tasks awaiting {@code f}, directly or through composite futures, oldest first. */
    List<Task<?>> awaitedBy(Future<?> f) {
        List<Task<?>> by = awaitedBy.get(f);
        if (by == null) {
            return List.of();
        }
        List<Task<?>> sorted = new ArrayList<>(by);
        sorted.sort((a, b) -> Integer.compare(tasks.indexOf(a), tasks.indexOf(b)));
        return sorted;
    }

    /** The tasks {@code t} awaits, directly or through composite futures or an open group. */
    List<Task<?>> awaitedTasks(Task<?> t) {
        return awaitsTasks.getOrDefault(t, List.of());
    }

    // ------------------------------------------------------------------ TaskGroup registry

    static void groupOpened(TaskGroup g) {
        OPEN_GROUPS.get(g.parent().loop).add(g);
    }

    static void groupClosed(TaskGroup g) {
        OPEN_GROUPS.get(g.parent().loop).remove(g);
    }

    // ------------------------------------------------------------------ words for a dump

    /** The futures of {@code fs} not done yet, each once, in order. */
    static List<Future<?>> pending(Collection<? extends Future<?>> fs) {
        List<Future<?>> out = new ArrayList<>(fs.size());
        for (Future<?> f : fs) {
            if (!f.done() && !containsIdentity(out, f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** "Task-2, Task-3 and 4 more": the first few of {@code fs}, each as {@link #name}. */
    static String names(Collection<? extends Future<?>> fs) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Future<?> f : fs) {
            if (shown == 3) {
                return sb.append(" and ").append(fs.size() - 3).append(" more").toString();
            }
            if (shown > 0) {
                sb.append(", ");
            }
            sb.append(name(f));
            shown++;
        }
        return shown == 0 ? "nothing" : sb.toString();
    }

    /** A task's name, or what a future stands for ("Future 0x1b6d3586" for a plain one). */
    static String name(Future<?> f) {
        if (f instanceof Task<?> t) {
            return t.getName();
        }
        return f.getClass().getSimpleName() + " " + id(f);
    }

    /**
     * What a task awaiting {@code f} waits for: a task's name, a {@link WaitLabel}'s words, or
     * the future's kind and identity (with where it was created, in debug mode).
     */
    static String describe(Future<?> f) {
        if (f instanceof Task<?> t) {
            return t.getName();
        }
        if (f instanceof WaitLabel label) {
            try {
                return label.describeWait();
            } catch (RuntimeException racedWithTheLoop) {
                // Only when read from another thread than a (stuck) loop's; say what it is.
            }
        }
        String kind = f.getClass().getSimpleName();
        String s = (kind.isEmpty() ? "Future" : kind) + " " + id(f);
        StackTraceElement at = f.createdAt();
        return at != null ? s + " created at " + UserFrames.shortFrame(at) : s;
    }

    /** The identity a call graph and a dump print for a future: asyncio prints {@code id()}. */
    static String id(Object o) {
        return "0x" + Integer.toHexString(System.identityHashCode(o));
    }
}
