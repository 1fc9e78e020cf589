package org.jasyncio;

import java.util.Arrays;

/**
 * The loop's min-heap of timers, ordered by deadline and then by scheduling order, so that
 * timers with equal deadlines fire in the order they were scheduled. Cancelled timers stay in
 * the heap until they reach the top or until {@link #removeCancelled()} compacts it.
 */
final class TimerQueue {

    /* Implementation overview: a 4-ary heap whose deadlines are kept in a long[] beside the
     * TimerHandle[], slot for slot. Sifting compares the deadlines in the array and reads a
     * handle only on a tie (for its sequence), so a pop touches about log4(n) cache lines of
     * the deadline array instead of two handles scattered over the heap per level: with a
     * million timers the binary heap of handles spent most of its time in cache misses. The
     * four children of slot k are 4k+1..4k+4, adjacent in the array. The handle keeps its own
     * deadline (when(), virtual time and schedule exploration read it); the array is a copy. */

    /** Compact only a heap with at least this many cancelled timers (and more than half). */
    private static final int MIN_CANCELLED_TO_COMPACT = 100;

    private TimerHandle[] heap = new TimerHandle[64];
    private long[] deadlines = new long[64];
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
            if (deadlines[0] > now) {
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
            deadlines = Arrays.copyOf(deadlines, size * 2);
        }
        t.queued = true;
        siftUp(size++, t, t.deadline);
    }

    TimerHandle poll() {
        TimerHandle top = heap[0];
        int last = --size;
        TimerHandle moved = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved, deadlines[last]);
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
                heap[kept] = t;
                deadlines[kept] = deadlines[i];
                kept++;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        if (size > 1) {
            for (int i = (size - 2) >> 2; i >= 0; i--) { // the last slot's parent, then up to the root
                siftDown(i, heap[i], deadlines[i]);
            }
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

    /** Whether the timer at {@code deadline} scheduled as {@code sequence} comes before slot {@code k}'s. */
    private boolean before(long deadline, long sequence, int k) {
        long d = deadlines[k];
        return deadline < d || (deadline == d && sequence < heap[k].sequence);
    }

    private void siftUp(int k, TimerHandle t, long deadline) {
        TimerHandle[] h = heap;
        long[] d = deadlines;
        long sequence = t.sequence;
        while (k > 0) {
            int parent = (k - 1) >>> 2;
            if (!before(deadline, sequence, parent)) {
                break;
            }
            h[k] = h[parent];
            d[k] = d[parent];
            k = parent;
        }
        h[k] = t;
        d[k] = deadline;
    }

    private void siftDown(int k, TimerHandle t, long deadline) {
        TimerHandle[] h = heap;
        long[] d = deadlines;
        int n = size;
        while (true) {
            int first = (k << 2) + 1;
            if (first >= n) {
                break;
            }
            // The earliest of up to four children: deadlines from the array, sequences on a tie.
            int min = first;
            long minDeadline = d[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long cd = d[c];
                if (cd < minDeadline || (cd == minDeadline && h[c].sequence < h[min].sequence)) {
                    min = c;
                    minDeadline = cd;
                }
            }
            if (minDeadline > deadline || (minDeadline == deadline && h[min].sequence > t.sequence)) {
                break;
            }
            h[k] = h[min];
            d[k] = minDeadline;
            k = min;
        }
        h[k] = t;
        d[k] = deadline;
    }
}
