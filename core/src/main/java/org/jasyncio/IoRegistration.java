package org.jasyncio;

import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;

/**
 * A channel's reader and writer callbacks on one loop, attached to its {@link SelectionKey}.
 * The interest set always mirrors which of the two are present. The key itself stays until
 * the channel is closed (closing cancels it): cancelling it here would make a later
 * re-registration fail until the next select had flushed it.
 */
final class IoRegistration {

    static final int READ = 0;
    static final int WRITE = 1;

    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private final SelectionKey key;
    /** The reader handle at {@link #READ}, the writer at {@link #WRITE}; null when absent. */
    private final Handle[] handles = new Handle[2];
    /** The select generation ({@link ReadyKeys#generation()}) in which each handle was set. */
    private final long[] setIn = new long[2];

    IoRegistration(SelectionKey key) {
        this.key = key;
    }

    /**
     * Sets (or with null, clears) the reader or writer, in select generation
     * {@code generation}; returns the new handle, or on clearing the one removed (null if
     * there was none).
     */
    Handle set(int slot, Handle h, long generation) {
        Handle old = handles[slot];
        cancelReplaced(old, h);
        handles[slot] = h;
        setIn[slot] = generation;
        updateInterest();
        return h == null ? old : h;
    }

    /**
     * A removed or replaced callback may already sit in this iteration's ready queue: cancel
     * it so it does not run once more (asyncio's remove_reader cancels the handle too).
     */
    private static void cancelReplaced(Handle old, Handle replacement) {
        if (old != null && old != replacement) {
            old.cancel();
        }
    }

    private void updateInterest() {
        if (!key.isValid()) {
            return;
        }
        int valid = key.channel().validOps();
        int ops = 0;
        if (handles[READ] != null) {
            ops |= READ_OPS & valid;
        }
        if (handles[WRITE] != null) {
            ops |= WRITE_OPS & valid;
        }
        key.interestOps(ops);
    }

    /**
     * Turns the ready operations {@code ops} a select of {@code generation} reported into
     * ready handles (asyncio's {@code _process_events}): a handle set after that select began
     * waits for the next one.
     */
    void onSelected(SelectionKey k, int ops, long generation, ArrayDeque<ReadyItem> ready) {
        if (!k.isValid()) {
            return;
        }
        Handle reader = handles[READ];
        if ((ops & READ_OPS) != 0 && reader != null && !reader.cancelled && setIn[READ] < generation) {
            ready.add(reader);
        }
        Handle writer = handles[WRITE];
        if ((ops & WRITE_OPS) != 0 && writer != null && !writer.cancelled && setIn[WRITE] < generation) {
            ready.add(writer);
        }
    }
}
