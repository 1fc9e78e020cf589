package org.jasyncio.net;

import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.internal.Rethrow;

/**
 * What every transport in this package shares: the loop, the protocol, the closing and lost
 * flags, the {@code connectionMade}/{@code connectionLost} calls, the close/abort skeleton and
 * write flow control. asyncio's {@code _FlowControlMixin} plus the lifecycle half of
 * {@code _SelectorTransport} (and of the Unix pipe transports).
 *
 * @param <T> the transport interface the subclass implements, which its protocol receives
 * @param <P> the protocol type
 */
abstract class BaseTransport<T, P extends BaseProtocol<T>> {
    /* Implementation overview:
     * P is the protocol type: Protocol for the stream transports, DatagramProtocol for UDP;
     * the calls made here (connectionMade, connectionLost, pauseWriting, resumeWriting) are
     * those of their common BaseProtocol, and connectionMade gets self(), the transport as T.
     * close() sets closing once and hands over to startClosing();
     * abort() is forceClose(Throwable): drop what is buffered
     * (dropBuffered()), stop reading (stopReading()), and schedule
     * connectionLost. lost turns true when connectionLost is scheduled or
     * called, so it is called once; callConnectionLost(Throwable) then frees the
     * transport's resources (releaseResources()). Flow control: a subclass adds to or takes
     * from bufferSize and calls maybePauseProtocol() after adding and
     * maybeResumeProtocol() after taking; the protocol's pauseWriting runs when the
     * buffer goes over the high-water mark and resumeWriting when it falls back to the low
     * one, each once per crossing; an exception from either goes to the loop's exception handler.
     * The loop's OpenResources holds the transport from register() (once the subclass has made
     * it) to release(), after connectionLost: if the loop closes meanwhile it calls
     * closeAtLoopClose(), which frees the OS resources at once (freeAtLoopClose()) without the
     * loop or the protocol.
     */

    /** asyncio's default high-water mark: 64 KiB (the low one is a quarter). */
    static final int DEFAULT_HIGH_WATER = 64 * 1024;

    final EventLoop loop;
    P protocol;
    /** close() or a fatal error: no more reading, no more writes accepted. */
    boolean closing;
    /** connectionLost is scheduled or done. */
    boolean lost;
    /** The error that broke the connection, if one did: later writes throw it wrapped. */
    Throwable lostWith;
    /** Bytes accepted but not yet written. */
    long bufferSize;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_HIGH_WATER / 4;
    private boolean protocolPaused;

    BaseTransport(EventLoop loop, P protocol) {
        this.loop = loop;
        this.protocol = protocol;
    }

    // ------------------------------------------------------------------ the protocol

    /** This transport as the interface its protocol receives in {@code connectionMade}. */
    abstract T self();

    /** Calls the protocol's {@code connectionMade} with this transport; exceptions propagate. */
    final void callConnectionMade() {
        protocol.connectionMade(self());
    }

    /**
     * Calls the protocol's {@code connectionLost(exc)}, then {@link #releaseResources()} even if
     * it throws (the exception propagates). asyncio's {@code _call_connection_lost}.
     */
    void callConnectionLost(Throwable exc) {
        try {
            protocolConnectionLost(exc);
        } finally {
            release();
        }
    }

    /**
     * As {@link #callConnectionLost(Throwable)}, but an exception from the protocol goes to the
     * loop's exception handler instead of propagating (the pipe transports do this).
     */
    final void callConnectionLostReporting(Throwable exc) {
        try {
            protocolConnectionLost(exc);
        } catch (Throwable t) {
            reportError("Fatal error: protocol.connectionLost() call failed.", t);
        } finally {
            release();
        }
    }

    /** {@link #releaseResources()}, then the transport leaves its loop's {@link OpenResources}. */
    private void release() {
        try {
            releaseResources();
        } finally {
            OpenResources.of(loop).remove(this);
        }
    }

    /**
     * Enters the loop's {@link OpenResources}, so that closing the loop closes this transport if
     * it is still open then: each subclass calls it once the transport is made.
     */
    final void register() {
        OpenResources.of(loop).add(this);
    }

    /**
     * The loop closes with this transport still open: it is closed and lost from now on, and
     * {@link #freeAtLoopClose()} frees what it holds. Neither the protocol nor the loop is
     * called (asyncio's {@code __del__} only closes the socket).
     */
    final void closeAtLoopClose() {
        closing = true;
        lost = true;
        bufferSize = 0;
        freeAtLoopClose();
    }

