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

    /* Implementation overview: two levels. Timers due before the horizon sit in a 4-ary heap
     * whose keys, each slot's deadline and scheduling sequence, are kept interleaved in one
     * long[] beside the entries (keys[2k] the deadline, keys[2k+1] the sequence of slot k), so
     * that sifting compares the keys and never reads an entry; the four children of slot k are
     * 4k+1..4k+4, their eight longs adjacent. Timers due at or after the horizon wait unsorted
     * in the far list (appended in O(1), keys beside them the same way). Every heap timer is
     * due before every far timer, so the heap's top is the earliest timer. When the heap runs
     * empty, refill() scans the far list once for its earliest and latest deadline, sets the
     * horizon a 32nd of that spread past the earliest, and moves the timers up to it into the
     * heap (the earliest at least). With a million timers spread over a second the heap holds tens of thousands and
     * stays in cache: a binary heap of all the handles spent most of a pop in cache misses,
     * two objects scattered over the heap per level. The order is exact: (deadline, sequence)
     * in both levels. The sequence counter lives here: add() draws the next one, so no timer
     * object carries it. An entry keeps its own deadline too (when(), virtual time and
     * schedule exploration read it after it left the queue). Cancelled timers are counted over
     * both levels and dropped when they reach the top or when removeCancelled compacts both. */

    /** Compact only a heap with at least this many cancelled timers (and more than half). */
    private static final int MIN_CANCELLED_TO_COMPACT = 100;

    /** Slices of the far list's deadline spread that one refill moves into the heap. */
    private static final int REFILL_SLICES = 32;

    private ReadyItem[] heap = new ReadyItem[64];
    /** Heap slot k's deadline at 2k, its scheduling sequence at 2k + 1. */
    private long[] keys = new long[128];
    /** Timers in the heap. */
    private int size;
    /** Every heap timer is due at or before this; every far timer after it. */
    private long horizon = Long.MIN_VALUE;
    private ReadyItem[] far = new ReadyItem[64];
    /** Far slot k's deadline at 2k, its scheduling sequence at 2k + 1. */
    private long[] farKeys = new long[128];
    private int farSize;
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
        if (size == 0 && !refill()) {
            return;
        }
        if (cancelled > MIN_CANCELLED_TO_COMPACT && cancelled * 2 > size + farSize) {
            removeCancelled();
            cancelled = 0;
        }
        while (size > 0 || refill()) {
            ReadyItem t = heap[0];
            if (isCancelled(t)) {
                poll();
                cancelled--;
                continue;
            }
            if (keys[0] > now) {
                break;
            }
            poll();
            ready.add(t);
        }
    }

    int size() {
        return size + farSize;
    }

    boolean isEmpty() {
        return size + farSize == 0;
    }

    /** The earliest deadline queued (a cancelled timer's included); the queue is not empty. */
    long firstDeadline() {
        if (size == 0) {
            refill();
        }
        return keys[0];
    }

    /**
     * Moves the far timers due within a {@link #REFILL_SLICES}th of their deadline spread past
     * the earliest (that one included) into the heap, and moves the horizon there; false if the
     * far list is empty.
     */
    private boolean refill() {
        int n = farSize;
        if (n == 0) {
            return false;
        }
        long[] fk = farKeys;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long d = fk[2 * i];
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // Halved before subtracting, so that a spread over the clock's whole range cannot
        // overflow; min + slice stays within [min, max], and the earliest timer always moves.
        long slice = (max / 2 - min / 2) / (REFILL_SLICES / 2);
        long limit = min + slice;
        horizon = limit;
        ReadyItem[] f = far;
        int i = 0;
        while (i < n) {
            long d = fk[2 * i];
            if (d <= limit) {
                pushHeap(f[i], d, fk[2 * i + 1]);
                n--;
                f[i] = f[n];
                fk[2 * i] = fk[2 * n];
                fk[2 * i + 1] = fk[2 * n + 1];
                f[n] = null;
            } else {
                i++;
            }
        }
        farSize = n;
        return true;
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
        setQueued(t, true);
        long sequence = nextSequence++;
        if (deadline <= horizon) {
            pushHeap(t, deadline, sequence);
            return;
        }
        int n = farSize;
        if (n == far.length) {
            far = Arrays.copyOf(far, n * 2);
            farKeys = Arrays.copyOf(farKeys, n * 4);
        }
        far[n] = t;
        farKeys[2 * n] = deadline;
        farKeys[2 * n + 1] = sequence;
        farSize = n + 1;
    }

    private void pushHeap(ReadyItem t, long deadline, long sequence) {
        if (size == heap.length) {
            int capacity = size * 2;
            heap = Arrays.copyOf(heap, capacity);
            keys = Arrays.copyOf(keys, capacity * 2);
        }
        siftUp(size++, t, deadline, sequence);
    }

    /** Removes and returns the first timer of the heap, which is not empty. */
    private ReadyItem poll() {
        ReadyItem top = heap[0];
        int last = --size;
        ReadyItem moved = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved, keys[2 * last], keys[2 * last + 1]);
        }
        setQueued(top, false);
        return top;
    }

    /** Drops every cancelled timer and restores the heap order, in linear time. */
    void removeCancelled() {
        int farKept = 0;
        for (int i = 0; i < farSize; i++) {
            ReadyItem t = far[i];
            if (isCancelled(t)) {
                setQueued(t, false);
            } else {
                far[farKept] = t;
                farKeys[2 * farKept] = farKeys[2 * i];
                farKeys[2 * farKept + 1] = farKeys[2 * i + 1];
                farKept++;
            }
        }
        Arrays.fill(far, farKept, farSize, null);
        farSize = farKept;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            ReadyItem t = heap[i];
            if (isCancelled(t)) {
                setQueued(t, false);
            } else {
                heap[kept] = t;
                keys[2 * kept] = keys[2 * i];
                keys[2 * kept + 1] = keys[2 * i + 1];
                kept++;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        if (size > 1) {
            for (int i = (size - 2) >> 2; i >= 0; i--) { // the last slot's parent, then up to the root
                siftDown(i, heap[i], keys[2 * i], keys[2 * i + 1]);
            }
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            setQueued(heap[i], false);
            heap[i] = null;
        }
        for (int i = 0; i < farSize; i++) {
            setQueued(far[i], false);
            far[i] = null;
        }
        size = 0;
        farSize = 0;
        cancelled = 0;
    }

    private void siftUp(int k, ReadyItem t, long deadline, long sequence) {
        ReadyItem[] h = heap;
        long[] key = keys;
        while (k > 0) {
            int parent = (k - 1) >>> 2;
            long pd = key[2 * parent];
            if (deadline > pd || (deadline == pd && sequence > key[2 * parent + 1])) {
                break;
            }
            h[k] = h[parent];
            key[2 * k] = pd;
            key[2 * k + 1] = key[2 * parent + 1];
            k = parent;
        }
        h[k] = t;
        key[2 * k] = deadline;
        key[2 * k + 1] = sequence;
    }

    private void siftDown(int k, ReadyItem t, long deadline, long sequence) {
        ReadyItem[] h = heap;
        long[] key = keys;
        int n = size;
        while (true) {
            int first = (k << 2) + 1;
            if (first >= n) {
                break;
            }
            // The earliest of up to four children.
            int min = first;
            long minDeadline = key[2 * first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long cd = key[2 * c];
                if (cd < minDeadline || (cd == minDeadline && key[2 * c + 1] < key[2 * min + 1])) {
                    min = c;
                    minDeadline = cd;
                }
            }
            long minSequence = key[2 * min + 1];
            if (minDeadline > deadline || (minDeadline == deadline && minSequence > sequence)) {
                break;
            }
            h[k] = h[min];
            key[2 * k] = minDeadline;
            key[2 * k + 1] = minSequence;
            k = min;
        }
        h[k] = t;
        key[2 * k] = deadline;
        key[2 * k + 1] = sequence;
    }
}
