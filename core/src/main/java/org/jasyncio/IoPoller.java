package org.jasyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The loop's I/O half: one {@link Selector}, the reader and writer callbacks registered on its
 * channels, and the wake-up that lets another thread interrupt a blocking select. asyncio's
 * {@code selector_events.BaseSelectorEventLoop} with its {@code _selector},
 * {@code _add_reader}/{@code _remove_reader} and {@code _write_to_self}.
 */
final class IoPoller {

    /*
     * Implementation overview.
     *
     * poll() is step 2 of an iteration. Ready keys reach ReadyKeys through the selector's
     * Consumer form and are handed to the ready queue at most ReadyKeys.SLICE at a time; while
     * some wait, the loop neither selects nor blocks. While callbacks are ready (timeout 0),
     * the selectNow syscall is batched: at least every POLL_EVERY_ITERATIONS iterations and
     * every POLL_EVERY_NANOS, and never when no channel is registered. Before blocking, the
     * loop arms wakeupArmed; another thread calls selector.wakeup() only while it is armed,
     * so a busy loop pays nothing for cross-thread calls. A thread that queued work just
     * before the flag was set did not wake us, hence the inbox check before blocking.
     */

    /** Poll I/O at least every this many busy iterations. */
    static final int POLL_EVERY_ITERATIONS = 64;
    /** Poll I/O at least this often (ns) while callbacks are ready. */
    static final long POLL_EVERY_NANOS = 100_000;

    private final EventLoop loop;
    private final Selector selector;
    private final ReadyKeys readyKeys = new ReadyKeys();
    /** True while the loop may block in select: only then must another thread wake it. */
    private final AtomicBoolean wakeupArmed = new AtomicBoolean();
    private int iterationsSincePoll;
    private long lastPollNanos;
    /** Selects that could block; each replaces the thread's interruptible-I/O blocker (InterruptWatch). */
    private long blockingSelects;

    IoPoller(EventLoop loop) {
        this.loop = loop;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the event loop", e);
        }
    }

    /** Whether selected channels still wait to be handed out (the loop must not block). */
    boolean hasPendingKeys() {
        return !readyKeys.isEmpty();
    }

    /**
     * Hands ready I/O callbacks to {@code ready}, waiting up to {@code timeoutNanos} (0: do
     * not wait, negative: wait until something happens) when there is nothing to do. Work
     * another thread put in {@code inbox} ends the wait.
     */
    void poll(long timeoutNanos, ArrayDeque<ReadyItem> ready, Inbox inbox) {
        if (!readyKeys.isEmpty()) {
            readyKeys.handOut(ready);
        } else if (timeoutNanos == 0) {
            if (!selector.keys().isEmpty()) {
                long now = System.nanoTime();
                if (++iterationsSincePoll >= POLL_EVERY_ITERATIONS || now - lastPollNanos >= POLL_EVERY_NANOS) {
                    select(0, ready);
                }
            }
        } else {
            wakeupArmed.set(true);
            // Checked after arming, so work handed over meanwhile is never slept through.
            boolean idle = inbox.isEmpty() && (loop.explorer == null || !loop.explorer.holdsJobs());
            select(idle ? timeoutNanos : 0, ready);
            wakeupArmed.set(false);
        }
    }

    /** Whether no channel is watched for any operation (a blocking select could only end by a wake-up). */
    boolean watchesNothing() {
        for (java.nio.channels.SelectionKey key : selector.keys()) {
            if (key.isValid() && key.interestOps() != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@return how many selects that could block this poller has made} */
    long blockingSelects() {
        return blockingSelects;
    }

    /** Selects without waiting, now, if any channel is registered (no batching). */
    void selectNow(ArrayDeque<ReadyItem> ready) {
        if (!selector.keys().isEmpty()) {
            select(0, ready);
        }
    }

    private void select(long timeoutNanos, ArrayDeque<ReadyItem> ready) {
        iterationsSincePoll = 0;
        readyKeys.beginSelect();
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(readyKeys);
            } else {
                blockingSelects++;
                if (timeoutNanos < 0) {
                    selector.select(readyKeys);
                } else {
                    // Round up: waking before the deadline would spin until it passes.
                    selector.select(readyKeys, Deadlines.ceilMillis(timeoutNanos));
                }
            }
        } catch (IOException e) {
            loop.callExceptionHandler(ExceptionContext.of("selector failed", e));
            return;
        }
        lastPollNanos = System.nanoTime();
        readyKeys.handOut(ready);
    }

    /** Wakes a blocking select, if the loop is in one or about to be; any thread. */
    void wakeup() {
        if (wakeupArmed.get() && wakeupArmed.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /**
     * Sets the reader or writer ({@code slot}) of {@code channel} to {@code handle}, or removes
     * it when {@code handle} is null, registering the channel (non-blocking) on first use.
     *
     * @return the new handle; when removing, the handle removed (null if there was none)
     */
    Handle set(SelectableChannel channel, int slot, Handle handle) {
        IoRegistration r = existing(channel);
        if (r == null) {
            if (handle == null) {
                return null;
            }
            r = register(channel);
        }
        return r.set(slot, handle, readyKeys.generation());
    }

    private IoRegistration existing(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key == null || !key.isValid() ? null : (IoRegistration) key.attachment();
    }

    private IoRegistration register(SelectableChannel channel) {
        try {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            IoRegistration r = new IoRegistration(key);
            key.attach(r);
            return r;
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("cannot watch a closed channel", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the keys waiting to be handed out and closes the selector. */
    void close() {
        readyKeys.clear();
        try {
            selector.close();
        } catch (IOException e) {
            System.getLogger("org.jasyncio").log(System.Logger.Level.DEBUG, "closing the selector failed", e);
        }
    }
}