    /**
     * Frees the channel, pipe or whatever the transport holds when its loop closes with it
     * open, without calling the loop (it may be closed already) and without blocking.
     */
    abstract void freeAtLoopClose();

    private void protocolConnectionLost(Throwable exc) {
        protocol.connectionLost(exc);
    }

    /** Sets {@code lost} and schedules {@link #callConnectionLost(Throwable)} with {@code callSoon}. */
    final void scheduleConnectionLost(Throwable exc) {
        lost = true;
        loop.callSoon(() -> callConnectionLost(exc));
    }

    /** Hands {@code t} (thrown by the protocol, or another fatal error) to the loop's exception handler. */
    final void reportError(String message, Throwable t) {
        loop.callExceptionHandler(new ExceptionContext(message, t, null, null, null));
    }

    // ------------------------------------------------------------------ closing

    /** asyncio's {@code close()}: idempotent; the rest is {@link #startClosing()}. */
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        startClosing();
    }

    /** What {@link #close()} does once {@code closing} is set. */
    abstract void startClosing();

    /** asyncio's {@code abort()}: {@link #forceClose(Throwable)} with no error. */
    public void abort() {
        forceClose(null);
    }

    /**
     * asyncio's {@code _force_close}: drops what is buffered, stops reading, and schedules
     * {@code connectionLost(exc)}; nothing if that is done already.
     */
    final void forceClose(Throwable exc) {
        if (lost) {
            return;
        }
        dropBuffered();
        bufferSize = 0;
        if (!closing) {
            closing = true;
            stopReading();
        }
        scheduleConnectionLost(exc);
    }

    /** Throws away the bytes not yet written (for {@link #forceClose(Throwable)}). */
    abstract void dropBuffered();

    /** Stops watching for input (for {@link #forceClose(Throwable)}); nothing by default. */
    void stopReading() {
    }

    /** Frees the channel or whatever the transport holds, after {@code connectionLost}; nothing by default. */
    void releaseResources() {
    }

    /** asyncio's {@code is_closing()}. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Throws {@link ConnectionResetException} (unchanged, undeclared) if an error broke the
     * connection: what {@code write} does then.
     */
    final void throwIfBroken() {
        if (lostWith != null) {
            throw Rethrow.unchecked(new ConnectionResetException("Connection lost: " + lostWith, lostWith));
        }
    }

    /** "open", "closing" or "closed", for {@code toString}. */
    final String state() {
        return lost ? "closed" : closing ? "closing" : "open";
    }

    // ------------------------------------------------------------------ flow control

    /** Whether the protocol was told to pause writing and not yet to resume. */
    final boolean writingPaused() {
        return protocolPaused;
    }

    /** Tells the protocol to pause writing if the buffer went over the high-water mark. */
    final void maybePauseProtocol() {
        if (!protocolPaused && bufferSize > highWater) {
            protocolPaused = true;
            callWritingControl(true);
        }
    }

    /** Tells the protocol to resume writing if it is paused and the buffer fell to the low-water mark. */
    final void maybeResumeProtocol() {
        if (protocolPaused && bufferSize <= lowWater) {
            protocolPaused = false;
            callWritingControl(false);
        }
    }

    /** Calls the protocol's pauseWriting or resumeWriting; an exception goes to the loop's handler. */
    private void callWritingControl(boolean pause) {
        try {
            if (pause) {
                protocol.pauseWriting();
            } else {
                protocol.resumeWriting();
            }
        } catch (Throwable t) {
            reportError(pause ? "protocol.pauseWriting() failed" : "protocol.resumeWriting() failed", t);
        }
    }

    /** asyncio's {@code set_write_buffer_limits(high, low)}; may pause the protocol at once. */
    public void setWriteBufferLimits(int high, int low) {
        if (high < 0 || low < 0 || low > high) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
    }

    /** asyncio's {@code get_write_buffer_limits()}: {@code {low, high}}. */
    public int[] getWriteBufferLimits() {
        return new int[] {lowWater, highWater};
    }

    /** asyncio's {@code get_write_buffer_size()}. */
    public long getWriteBufferSize() {
        return bufferSize;
    }

    // ------------------------------------------------------------------ the protocol, by name

    /** asyncio's {@code get_protocol()}. */
    public P getProtocol() {
        return protocol;
    }

    /** asyncio's {@code set_protocol(protocol)}. */
    public void setProtocol(P protocol) {
        if (protocol == null) {
            throw new NullPointerException("protocol");
        }
        this.protocol = protocol;
    }
}
