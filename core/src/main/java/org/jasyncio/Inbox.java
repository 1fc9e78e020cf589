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
     *
     * The loop drains at most SLICE handles per iteration, as IoPoller hands out ready keys a
     * slice at a time, so timers and I/O are looked at between slices of a burst (asyncio
     * drains its whole deque, and a burst of 1.1M calls made timers fire 0.9 s late). The
     * leftovers keep their order and are drained first next iteration, which never blocks
     * while any are left: IoPoller.poll selects without waiting when the inbox is not empty.
     */

    /**
     * The most callbacks moved to the ready queue in one iteration. Large enough that a loop
     * fed mostly from other threads spends little on iterations (a few microseconds each),
     * small enough that a burst of a million cross-thread calls does not keep due timers and
     * I/O waiting until all of it has run (a slice takes well under a millisecond).
     */
    static final int SLICE = 1024;

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
        if (loop.explorer != null) {
            loop.explorer.submitted(h);
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

    /**
     * Moves the oldest callbacks queued so far, at most {@link #SLICE}, to the ready queue, in
     * the order they were submitted; the rest stay first in line for the next iteration.
     */
    void drainTo(ArrayDeque<ReadyItem> ready) {
        Handle h;
        for (int n = 0; n < SLICE && (h = queue.poll()) != null; n++) {
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
