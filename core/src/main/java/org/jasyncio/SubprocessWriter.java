package org.jasyncio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process's {@code stdin} pipe, written by tasks: the writing half of asyncio's
 * {@code StreamWriter}, with its method names. Call it on the loop.
 *
 * <pre>{@code
 * Subprocess p = Asyncio.createSubprocessExec("sort");
 * p.stdin().write("b\na\n".getBytes());
 * p.stdin().drain();        // waits while too much is buffered
 * p.stdin().close();        // the child sees end of file
 * }</pre>
 *
 * <h2>How this works</h2>
 * {@link #write} never blocks: it queues a copy of the bytes for a virtual thread (the
 * writer) that writes them to the blocking {@code java.lang.Process} pipe and reports each
 * finished chunk back with {@code callSoonThreadsafe}. {@link #drain()} is the flow control,
 * as in asyncio: it returns at once while at most {@value #HIGH_WATER} bytes wait, else
 * suspends until the writer has brought them below {@value #LOW_WATER}. A write error (the
 * child closed its end: broken pipe) is thrown by the next {@code drain()}; later writes are
 * dropped. When {@code org.jasyncio.net.StreamWriter} exists, this class should become a
 * transport under it.
 */
public final class SubprocessWriter {

    /** asyncio's default high-water mark for a pipe transport: 64 KiB. */
    static final int HIGH_WATER = 64 * 1024;
    /** asyncio's default low-water mark: a quarter of the high one. */
    static final int LOW_WATER = HIGH_WATER / 4;
    private static final Object CLOSE = new Object();

    private final EventLoop loop;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Future<Void> closed;
    private final List<Future<Void>> drainWaiters = new ArrayList<>(1);
    private long buffered;
    private boolean closing;
    private Throwable error;

    SubprocessWriter(EventLoop loop, OutputStream out, String name) {
        this.loop = loop;
        this.closed = new Future<>(loop);
        Thread.ofVirtual().name(name).start(() -> pump(out));
    }

    // ------------------------------------------------------------------ the writer thread

    private void pump(OutputStream out) {
        try (out) {
            while (true) {
                Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item == null) {
                    if (loop.isClosed()) {
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
        } catch (IOException e) {
            post(() -> failed(e));
            return;
        } catch (InterruptedException | IllegalStateException e) {
            return; // the loop closed: nobody waits any more
        }
        post(this::closedCleanly);
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
        buffered -= n;
        if (buffered <= LOW_WATER) {
            wakeDrainers(null);
        }
    }

    private void failed(IOException e) {
        if (error == null) {
            error = e;
        }
        queue.clear();
        buffered = 0;
        wakeDrainers(e);
        if (!closed.done()) {
            closed.setResult(null); // the pipe is gone, closed or not
        }
    }

    private void closedCleanly() {
        if (!closed.done()) {
            closed.setResult(null);
        }
    }

    private void wakeDrainers(Throwable e) {
        for (Future<Void> w : drainWaiters) {
            if (!w.done()) {
                if (e != null) {
                    w.setException(e);
                } else {
                    w.setResult(null);
                }
            }
        }
        drainWaiters.clear();
    }

    /**
     * Queues {@code data} for the child; never blocks. Follow with {@link #drain()} to respect
     * flow control. asyncio's {@code StreamWriter.write(data)}.
     *
     * @param data the bytes (copied)
     * @throws IllegalStateException if the writer was closed
     */
    public void write(byte[] data) {
        loop.checkOwner();
        if (closing) {
            throw new IllegalStateException("write() after close() or writeEof() on the subprocess's stdin");
        }
        if (data.length == 0 || error != null) {
            return; // after a broken pipe, asyncio drops writes too; drain() reports the error
        }
        buffered += data.length;
        queue.add(data.clone());
    }

    /**
     * Waits until the queued bytes fall to the low-water mark, if they are above the high one;
     * else returns at once. asyncio's {@code StreamWriter.drain()}.
     *
     * @throws CancelledError if the task is cancelled while it waits
     * @throws java.io.IOException (unchecked-rethrown, unchanged) if writing failed, e.g. a broken pipe
     */
    public void drain() {
        loop.checkOwner();
        if (error != null) {
            throw org.jasyncio.internal.Rethrow.unchecked(error);
        }
        if (buffered <= HIGH_WATER) {
            return;
        }
        Future<Void> w = new Future<>(loop);
        drainWaiters.add(w);
        w.await();
    }

    /**
     * Closes the pipe once the queued bytes are written: the child reads end of file. asyncio's
     * {@code StreamWriter.close()}. Idempotent.
     */
    public void close() {
        loop.checkOwner();
        if (!closing) {
            closing = true;
            queue.add(CLOSE);
        }
    }

    /**
     * Same as {@link #close()} for a pipe (a pipe has no half-close). asyncio's
     * {@code StreamWriter.write_eof()}.
     */
    public void writeEof() {
        close();
    }

    /**
     * asyncio's {@code StreamWriter.can_write_eof()}.
     *
     * @return true: a pipe can signal end of file
     */
    public boolean canWriteEof() {
        return true;
    }

    /**
     * asyncio's {@code StreamWriter.is_closing()}.
     *
     * @return true once {@link #close()} was called or the pipe broke
     */
    public boolean isClosing() {
        return closing || error != null;
    }

    /** Suspends until the pipe is closed (or broke). asyncio's {@code StreamWriter.wait_closed()}. */
    public void waitClosed() {
        closed.await();
    }

    /** Bytes queued and not yet written to the pipe. */
    long buffered() {
        return buffered;
    }

    @Override
    public String toString() {
        return "SubprocessWriter[" + buffered + " bytes queued" + (closing ? ", closing" : "") + "]";
    }
}
