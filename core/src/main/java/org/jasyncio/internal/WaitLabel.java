package org.jasyncio.internal;

/**
 * A future that can say what a task waiting on it waits for, in the words a task dump shows
 * ({@code "Queue.get"}, {@code "Lock held by Task-7"}, {@code "StreamReader.readline"}). The
 * futures that jasyncio's own functions and primitives make for a task to await implement it,
 * in whichever package they live; {@code EventLoop.dumpTasks()} asks it of the future each
 * task waits on. Not exported: no part of the API.
 */
public interface WaitLabel {

    /**
     * What a task awaiting this future waits for, in a few words. Called on the loop thread
     * (or, for a loop stuck in a blocking call, from another thread as a best effort), so it
     * must read fields only and never throw.
     *
     * @return the description
     */
    String describeWait();

    /**
     * The task that must act before this wait can end, if one is known: the holder of the
     * lock a task waits to acquire. Deadlock reports follow it to name a cycle through locks.
     * Same rules as {@link #describeWait()}.
     *
     * @return that task (an {@code org.jasyncio.Task}), or null
     */
    default Object blockingTask() {
        return null;
    }
}
