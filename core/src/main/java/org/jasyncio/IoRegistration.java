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

    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private final SelectionKey key;
    private Handle reader;
    private Handle writer;

    IoRegistration(SelectionKey key) {
        this.key = key;
    }

    /** Sets (or with null, clears) the reader; returns the previous one. */
    Handle setReader(Handle h) {
        Handle old = reader;
        cancelReplaced(old, h);
        reader = h;
        updateInterest();
        return h == null ? old : h;
    }

    /** Sets (or with null, clears) the writer; returns the previous one. */
    Handle setWriter(Handle h) {
        Handle old = writer;
        cancelReplaced(old, h);
        writer = h;
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
        if (reader != null) {
            ops |= READ_OPS & valid;
        }
        if (writer != null) {
            ops |= WRITE_OPS & valid;
        }
        key.interestOps(ops);
    }

    /** Turns readiness into ready handles (asyncio's {@code _process_events}). */
    void onSelected(SelectionKey k, ArrayDeque<Object> ready) {
        if (!k.isValid()) {
            return;
        }
        int ops = k.readyOps();
        if ((ops & READ_OPS) != 0 && reader != null && !reader.cancelled) {
            ready.add(reader);
        }
        if ((ops & WRITE_OPS) != 0 && writer != null && !writer.cancelled) {
            ready.add(writer);
        }
    }
}
