package org.jasyncio.net;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jasyncio.EventLoop;

/**
 * The write end of a child process's pipe (its stdin) as a {@link Transport}: asyncio's
 * {@code _UnixWritePipeTransport}. It cannot be read: {@link #pauseReading()} and
 * {@link #resumeReading()} throw {@link UnsupportedOperationException}.
 */
final class PipeWriteTransport extends BaseTransport<Transport, Protocol> implements Transport {
    /* Implementation overview:
     * write never blocks: it queues a copy of the bytes for a virtual
     * thread (the writer) that writes them to the blocking java.lang.Process pipe and
     * reports each finished chunk back to the loop with callSoonThreadsafe. The loop keeps
     * the count of bytes not yet written (getWriteBufferSize()) and tells the protocol to
     * pause writing over the high-water mark and to resume at the low one, which is what
     * StreamWriter.drain() waits on. close() and writeEof() (the same for
     * a pipe, as in asyncio) queue a close after the data: the writer closes the pipe, the child
     * reads end of file, and connectionLost(null) follows. A write error (the child closed
     * its end: broken pipe) drops what is queued and ends in connectionLost(error); later
     * writes throw ConnectionResetException.
     *
     * state     | closing | lost  | meaning
     * open      | false   | false | writes queued for the writer thread
     * closing   | true    | false | close()/writeEof(): queued bytes still written, then the pipe closes
     * lost      | true    | true  | connectionLost is called or scheduled; write error or abort() go here at once
     */

    /** asyncio's default high-water mark for a write pipe: 64 KiB (the low one is a quarter). */
    static final int DEFAULT_HIGH_WATER = BaseTransport.DEFAULT_HIGH_WATER;
    private static final Object CLOSE = new Object();

    private final OutputStream out;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    private PipeWriteTransport(EventLoop loop, OutputStream out, Protocol protocol) {
        super(loop, protocol);
        this.out = out;
    }

    /**
     * Connects {@code protocol} to {@code out} (its {@code connectionMade} runs now, so the
     * caller must be on the loop) and starts the writer. asyncio's {@code connect_write_pipe}.
     *
     * @param loop     the loop that runs the protocol
     * @param out      the pipe to write; the transport closes it
     * @param protocol the protocol to tell about flow control and the end
     * @param name     the writer thread's name
     * @return the transport
     */
    static PipeWriteTransport open(EventLoop loop, OutputStream out, Protocol protocol, String name) {
        PipeWriteTransport t = new PipeWriteTransport(loop, out, protocol);
        t.callConnectionMade();
        Thread.ofVirtual().name(name).start(t::pump);
        t.register();
        return t;
    }

    // ------------------------------------------------------------------ the writer thread

    private void pump() {
        try {
            while (true) {
                Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item == null) {
                    if (loop.isClosed()) {
                        closeQuietly();
                        return;
                    }
                    continue;
                }
                if (item == CLOSE) {
                    break;
                }
                byte[] data = (byte[]) item;
                out.write(data);
                out.flush();
                loop.callSoonThreadsafe(() -> written(data.length));
            }
            out.close();
        } catch (IOException e) {
            closeQuietly();
            post(() -> failed(e));
            return;
        } catch (InterruptedException | IllegalStateException e) {
            closeQuietly(); // the loop closed: nobody waits any more
            return;
        }
        post(this::closedCleanly);
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException e) {
            // the pipe is broken already
        }
    }

    private void post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (IllegalStateException loopClosed) {
            // nobody waits any more
        }
    }

    // ------------------------------------------------------------------ the loop side

    private void written(int n) {
        if (lost) {
            return;
        }
        bufferSize -= n;
        maybeResumeProtocol();
    }

    private void failed(IOException e) {
        if (lost) {
            return;
        }
        lostWith = e;
        queue.clear();
        bufferSize = 0;
        closing = true;
        lost = true;
        callConnectionLost(e);
    }

    private void closedCleanly() {
        if (lost) {
            return;
        }
        lost = true;
        callConnectionLost(null);
    }

    /** A pipe reports an exception from {@code connectionLost} to the loop's exception handler. */
    @Override
    void callConnectionLost(Throwable e) {
        callConnectionLostReporting(e);
    }

    // ------------------------------------------------------------------ Transport

    /**
     * Queues a copy of {@code data} for the child; never blocks. asyncio's {@code write(data)}.
     *
     * @throws IllegalStateException    after {@link #close()} or {@link #writeEof()}
     * @throws ConnectionResetException (unchanged, undeclared) after the pipe broke
     */
    @Override
    public void write(byte[] data) {
        if (data == null) {
            throw new NullPointerException("data");
        }
        throwIfBroken();
        if (closing) {
            throw new IllegalStateException("write() after close() or writeEof() on a pipe (a child's stdin)");
        }
        if (data.length == 0) {
            return;
        }
        bufferSize += data.length;
        queue.add(data.clone());
        maybePauseProtocol();
    }

    /**
     * {@link #close()}: closes the pipe once the queued bytes are written; {@code
     * connectionLost(null)} follows. asyncio's {@code close()}. Idempotent.
     */
    @Override
    void startClosing() {
        queue.add(CLOSE);
    }

    /**
     * {@link #abort()}: drops the queued bytes and closes the pipe (after the chunk being written,
     * if any); {@code connectionLost(null)} follows at once. asyncio's {@code abort()}.
     */
    @Override
    void dropBuffered() {
        queue.clear();
        queue.add(CLOSE);
    }

    /**
     * Drops what is queued and has the writer close the pipe, after the chunk it is writing, if
     * any (a child that reads nothing more holds it until it exits).
     */
    @Override
    void freeAtLoopClose() {
        queue.clear();
        queue.add(CLOSE);
    }

    /** Same as {@link #close()}: a pipe has no half-close. asyncio's {@code write_eof()}. */
    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public Object getExtraInfo(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return "pipe".equals(name) ? out : null;
    }

    private static UnsupportedOperationException writeOnly(String method) {
        return new UnsupportedOperationException(method + "() on the write end of a pipe (a child's stdin)");
    }

    @Override
    public void pauseReading() {
        throw writeOnly("pauseReading");
    }

    @Override
    public void resumeReading() {
        throw writeOnly("resumeReading");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    Transport self() {
        return this;
    }

    @Override
    public String toString() {
        return "PipeWriteTransport[" + state() + ", buffered=" + bufferSize
                + "]";
    }
}
