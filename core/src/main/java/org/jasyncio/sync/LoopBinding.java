package org.jasyncio.sync;

import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;

/**
 * The loop a synchronization primitive or queue belongs to: asyncio's
 * {@code mixins._LoopBoundMixin}. A primitive is created unbound (anywhere, even before a loop
 * exists) and binds to the running loop the first time a task waits on it; from then on,
 * waiting on it or waking its waiters from anywhere else is a precise
 * {@link IllegalStateException} instead of a silent cross-thread race.
 *
 * <p>Binding happens once, so it is the one piece of state a misused primitive may see from two
 * threads at the same time: it is a volatile field set under the binding's monitor (no await
 * ever happens inside it).
 */
final class LoopBinding {

    private final Object owner;
    private volatile EventLoop loop;

    /**
     * @param owner the primitive, named in error messages
     */
    LoopBinding(Object owner) {
        this.owner = owner;
    }

    /**
     * The running task's loop, binding to it on first use; for an operation about to wait.
     *
     * @param operation the operation, for the error message (e.g. {@code "Lock.acquire()"})
     * @return the loop to create the waiter's future on
     * @throws IllegalStateException outside a task, or in a task of another loop than the bound one
     */
    EventLoop loopForWaiting(String operation) {
        Task<?> task = Asyncio.currentTask();
        if (task == null) {
            throw new IllegalStateException(operation + " has to wait, and only a task can wait: call it inside a task"
                    + " (under Asyncio.run(...) or Asyncio.createTask(...)), not from a plain callback or thread");
        }
        EventLoop running = task.getLoop();
        EventLoop bound = loop;
        if (bound == running) {
            return running;
        }
        if (bound == null) {
            synchronized (this) {
                bound = loop;
                if (bound == null) {
                    loop = running;
                    return running;
                }
            }
        }
        if (bound != running) {
            throw differentLoop(running);
        }
        return running;
    }

    /**
     * Checks, before waking waiters, that the caller runs on the bound loop (a task or a
     * callback of it). Call it only when there are waiters: with none, the primitive touches no
     * loop and, as in asyncio, any loop may use it.
     *
     * @throws IllegalStateException if the caller is on another loop or on a thread with no loop
     */
    void checkWaker() {
        EventLoop bound = loop;
        EventLoop running;
        try {
            running = Asyncio.getRunningLoop();
        } catch (IllegalStateException noLoop) {
            throw new IllegalStateException(describe(owner) + " is bound to " + bound
                    + " and was used from a thread where no event loop runs; from another thread, go through"
                    + " loop.callSoonThreadsafe(...)");
        }
        if (bound != null && running != bound) {
            throw differentLoop(running);
        }
    }

    /** @return the bound loop, or null before the first wait */
    EventLoop loop() {
        return loop;
    }

    private IllegalStateException differentLoop(EventLoop running) {
        return new IllegalStateException(describe(owner) + " is bound to a different event loop: it belongs to "
                + loop + " (where a task first waited on it) and was used from " + running
                + "; create one primitive per loop");
    }

    /**
     * @param o an object
     * @return a short name for {@code o}: its class and identity, without calling its toString
     */
    static String describe(Object o) {
        return o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }
}
