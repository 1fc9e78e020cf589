package org.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pending tasks of one loop, in an intrusive doubly-linked list threaded through
 * {@link Task#prevTask}/{@link Task#nextTask}: adding and removing allocate nothing. Unlike
 * asyncio's {@code _scheduled_tasks} (a weak set), the list holds its tasks strongly, so a
 * task that nobody references still runs to its end. Loop thread only.
 */
final class TaskList {

    /** The most recently added task; the list runs from newest to oldest. */
    private Task<?> newest;
    private int size;

    void add(Task<?> task) {
        Task<?> first = newest;
        task.nextTask = first;
        if (first != null) {
            first.prevTask = task;
        }
        newest = task;
        size++;
    }

    void remove(Task<?> task) {
        Task<?> prev = task.prevTask;
        Task<?> next = task.nextTask;
        if (prev != null) {
            prev.nextTask = next;
        } else if (newest == task) {
            newest = next;
        } else {
            return; // not in the list
        }
        if (next != null) {
            next.prevTask = prev;
        }
        task.prevTask = null;
        task.nextTask = null;
        size--;
    }

    /** Calls {@code action} on each task, newest first. */
    void forEachNewestFirst(java.util.function.Consumer<Task<?>> action) {
        for (Task<?> t = newest; t != null; t = t.nextTask) {
            action.accept(t);
        }
    }

    int size() {
        return size;
    }

    /** The tasks in creation order (oldest first), as a new set. */
    Set<Task<?>> snapshot() {
        List<Task<?>> list = new ArrayList<>(size);
        for (Task<?> t = newest; t != null; t = t.nextTask) {
            list.add(t);
        }
        Set<Task<?>> result = new LinkedHashSet<>();
        for (int i = list.size() - 1; i >= 0; i--) {
            result.add(list.get(i));
        }
        return result;
    }
}
