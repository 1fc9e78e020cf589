package org.jasyncio;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where other threads leave callbacks for the loop: the queue behind
 * {@code callSoonThreadsafe}, {@code execute} and {@code runCoroutineThreadsafe}, and the
 * wake-up of a loop blocked in select. asyncio's {@code call_soon_threadsafe} path (its
 * {@code _ready} deque under the GIL, and {@code _write_to_self}).
 */
final class Inbox {

    /*
     * Implementation overview.
     *
     * Any thread adds; only the loop thread drains, at each iteration after the select. The
     * loop's close() may run concurrently with submit(): submit checks `closed` again after
     * adding, and if the loop closed meanwhile it takes its handle back. So a handle is
     * either in the queue when close() drains it (and is told through Handle.dropped()) or
     * refused with "Event loop is closed": never silently lost.
     */

    private final ConcurrentLinkedQueue<Handle> queue = new ConcurrentLinkedQueue<>();
    private final EventLoop loop;
    private final IoPoller io;

    Inbox(EventLoop loop, IoPoller io) {
        this.loop = loop;
        this.io = io;
    }

    /** Queues {@code h} for the loop and wakes it; any thread. */
    Handle submit(Handle h) {
        if (loop.isClosed()) {
            throw EventLoop.closedError();
        }
        queue.add(h);
        if (loop.isClosed() && queue.remove(h)) {
            throw EventLoop.closedError();
        }
        io.wakeup();
        return h;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Moves everything queued so far to the ready queue, in the order it was submitted. */
    void drainTo(ArrayDeque<ReadyItem> ready) {
        Handle h;
        while ((h = queue.poll()) != null) {
            ready.add(h);
        }
    }

    /** On close: tells each handle still queued that it will never run. */
    void dropAll() {
        Handle h;
        while ((h = queue.poll()) != null) {
            h.dropped();
        }
    }
}
