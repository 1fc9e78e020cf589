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
     * 4k+1..4k+4, their eight longs adjacent. Timers due after the horizon wait unsorted in the
     * far list, in the order they were queued, each beside its deadline. Every heap timer is
     * due before every far timer, so the heap's top is the earliest timer. When the heap runs
     * empty, refill() scans the far list once for its earliest and latest deadline, sets the
     * horizon a 32nd of that spread past the earliest, and moves the timers up to it into the
     * heap (the earliest at least). With a million timers spread over a second the heap holds
     * tens of thousands and stays in cache: a binary heap of all the handles spent most of a
     * pop in cache misses, two objects scattered over the heap per level.
     *
     * The far list is chunked: fixed blocks of FAR_CHUNK entries that are never copied, so a
     * million add()s allocate small arrays from the thread's allocation buffer instead of
     * doubling one array into ever larger ones (a cold process paid about 200 ms zeroing and
     * copying those for a million timers). A refill leaves a hole (a null entry) where it took
     * a timer, and closes the holes, keeping the order, once they outnumber the timers left.
     *
     * The order is exact: (deadline, sequence). A far timer draws its sequence when a refill
     * moves it into the heap, in far-list order, which is the order the timers were queued: the
     * heap is empty at a refill, and a timer goes straight into the heap only when its deadline
     * is within the horizon, after the refill that moved every earlier far timer up to it. So
     * the far list needs no sequence beside its deadlines. An entry keeps its own deadline too
     * (when(), virtual time and schedule exploration read it after it left the queue).
     * Cancelled timers are counted over both levels and dropped when they reach the top or
     * when removeCancelled compacts both. */

    /** Compact only a heap with at least this many cancelled timers (and more than half). */
    private static final int MIN_CANCELLED_TO_COMPACT = 100;

    /** Slices of the far list's deadline spread that one refill moves into the heap. */
    private static final int REFILL_SLICES = 32;

    /** Entries per far-list chunk: a power of two, its arrays well below G1's humongous size. */
    private static final int FAR_CHUNK_SHIFT = 12;
    private static final int FAR_CHUNK = 1 << FAR_CHUNK_SHIFT;
    private static final int FAR_CHUNK_MASK = FAR_CHUNK - 1;

    private ReadyItem[] heap = new ReadyItem[64];
    /** Heap slot k's deadline at 2k, its scheduling sequence at 2k + 1. */
    private long[] keys = new long[128];
    /** Timers in the heap. */
    private int size;
    /** Every heap timer is due at or before this; every far timer after it. */
    private long horizon = Long.MIN_VALUE;
    /** The far list's chunks: entry i is farItems[i >> FAR_CHUNK_SHIFT][i & FAR_CHUNK_MASK]. */
    private ReadyItem[][] farItems = new ReadyItem[4][];
    /** Each far entry's deadline, chunked alike. */
    private long[][] farDeadlines = new long[4][];
    /** Far entries in use, holes included. */
    private int farEnd;
    /** Far entries that are holes (a timer a refill took). */
    private int farHoles;
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
        if (cancelled > MIN_CANCELLED_TO_COMPACT && cancelled * 2 > size()) {
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
        return size + farEnd - farHoles;
    }

    boolean isEmpty() {
        return size() == 0;
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
     * the earliest (that one included) into the heap, in the order they were queued, and moves
     * the horizon there; false if the far list is empty.
     */
    private boolean refill() {
        int end = farEnd;
        if (end == farHoles) {
            return false;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int c = 0; c << FAR_CHUNK_SHIFT < end; c++) {
            ReadyItem[] items = farItems[c];
            long[] deadlines = farDeadlines[c];
            int n = Math.min(FAR_CHUNK, end - (c << FAR_CHUNK_SHIFT));
            for (int i = 0; i < n; i++) {
                if (items[i] != null) {
                    long d = deadlines[i];
                    min = Math.min(min, d);
                    max = Math.max(max, d);
                }
            }
        }
        // Halved before subtracting, so that a spread over the clock's whole range cannot
        // overflow; min + slice stays within [min, max], and the earliest timer always moves.
        long slice = (max / 2 - min / 2) / (REFILL_SLICES / 2);
        long limit = min + slice;
        horizon = limit;
        int taken = 0;
        for (int c = 0; c << FAR_CHUNK_SHIFT < end; c++) {
            ReadyItem[] items = farItems[c];
            long[] deadlines = farDeadlines[c];
            int n = Math.min(FAR_CHUNK, end - (c << FAR_CHUNK_SHIFT));
            for (int i = 0; i < n; i++) {
                ReadyItem t = items[i];
                if (t != null && deadlines[i] <= limit) {
                    pushHeap(t, deadlines[i], nextSequence++);
                    items[i] = null;
                    taken++;
                }
            }
        }
        farHoles += taken;
        if (farHoles > end - farHoles) {
            compactFar(false);
        }
        return true;
    }

    /**
     * Closes the far list's holes, keeping its order, and drops its cancelled timers too if
     * {@code dropCancelled}; frees the chunks it no longer needs but one.
     */
    private void compactFar(boolean dropCancelled) {
        int end = farEnd;
        int kept = 0;
        for (int r = 0; r < end; r++) {
            ReadyItem t = farItems[r >> FAR_CHUNK_SHIFT][r & FAR_CHUNK_MASK];
            if (t == null) {
                continue;
            }
            if (dropCancelled && isCancelled(t)) {
                setQueued(t, false);
                continue;
            }
            if (kept != r) {
                farItems[kept >> FAR_CHUNK_SHIFT][kept & FAR_CHUNK_MASK] = t;
                farDeadlines[kept >> FAR_CHUNK_SHIFT][kept & FAR_CHUNK_MASK] =
                        farDeadlines[r >> FAR_CHUNK_SHIFT][r & FAR_CHUNK_MASK];
            }
            kept++;
        }
        for (int i = kept; i < end; i++) {
            farItems[i >> FAR_CHUNK_SHIFT][i & FAR_CHUNK_MASK] = null;
        }
        for (int c = (kept >> FAR_CHUNK_SHIFT) + 2; c < farItems.length; c++) {
            farItems[c] = null;
            farDeadlines[c] = null;
        }
        farEnd = kept;
        farHoles = 0;
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
        if (deadline <= horizon) {
            pushHeap(t, deadline, nextSequence++);
            return;
        }
        int i = farEnd;
        int c = i >> FAR_CHUNK_SHIFT;
        if ((i & FAR_CHUNK_MASK) == 0) {
            addFarChunk(c);
        }
        farItems[c][i & FAR_CHUNK_MASK] = t;
        farDeadlines[c][i & FAR_CHUNK_MASK] = deadline;
        farEnd = i + 1;
    }

    /** Makes sure far chunk {@code c} exists (one freed by a compaction may be reused). */
    private void addFarChunk(int c) {
        if (c == farItems.length) {
            farItems = Arrays.copyOf(farItems, c * 2);
            farDeadlines = Arrays.copyOf(farDeadlines, c * 2);
        }
        if (farItems[c] == null) {
            farItems[c] = new ReadyItem[FAR_CHUNK];
            farDeadlines[c] = new long[FAR_CHUNK];
        }
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
        compactFar(true);
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
        for (int i = 0; i < farEnd; i++) {
            ReadyItem t = farItems[i >> FAR_CHUNK_SHIFT][i & FAR_CHUNK_MASK];
            if (t != null) {
                setQueued(t, false);
            }
        }
        farItems = new ReadyItem[4][];
        farDeadlines = new long[4][];
        size = 0;
        farEnd = 0;
        farHoles = 0;
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
