package org.jasyncio;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The keys one select reported ready, handed to the ready queue a slice per loop iteration.
 *
 * <h2>How this works</h2>
 * A select under load can report hundreds of channels. Queuing all their callbacks at once
 * (asyncio's {@code _process_events}) makes each connection's work spread over two whole
 * batches: its read in one iteration, the task it wakes in the next, with every other
 * connection's reads in between, so the kernel's socket state and the task's stack have left
 * the cache by the time the task writes its reply. Here at most {@link #SLICE} keys turn into
 * handles per iteration, and the loop does not select again until all are handed out (it
 * does not block either: {@link EventLoop} treats pending keys as ready work). Holding a key
 * back is indistinguishable from the channel becoming ready a moment later, which a selector
 * never promises against.
 *
 * <p>The ready operations are read when the selector reports a key (it may report one key
 * twice in a select, each time with other operations, as kqueue does), and which handles they
 * wake is decided when the key is handed out: a reader or writer removed meanwhile does not
 * run, a channel closed meanwhile is skipped, and one added after the select that reported
 * the key waits for the next select, as in asyncio, where readiness is matched to handles
 * right after the select.
 *
 * <p>The selector fills this through its {@code Consumer} form of select, which also spares
 * the selected-key set.
 */
final class ReadyKeys implements Consumer<SelectionKey> {

    /**
     * The most keys turned into ready handles in one iteration. Measured on the echo bench
     * at 1,000 connections: 8 to 24 serve the streams server about 20% faster than handing
     * out every key at once, and the protocol server no slower; 4 is slower again.
     */
    static final int SLICE = 16;

    private SelectionKey[] keys = new SelectionKey[64];
    private int[] ops = new int[64];
    private int head;
    private int tail;
    /** How many selects have begun: the generation of the keys held here. */
    private long generation;

    /** Called right before each select: keys reported from now on belong to a new generation. */
    void beginSelect() {
        generation++;
    }

    /**
     * The current generation: a reader or writer set now is not woken by the keys of this
     * generation, only by a later select.
     */
    long generation() {
        return generation;
    }

    /** Records one key reported ready by the select in progress, with its ready operations. */
    @Override
    public void accept(SelectionKey key) {
        int ready;
        try {
            ready = key.readyOps();
        } catch (CancelledKeyException e) {
            return; // closed by another thread meanwhile: nothing to run
        }
        if (tail == keys.length) {
            keys = Arrays.copyOf(keys, tail * 2);
            ops = Arrays.copyOf(ops, tail * 2);
        }
        keys[tail] = key;
        ops[tail] = ready;
        tail++;
    }

    boolean isEmpty() {
        return head == tail;
    }

    /** Turns up to {@link #SLICE} keys into ready handles, in the order they were reported. */
    void handOut(ArrayDeque<ReadyItem> ready) {
        int end = Math.min(tail, head + SLICE);
        while (head < end) {
            int i = head++;
            SelectionKey key = keys[i];
            keys[i] = null;
            ((IoRegistration) key.attachment()).onSelected(key, ops[i], generation, ready);
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    /** Forgets every pending key (the loop is closing). */
    void clear() {
        Arrays.fill(keys, head, tail, null);
        head = 0;
        tail = 0;
    }
}
