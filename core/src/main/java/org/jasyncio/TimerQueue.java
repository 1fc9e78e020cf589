package org.jasyncio;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The loop's min-heap of timers, ordered by deadline and then by scheduling order, so that
 * timers with equal deadlines fire in the order they were scheduled. A timer is a
 * {@link TimerHandle} ({@code callLater}, {@code callAt}) or a sleeping task's
 * {@link Sleep.SleepFuture}, which is its own timer. Cancelled timers stay in the heap until
 * they reach the top or until {@link #removeCancelled()} compacts it.
 */
final class TimerQueue {

    /* Implementation overview: a 4-ary heap whose deadlines and scheduling sequences are kept
     * in long[]s beside the entries, slot for slot. Sifting compares the arrays and never reads
     * an entry, so a pop touches about log4(n) cache lines of the deadline array instead of two
     * objects scattered over the heap per level: with a million timers the binary heap of
     * handles spent most of its time in cache misses. The four children of slot k are
     * 4k+1..4k+4, adjacent in the array. The sequence counter lives here: add() draws the next
     * one, so no timer object carries it. An entry keeps its own deadline too (when(), virtual
     * time and schedule exploration read it after it left the heap). Once past half a region,
     * the arrays are humongous objects that the young collections never copy. */

    /** Compact only a heap with at least this many cancelled timers (and more than half). */
    private static final int MIN_CANCELLED_TO_COMPACT = 100;

    private ReadyItem[] heap = new ReadyItem[64];
    private long[] deadlines = new long[64];
    private long[] sequences = new long[64];
    private int size;
    private int cancelled;
    private long nextSequence;

    /** A queued timer was cancelled: it stays in the heap until dropped or compacted. */
    void cancelledOne() {
        cancelled++;
    }

    /** Whether {@code item} is a timer: a {@link TimerHandle} or a {@link Sleep.SleepFuture}. */
    static boolean isTimer(ReadyItem item) {
        return item instanceof TimerHandle || item instanceof Sleep.SleepFuture;
    }

    /** The deadline of {@code timer}, a {@link TimerHandle} or a {@link Sleep.SleepFuture}. */
    static long deadlineOf(ReadyItem timer) {
        return timer instanceof TimerHandle t ? t.deadline : ((Sleep.SleepFuture) timer).deadline;
    }

    private static boolean isCancelled(ReadyItem timer) {
        return timer instanceof TimerHandle t ? t.cancelled : ((Sleep.SleepFuture) timer).timerCancelled;
    }

    private static void setQueued(ReadyItem timer, boolean queued) {
        if (timer instanceof TimerHandle t) {
            t.queued = queued;
        } else {
            ((Sleep.SleepFuture) timer).queued = queued;
        }
    }

    /**
     * Moves the timers due at {@code now} (nanoTime) to {@code ready}, in deadline and then
     * scheduling order; cancelled timers met on the way are dropped, and the heap is compacted
     * first when cancelled timers make up more than half of it.
     */
    void moveDue(long now, ArrayDeque<ReadyItem> ready) {
        if (size == 0) {
            return;
        }
        if (cancelled > MIN_CANCELLED_TO_COMPACT && cancelled * 2 > size) {
            removeCancelled();
            cancelled = 0;
        }
        while (size > 0) {
            ReadyItem t = heap[0];
            if (isCancelled(t)) {
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

    /** The earliest deadline in the heap (a cancelled timer's included); the heap is not empty. */
    long firstDeadline() {
        return deadlines[0];
    }

    /** Queues {@code t}, after every timer queued before it with the same deadline. */
    void add(TimerHandle t) {
        push(t, t.deadline);
    }

    /** Queues a sleep's timer, due at its deadline. */
    void add(Sleep.SleepFuture sleep) {
        push(sleep, sleep.deadline);
    }

    private void push(ReadyItem t, long deadline) {
        if (size == heap.length) {
            int capacity = size * 2;
            heap = Arrays.copyOf(heap, capacity);
            deadlines = Arrays.copyOf(deadlines, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
        }
        setQueued(t, true);
        siftUp(size++, t, deadline, nextSequence++);
    }

    /** Removes and returns the first timer. */
    ReadyItem poll() {
        ReadyItem top = heap[0];
        int last = --size;
        ReadyItem moved = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved, deadlines[last], sequences[last]);
        }
        setQueued(top, false);
        return top;
    }

    /** Drops every cancelled timer and restores the heap order, in linear time. */
    void removeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            ReadyItem t = heap[i];
            if (isCancelled(t)) {
                setQueued(t, false);
            } else {
                heap[kept] = t;
                deadlines[kept] = deadlines[i];
                sequences[kept] = sequences[i];
                kept++;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        if (size > 1) {
            for (int i = (size - 2) >> 2; i >= 0; i--) { // the last slot's parent, then up to the root
                siftDown(i, heap[i], deadlines[i], sequences[i]);
            }
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            setQueued(heap[i], false);
            heap[i] = null;
        }
        size = 0;
        cancelled = 0;
    }

    private void siftUp(int k, ReadyItem t, long deadline, long sequence) {
        ReadyItem[] h = heap;
        long[] d = deadlines;
        long[] s = sequences;
        while (k > 0) {
            int parent = (k - 1) >>> 2;
            long pd = d[parent];
            if (deadline > pd || (deadline == pd && sequence > s[parent])) {
                break;
            }
            h[k] = h[parent];
            d[k] = pd;
            s[k] = s[parent];
            k = parent;
        }
        h[k] = t;
        d[k] = deadline;
        s[k] = sequence;
    }

    private void siftDown(int k, ReadyItem t, long deadline, long sequence) {
        ReadyItem[] h = heap;
        long[] d = deadlines;
        long[] s = sequences;
        int n = size;
        while (true) {
            int first = (k << 2) + 1;
            if (first >= n) {
                break;
            }
            // The earliest of up to four children.
            int min = first;
            long minDeadline = d[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long cd = d[c];
                if (cd < minDeadline || (cd == minDeadline && s[c] < s[min])) {
                    min = c;
                    minDeadline = cd;
                }
            }
            if (minDeadline > deadline || (minDeadline == deadline && s[min] > sequence)) {
                break;
            }
            h[k] = h[min];
            d[k] = minDeadline;
            s[k] = s[min];
            k = min;
        }
        h[k] = t;
        d[k] = deadline;
        s[k] = sequence;
    }
}
