package org.jasyncio.sync;

import java.util.function.Supplier;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.internal.WaitLabel;

/**
 * One parked task in a {@link WaitQueue}: the future it awaits, linked into the queue's FIFO.
 * asyncio's primitives keep bare futures in a {@code deque}; here the future is its own list
 * node, so a waiter leaves the queue in O(1) wherever it stands.
 *
 * <p>A waiter is done with a {@code null} result when it is woken, or cancelled when its task
 * is cancelled while it waits (the task cancels the future it waits on). It stays linked until
 * its task runs again and removes it, exactly as asyncio leaves a cancelled future in its
 * deque until the waiting coroutine's {@code finally}; the queue counts cancelled members so
 * that asyncio's "are all waiters cancelled?" checks cost nothing.
 */
final class Waiter extends Future<Void> implements WaitLabel {

    /** The queue this waiter is linked into, or null once it left. */
    WaitQueue queue;
    Waiter prev;
    Waiter next;
    /** The waiting operation, e.g. {@code "Queue.get()"}. */
    private final String operation;
    /** The queue's own description of a wait, or null to show the operation. */
    private final Supplier<String> label;

    Waiter(EventLoop loop, WaitQueue queue, String operation) {
        super(loop);
        this.queue = queue;
        this.operation = operation;
        this.label = queue.label;
    }

    /** What a task dump shows: the queue's label, else the operation ({@code "Queue.get"}). */
    @Override
    public String describeWait() {
        Supplier<String> l = label;
        return l != null ? l.get() : operation.endsWith("()") ? operation.substring(0, operation.length() - 2) : operation;
    }

    /** The task that must release what this waiter waits for (a lock's holder), or null. */
    @Override
    public Object blockingTask() {
        WaitQueue q = queue;
        return q != null && q.blocker != null ? q.blocker.get() : null;
    }

    /** Cancels like any future; a waiter still in its queue is counted as cancelled there. */
    @Override
    public boolean cancel(String message) {
        if (!super.cancel(message)) {
            return false;
        }
        WaitQueue q = queue;
        if (q != null) {
            q.cancelledCount++;
        }
        return true;
    }

    /** @return true if it was woken (done and not cancelled) */
    boolean woken() {
        return done() && !cancelled();
    }
}
