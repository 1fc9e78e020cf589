package org.jasyncio;

/**
 * The one door for suspending: every await, sleep, lock and queue of jasyncio suspends its
 * task through these two methods, and nothing else calls the strand's suspend. They check
 * that the caller really is a task of a running loop (never a hang, always a precise error),
 * record why the task suspends ({@link Task#waitingOn}), hand control back to the loop, and
 * on resumption deliver a pending cancellation at the suspension point.
 */
final class Suspension {

    private Suspension() {
    }

    /**
     * Suspends the current task until {@code future} is done. The caller reads the result.
     *
     * @throws IllegalStateException outside a task, or for a future of another loop
     * @throws CancelledError        if the task was cancelled while it waited
     */
    static void awaitFuture(Future<?> future) {
        Task<?> task = currentTask("await()");
        if (future.loop != task.loop) {
            throw new IllegalStateException("Task " + task + " got a Future " + future
                    + " attached to a different loop");
        }
        if (future == task) {
            throw new IllegalStateException("Task cannot await on itself: " + task);
        }
        task.waitingOn = future;
        suspend(task);
    }

    /**
     * {@link #awaitFuture} for a pending {@code future} that the current {@code task} made on
     * its own loop (a sleep's), where the checks are known to pass: one frame fewer between
     * the coroutine and the yield, and so a smaller stack chunk under every such waiting task.
     * The caller reads the result.
     *
     * @throws CancelledError if the task was cancelled while it waited
     */
    static void awaitOwn(Task<?> task, Future<?> future) {
        task.waitingOn = future;
        suspend(task);
    }

    /**
     * Gives the loop one turn: the task resumes on the next iteration, after the callbacks
     * already ready. asyncio's bare {@code yield} ({@code await asyncio.sleep(0)}).
     *
     * @throws IllegalStateException outside a task
     * @throws CancelledError        if the task was cancelled meanwhile
     */
    static void yieldNow() {
        Task<?> task = currentTask("sleep(0)");
        task.waitingOn = null;
        suspend(task);
    }

    private static void suspend(Task<?> task) {
        try {
            if (task.loop.debug) {
                DebugMode.checkNoLockHeld(task); // a monitor held across the yield would hang the loop
            }
            task.currentStrand().suspend();
        } catch (Throwable refused) {
            // The strand could not yield (a pinned stack, see Strand.suspend): the task
            // never suspended, so it waits on nothing. Left set, waitingOn would make a later
            // cancel() cancel a future the task no longer awaits, and toString lie.
            task.waitingOn = null;
            throw refused;
        }
        CancelledError c = task.takePendingThrow();
        if (c != null) {
            throw c;
        }
    }

    /** The running task, or a precise error naming the operation. */
    static Task<?> currentTask(String operation) {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop == null) {
            throw new IllegalStateException(operation + " was called outside a running event loop: suspending calls"
                    + " (await, sleep, lock, queue, ...) must run inside a task, e.g. under Asyncio.run(...)"
                    + " or Asyncio.createTask(...)");
        }
        Task<?> task = loop.currentTask;
        if (task == null) {
            throw new IllegalStateException(operation + " was called outside a task: a plain callback (callSoon,"
                    + " callLater, a done callback) cannot suspend; wrap the code in Asyncio.createTask(...)");
        }
        return task;
    }
}
