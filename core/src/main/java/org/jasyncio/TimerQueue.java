package org.jasyncio;

import java.util.Arrays;

/**
 * The loop's binary min-heap of timers, ordered by deadline and then by scheduling order, so
 * that timers with equal deadlines fire in the order they were scheduled. Cancelled timers
 * stay in the heap until they reach the top or until {@link #removeCancelled()} compacts it.
 */
final class TimerQueue {

    /** Compact only a heap with at least this many cancelled timers (and more than half). */
    private static final int MIN_CANCELLED_TO_COMPACT = 100;

    private TimerHandle[] heap = new TimerHandle[64];
    private int size;
    private int cancelled;

    /** A queued timer was cancelled: it stays in the heap until dropped or compacted. */
    void cancelledOne() {
        cancelled++;
    }

    /**
     * Moves the timers due at {@code now} (nanoTime) to {@code ready}, in deadline and then
     * scheduling order; cancelled timers met on the way are dropped, and the heap is compacted
     * first when cancelled timers make up more than half of it.
     */
    void moveDue(long now, java.util.ArrayDeque<ReadyItem> ready) {
        if (size == 0) {
            return;
        }
        if (cancelled > MIN_CANCELLED_TO_COMPACT && cancelled * 2 > size) {
            removeCancelled();
            cancelled = 0;
        }
        while (size > 0) {
            TimerHandle t = heap[0];
            if (t.cancelled) {
                poll();
                cancelled--;
                continue;
            }
            if (t.deadline > now) {
                break;
            }
            poll();
            ready.add(t);
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TimerHandle peek() {
        return heap[0];
    }

    void add(TimerHandle t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.queued = true;
        siftUp(size++, t);
    }

    TimerHandle poll() {
        TimerHandle top = heap[0];
        int last = --size;
        TimerHandle moved = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved);
        }
        top.queued = false;
        return top;
    }

    /** Drops every cancelled timer and restores the heap order, in linear time. */
    void removeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            TimerHandle t = heap[i];
            if (t.cancelled) {
                t.queued = false;
            } else {
                heap[kept++] = t;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].queued = false;
            heap[i] = null;
        }
        size = 0;
        cancelled = 0;
    }

    private void siftUp(int k, TimerHandle t) {
        TimerHandle[] h = heap;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            TimerHandle p = h[parent];
            if (!t.before(p)) {
                break;
            }
            h[k] = p;
            k = parent;
        }
        h[k] = t;
    }

    private void siftDown(int k, TimerHandle t) {
        TimerHandle[] h = heap;
        int half = size >>> 1;
        while (k < half) {
            int child = (k << 1) + 1;
            TimerHandle c = h[child];
            int right = child + 1;
            if (right < size && h[right].before(c)) {
                child = right;
                c = h[child];
            }
            if (!c.before(t)) {
                break;
            }
            h[k] = c;
            k = child;
        }
        h[k] = t;
    }
}
