package org.jasyncio.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jasyncio.EventLoop;

/**
 * The read end of a child process's pipe (its stdout or stderr) as a {@link Transport}:
 * asyncio's {@code _UnixReadPipeTransport}. It calls {@code dataReceived} with what the child
 * writes, then {@code eofReceived} and {@code connectionLost(null)} when the pipe ends. A read
 * error is fatal, as in asyncio: it goes to the loop's exception handler ("Fatal read error on
 * pipe transport"; not an "Input/output error", asyncio's EIO, which a closed pty gives) and
 * then to {@code connectionLost(error)}, without {@code eofReceived}. It cannot be written: the
 * writing methods throw {@link UnsupportedOperationException}.
 */
final class PipeReadTransport extends BaseTransport<Transport, Protocol> implements Transport {
    /* Implementation overview:
     * A java.lang.Process pipe can only be read by blocking, so a
     * virtual thread (the pump) reads it in chunks of up to CHUNK bytes and hands each
     * chunk to the loop with callSoonThreadsafe. Flow control maps asyncio's
     * pause_reading onto the pump: the pump needs a credit to read a chunk (there are
     * CHUNKS_IN_FLIGHT); the loop gives the credit back once the chunk is delivered,
     * unless reading is paused, in which case it keeps it until resumeReading(). So at
     * most CHUNKS_IN_FLIGHT chunk(s) arrive after the protocol pauses reading, the
     * child then blocks writing into the full pipe, and neither the loop nor memory suffers. The
     * pump quits at end of file, when the transport is closed, or when the loop closes. An
     * IOException while reading is the stream's failure (readFailed on the loop: reported, then
     * connectionLost(exc)) unless the transport closed the stream under the read itself (stopped
     * is set then). Nothing else closes a child's pipe under the pump: Subprocess stops children
     * through their ProcessHandle, which leaves the pipes to end at EOF, not through
     * Process.destroy(), which closes them.
     *
     * state     | paused | closing | meaning
     * reading   | false  | false   | each delivered chunk gives its credit back to the pump
     * paused    | true   | false   | delivered chunks keep their credit until resumeReading()
     * closed    | -      | true    | end of file, or close(): nothing more is delivered; connectionLost follows
     */

    /** The most bytes the pump reads at once. */
    static final int CHUNK = 64 * 1024;
    /** How many chunks the pump may read ahead of the protocol pausing it. */
    static final int CHUNKS_IN_FLIGHT = 1;

    private final InputStream in;
    private final Semaphore credits = new Semaphore(CHUNKS_IN_FLIGHT);
    /** Credits kept back while reading is paused. */
    private int heldCredits;
    private boolean paused;
    private volatile boolean stopped;
    private long delivered;

    private PipeReadTransport(EventLoop loop, InputStream in, Protocol protocol) {
        super(loop, protocol);
        this.in = in;
    }

    /**
     * Connects {@code protocol} to {@code in} (its {@code connectionMade} runs now, so the caller
     * must be on the loop) and starts reading. asyncio's {@code connect_read_pipe}.
     *
     * @param loop     the loop that runs the protocol
     * @param in       the pipe to read; the transport closes it
     * @param protocol the protocol to feed
     * @param name     the pump thread's name
     * @return the transport
     */
    static PipeReadTransport open(EventLoop loop, InputStream in, Protocol protocol, String name) {
        PipeReadTransport t = new PipeReadTransport(loop, in, protocol);
        t.callConnectionMade();
        Thread.ofVirtual().name(name).start(t::pump);
        t.register();
        return t;
    }

    // ------------------------------------------------------------------ the pump (its own thread)

    private void pump() {
        byte[] chunk = new byte[CHUNK];
        try {
            while (true) {
                while (!credits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (stopped || loop.isClosed()) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    loop.callSoonThreadsafe(this::eofReached);
                    return;
                }
                byte[] data = Arrays.copyOf(chunk, n);
                loop.callSoonThreadsafe(() -> received(data));
            }
        } catch (IOException e) {
            if (stopped) {
                return; // close() closed the stream under the read: not an error
            }
            try {
                loop.callSoonThreadsafe(() -> readFailed(e));
            } catch (IllegalStateException loopClosed) {
                // nobody reads any more
            }
        } catch (InterruptedException | IllegalStateException e) {
            // Interrupted, or the loop closed: nobody reads any more.
        } finally {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // a pipe fails to close only when it is gone already
        }
    }

