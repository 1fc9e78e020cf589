package org.jasyncio;

import java.util.List;

/**
 * Thrown out of {@link EventLoop#runUntilComplete} (and so {@link Runner#run} and
 * {@link Asyncio#run}) in debug mode when the awaited task can never finish: it is pending, and
 * nothing could wake any task (no callback ready, no timer, no channel watched, no thread job or
 * cross-thread call arriving) for the loop's {@linkplain EventLoop#setDeadlockTimeout deadlock
 * timeout}. No asyncio counterpart: asyncio hangs silently there. The message lists every stuck
 * task, where it waits and on what, and names a cycle of tasks awaiting each other.
 *
 * <p>The loop is left idle and usable: the tasks are still pending, and {@link Runner#close()}
 * cancels them as usual.
 */
public final class DeadlockException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<Task<?>> stuckTasks;
    private final transient List<Task<?>> cycle;

    DeadlockException(String message, List<Task<?>> stuckTasks, List<Task<?>> cycle) {
        super(message);
        this.stuckTasks = List.copyOf(stuckTasks);
        this.cycle = List.copyOf(cycle);
    }

    /** {@return the tasks pending when the deadlock was found, oldest first} */
    public List<Task<?>> stuckTasks() {
        return stuckTasks;
    }

    /**
     * {@return the tasks of a cycle of tasks awaiting each other, each awaiting the next and the
     * last the first; empty if the stuck tasks wait on something else, such as a future nobody
     * will complete}
     */
    public List<Task<?>> cycle() {
        return cycle;
    }
}
