package org.jasyncio.sync;

import org.jasyncio.EventLoop;
import org.jasyncio.Future;

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
final class Waiter extends Future<Void> {

    /** The queue this waiter is linked into, or null once it left. */
    WaitQueue queue;
    Waiter prev;
    Waiter next;

    Waiter(EventLoop loop, WaitQueue queue) {
        super(loop);
        this.queue = queue;
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