    // ------------------------------------------------------------------ the loop side

    private void received(byte[] data) {
        if (closing) {
            return; // closed by the user: what was still in flight is dropped, as asyncio does
        }
        delivered += data.length;
        try {
            protocol.dataReceived(data);
        } catch (Throwable t) {
            reportError("Fatal error: protocol.dataReceived() call failed.", t);
            close();
            return;
        }
        if (paused) {
            heldCredits++;
        } else {
            credits.release();
        }
    }

    private void eofReached() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            protocol.eofReceived(); // a pipe is done at its end whatever the protocol answers
        } catch (Throwable t) {
            reportError("Fatal error: protocol.eofReceived() call failed.", t);
        }
        scheduleConnectionLost(null);
    }

    /**
     * asyncio's {@code _fatal_error(exc, 'Fatal read error on pipe transport')}: reports the
     * error (but not EIO, as asyncio) and closes with it, so {@code connectionLost(e)} follows;
     * {@code eofReceived} is not called.
     */
    private void readFailed(IOException e) {
        if (closing) {
            return;
        }
        if (!"Input/output error".equals(e.getMessage())) {
            reportError("Fatal read error on pipe transport", e);
        }
        closing = true;
        stopped = true;
        scheduleConnectionLost(e);
    }

    /** A pipe reports an exception from {@code connectionLost} to the loop's exception handler. */
    @Override
    void callConnectionLost(Throwable e) {
        callConnectionLostReporting(e);
    }

    /**
     * Bytes handed to the protocol so far (while nobody reads, what the protocol buffers).
     *
     * @return the count
     */
    long delivered() {
        return delivered;
    }

    @Override
    public void pauseReading() {
        if (closing || paused) {
            return;
        }
        paused = true;
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        if (heldCredits > 0) {
            credits.release(heldCredits);
            heldCredits = 0;
        }
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    /**
     * {@link #close()}: stops reading and closes the pipe (the child gets a broken pipe if it
     * writes more); bytes already read but not delivered are dropped; {@code connectionLost(null)}
     * follows. asyncio's {@code close()}. Idempotent.
     */
    @Override
    void startClosing() {
        stopped = true;
        credits.release(); // a pump waiting for a credit sees the stop at once
        // Closing may wait for a read in progress: never on the loop.
        Thread.ofVirtual().start(() -> closeQuietly(in));
        scheduleConnectionLost(null);
    }

    /** Stops the pump and closes the pipe (on a virtual thread: a read may be in progress). */
    @Override
    void freeAtLoopClose() {
        stopped = true;
        credits.release();
        Thread.ofVirtual().start(() -> closeQuietly(in));
    }

    /** A read pipe buffers nothing to write. */
    @Override
    void dropBuffered() {
    }

    /** Same as {@link #close()}: a read pipe has nothing buffered to flush. asyncio's {@code abort()}. */
    @Override
    public void abort() {
        close();
    }

    @Override
    public Object getExtraInfo(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return "pipe".equals(name) ? in : null;
    }

    private static UnsupportedOperationException readOnly(String method) {
        return new UnsupportedOperationException(method + "() on the read end of a pipe (a child's stdout or stderr)");
    }

    @Override
    public void write(byte[] data) {
        java.util.Objects.requireNonNull(data, "data");
        throw readOnly("write");
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw readOnly("setWriteBufferLimits");
    }

    @Override
    public int[] getWriteBufferLimits() {
        throw readOnly("getWriteBufferLimits");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void writeEof() {
        throw readOnly("writeEof");
    }

    @Override
    Transport self() {
        return this;
    }

    @Override
    public String toString() {
        return "PipeReadTransport[" + (closing ? "closed" : paused ? "paused" : "reading") + ", delivered=" + delivered
                + "]";
    }
}
