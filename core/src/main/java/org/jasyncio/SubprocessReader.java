package org.jasyncio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A child process's output pipe ({@code stdout} or {@code stderr} of a {@link Subprocess}),
 * read by tasks: the reading half of asyncio's {@code StreamReader}, with its method names.
 * Call it on the loop, from tasks; one task may wait on it at a time.
 *
 * <pre>{@code
 * Subprocess p = Asyncio.createSubprocessExec("ls", "-l");
 * for (byte[] line; (line = p.stdout().readline()).length > 0; ) {
 *     System.out.print(new String(line));
 * }
 * }</pre>
 *
 * <h2>How this works</h2>
 * A {@code java.lang.Process} pipe can only be read by blocking, so a virtual thread (the
 * pump) reads it in chunks of up to {@value #CHUNK} bytes and hands each chunk to the loop
 * with {@code callSoonThreadsafe}; the loop appends it to the buffer and wakes the waiting
 * task. Reading never blocks the loop. Flow control, like asyncio's pause_reading: the pump
 * needs a credit per chunk; the loop returns the credit at once while the buffer holds at most
 * {@code limit} bytes, else keeps it until a read drains the buffer below the limit (or a
 * read needs more data). So unread output is bounded by about {@code limit + 2 * CHUNK}
 * bytes; the child then blocks writing, as with any full pipe. The pump quits when the pipe
 * reaches end of file or the loop closes.
 *
 * <p>When the networking streams ({@code org.jasyncio.net.StreamReader}) exist, this class
 * should become a thin feeder of one: it already has the same reading methods and errors.
 */
public final class SubprocessReader {

    /** asyncio's default stream limit: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    static final int CHUNK = 64 * 1024;
    private static final int CREDITS = 2;
    private static final byte[] EMPTY = new byte[0];

    private final EventLoop loop;
    private final int limit;
    private final Semaphore credits = new Semaphore(CREDITS);
    /** Chunks accepted over the limit, whose credit goes back once the buffer drains. */
    private int heldCredits;
    private byte[] buf = new byte[256];
    private int start;
    private int end;
    private boolean eof;
    private Throwable exception;
    private Future<Void> waiter;

    SubprocessReader(EventLoop loop, InputStream in, String name, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.loop = loop;
        this.limit = limit;
        Thread.ofVirtual().name(name).start(() -> pump(in));
    }

    // ------------------------------------------------------------------ the pump (its own thread)

    private void pump(InputStream in) {
        byte[] chunk = new byte[CHUNK];
        try (in) {
            while (true) {
                while (!credits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (loop.isClosed()) {
                        return;
                    }
                }
                int n = in.read(chunk);
                if (n < 0) {
                    loop.callSoonThreadsafe(this::feedEof);
                    return;
                }
                byte[] data = Arrays.copyOf(chunk, n);
                loop.callSoonThreadsafe(() -> feed(data));
            }
        } catch (IOException e) {
            // The JDK closes a destroyed child's pipes under the reader ("Stream closed"): that
            // is the end of the data, as a closed pipe is for asyncio.
            postEof();
        } catch (InterruptedException | IllegalStateException e) {
            // Interrupted or the loop closed: nobody reads any more.
        }
    }

    private void postEof() {
        try {
            loop.callSoonThreadsafe(this::feedEof);
        } catch (IllegalStateException closed) {
            // nobody reads any more
        }
    }

    // ------------------------------------------------------------------ the loop side

    /** On the loop: appends a chunk (asyncio's {@code feed_data}). */
    void feed(byte[] data) {
        ensureRoom(data.length);
        System.arraycopy(data, 0, buf, end, data.length);
        end += data.length;
        if (size() <= limit) {
            credits.release();
        } else {
            heldCredits++;
        }
        wakeWaiter();
    }

    /** On the loop: the pipe reached its end (asyncio's {@code feed_eof}). */
    void feedEof() {
        eof = true;
        wakeWaiter();
    }

    /** On the loop: reading failed; the next read throws {@code e}. */
    void setException(Throwable e) {
        exception = e;
        Future<Void> w = waiter;
        if (w != null && !w.done()) {
            w.setException(e);
        }
    }

    private void wakeWaiter() {
        Future<Void> w = waiter;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }

    /** Bytes buffered and not read yet. */
    int size() {
        return end - start;
    }

    private void ensureRoom(int n) {
        if (end + n <= buf.length) {
            return;
        }
        int size = size();
        if (size + n <= buf.length / 2 + buf.length / 4) {
            System.arraycopy(buf, start, buf, 0, size);
        } else {
            byte[] bigger = new byte[Math.max(buf.length * 2, size + n)];
            System.arraycopy(buf, start, bigger, 0, size);
            buf = bigger;
        }
        start = 0;
        end = size;
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResumePump();
        return out;
    }

    private void maybeResumePump() {
        if (heldCredits > 0 && size() <= limit) {
            credits.release(heldCredits);
            heldCredits = 0;
        }
    }

    /** asyncio's {@code _wait_for_data}: suspends until a chunk, EOF or an error arrives. */
    private void waitForData(String operation) {
        if (waiter != null) {
            throw new IllegalStateException(operation + "() called while another task is already waiting for"
                    + " incoming data on this pipe");
        }
        if (heldCredits > 0) {
            // The caller needs more than the limit: let the pump go on (asyncio resumes reading).
            credits.release(heldCredits);
            heldCredits = 0;
        }
        Future<Void> w = new Future<>(loop);
        waiter = w;
        try {
            w.await();
        } finally {
            waiter = null;
        }
    }

    private void checkException() {
        if (exception != null) {
            throw org.jasyncio.internal.Rethrow.unchecked(exception);
        }
    }

    /**
     * Reads up to {@code n} bytes, waiting until at least one is there; an empty array means
     * end of file. With {@code n < 0}, reads everything until end of file. asyncio's
     * {@code StreamReader.read(n)}.
     *
     * @param n the most bytes to return, or -1 for all
     * @return the bytes; empty at end of file (or if {@code n == 0})
     */
    public byte[] read(int n) {
        loop.checkOwner();
        checkException();
        if (n == 0) {
            return EMPTY;
        }
        if (n < 0) {
            while (!eof) {
                waitForData("read");
                checkException();
            }
            return take(size());
        }
        if (size() == 0 && !eof) {
            waitForData("read");
            checkException();
        }
        return take(Math.min(n, size()));
    }

    /**
     * Reads exactly {@code n} bytes. asyncio's {@code StreamReader.readexactly(n)}.
     *
     * @param n how many bytes
     * @return them
     * @throws IncompleteReadException if the pipe ends first (it holds the bytes read, which
     *                                 are consumed)
     */
    public byte[] readexactly(int n) {
        loop.checkOwner();
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero, got " + n);
        }
        checkException();
        while (size() < n) {
            if (eof) {
                throw new IncompleteReadException(take(size()), n);
            }
            waitForData("readexactly");
            checkException();
        }
        return take(n);
    }

    /**
     * Reads one line, ending with {@code \n} (included). At end of file, returns the partial
     * last line, or an empty array. asyncio's {@code StreamReader.readline()}.
     *
     * @return the line
     * @throws IllegalArgumentException if the line is longer than the limit; the line (or what
     *                                  was buffered of it) is discarded, as in asyncio
     */
    public byte[] readline() {
        try {
            return readuntil(new byte[] {'\n'});
        } catch (IncompleteReadException e) {
            return e.partial();
        } catch (LimitOverrunException e) {
            int at = start + e.consumed();
            boolean separatorThere = at < end && buf[at] == '\n';
            take(separatorThere ? e.consumed() + 1 : size());
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Reads up to and including {@code separator}. asyncio's
     * {@code StreamReader.readuntil(separator)}.
     *
     * @param separator the non-empty separator
     * @return the bytes, ending with the separator
     * @throws IncompleteReadException if the pipe ends first (the rest of the data is in it,
     *                                 and consumed)
     * @throws LimitOverrunException   if no separator appears within the limit; the data stays
     *                                 in the buffer
     */
    public byte[] readuntil(byte[] separator) {
        loop.checkOwner();
        if (separator == null || separator.length == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        checkException();
        int offset = 0;
        while (true) {
            int at = indexOf(separator, offset);
            if (at >= 0) {
                int length = at - start + separator.length;
                if (at - start > limit) {
                    throw new LimitOverrunException("Separator is found, but chunk is longer than limit", at - start);
                }
                return take(length);
            }
            offset = Math.max(0, size() + 1 - separator.length);
            if (offset > limit) {
                throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
            }
            if (eof) {
                throw new IncompleteReadException(take(size()), -1);
            }
            waitForData("readuntil");
            checkException();
        }
    }

    /** The buffer index where {@code sep} starts, searching from {@code offset} bytes in, or -1. */
    private int indexOf(byte[] sep, int offset) {
        outer:
        for (int i = start + offset; i + sep.length <= end; i++) {
            for (int j = 0; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * asyncio's {@code StreamReader.at_eof()}.
     *
     * @return true if the pipe ended and everything was read
     */
    public boolean atEof() {
        return eof && size() == 0;
    }

    @Override
    public String toString() {
        return "SubprocessReader[" + size() + " bytes buffered" + (eof ? ", eof" : "") + "]";
    }

    /**
     * The pipe ended before the requested bytes arrived: asyncio's {@code IncompleteReadError}.
     */
    public static final class IncompleteReadException extends RuntimeException {
        private final transient byte[] partial;
        private final int expected;

        IncompleteReadException(byte[] partial, int expected) {
            super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : expected)
                    + " expected bytes");
            this.partial = partial;
            this.expected = expected;
        }

        /**
         * asyncio's {@code IncompleteReadError.partial}.
         *
         * @return the bytes read before the end of the pipe
         */
        public byte[] partial() {
            return partial;
        }

        /**
         * asyncio's {@code IncompleteReadError.expected}.
         *
         * @return the number of bytes asked for, or -1 when reading until a separator
         */
        public int expected() {
            return expected;
        }
    }

    /**
     * The separator was not found within the limit: asyncio's {@code LimitOverrunError}. The
     * data stays in the buffer.
     */
    public static final class LimitOverrunException extends RuntimeException {
        private final int consumed;

        LimitOverrunException(String message, int consumed) {
            super(message);
            this.consumed = consumed;
        }

        /**
         * asyncio's {@code LimitOverrunError.consumed}.
         *
         * @return how many buffered bytes were searched
         */
        public int consumed() {
            return consumed;
        }
    }
}
