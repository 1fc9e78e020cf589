package org.jasyncio.streams;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jasyncio.AsyncGenerator;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.internal.Rethrow;
import org.jasyncio.internal.WaitLabel;
import org.jasyncio.net.ConnectionOptions;
import org.jasyncio.net.Transport;

/**
 * The incoming side of a stream: asyncio's {@code StreamReader}. Bytes fed by the protocol
 * are buffered; the read methods take from the buffer and suspend the calling task while it
 * holds too little. Cancelling a read leaves the buffered bytes where they were.
 *
 * <pre>{@code
 * Connection c = Asyncio.openConnection("example.com", 80);
 * c.writer().write("GET / HTTP/1.0\r\n\r\n".getBytes());
 * byte[] status = c.reader().readline();
 * }</pre>
 *
 * <p>The {@code limit} bounds a line (for {@link #readline}, {@link #readuntil}) and, at twice
 * its size, the buffer: past that the transport's reading is paused until reads drain it.
 */
public class StreamReader {

    /** asyncio's {@code _DEFAULT_LIMIT}: 64 KiB, the default of the connection and server options. */
    public static final int DEFAULT_LIMIT = ConnectionOptions.DEFAULT_LIMIT;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private final int limit;
    private final EventLoop loop;
    private byte[] buffer = new byte[256];
    private int start;
    private int end;
    private boolean eof;
    private Throwable exception;
    private Future<Void> waiter;
    /** Set while {@link #readline} runs, so that a task dump says readline, not readuntil. */
    private boolean readingLine;
    private Transport transport;
    private boolean paused;

    /**
     * Creates a reader with the default limit, on the running loop.
     */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * Creates a reader on the running loop. asyncio's {@code StreamReader(limit=)}.
     *
     * @param limit the line and buffer limit in bytes
     */
    public StreamReader(int limit) {
        this(limit, org.jasyncio.Asyncio.getRunningLoop());
    }

    /**
     * Creates a reader on {@code loop}.
     *
     * @param limit the line and buffer limit in bytes
     * @param loop  the loop
     * @throws NullPointerException if {@code loop} is null
     */
    public StreamReader(int limit, EventLoop loop) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0: " + limit);
        }
        java.util.Objects.requireNonNull(loop, "loop");
        this.limit = limit;
        this.loop = loop;
    }

    // ------------------------------------------------------------------ fed by the protocol

    /**
     * Sets the transport whose reading this reader pauses when its buffer is full.
     *
     * @param transport the transport
     * @throws NullPointerException if {@code transport} is null
     */
    public void setTransport(Transport transport) {
        java.util.Objects.requireNonNull(transport, "transport");
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        this.transport = transport;
    }

    /** After startTls: pause and resume the TLS transport instead. */
    void replaceTransport(Transport tls) {
        this.transport = tls;
    }

    /**
     * Appends bytes and wakes a waiting read. asyncio's {@code feed_data(data)}.
     *
     * @param data the bytes
     * @throws NullPointerException if {@code data} is null
     */
    public void feedData(byte[] data) {
        java.util.Objects.requireNonNull(data, "data");
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        if (data.length == 0) {
            return;
        }
        int size = end - start;
        if (buffer.length - end < data.length) {
            int need = size + data.length;
            if (need <= buffer.length && start >= buffer.length / 2) {
                System.arraycopy(buffer, start, buffer, 0, size);
            } else {
                byte[] b = new byte[Math.max(need, buffer.length * 2)];
                System.arraycopy(buffer, start, b, 0, size);
                buffer = b;
            }
            start = 0;
            end = size;
        }
        System.arraycopy(data, 0, buffer, end, data.length);
        end += data.length;
        wakeupWaiter();
        if (transport != null && !paused && end - start > 2L * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException e) {
                transport = null;
            }
        }
    }

    /** Marks EOF and wakes a waiting read. asyncio's {@code feed_eof()}. */
    public void feedEof() {
        eof = true;
        wakeupWaiter();
    }

    /**
     * Makes reads throw {@code exception} once the bytes already buffered cannot satisfy them
     * (asyncio raises at once and drops them; here no received byte is lost). The error
     * outranks EOF: a read that the buffer cannot satisfy throws it even after
     * {@link #feedEof}, instead of returning empty or throwing {@link IncompleteReadException}.
     * asyncio's {@code set_exception(exc)}.
     *
     * @param exception the error
     * @throws NullPointerException if {@code exception} is null
     */
    public void setException(Throwable exception) {
        java.util.Objects.requireNonNull(exception, "exception");
        this.exception = exception;
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setException(exception);
            }
        }
    }

    /**
     * asyncio's {@code exception()}.
     *
     * @return the exception set by the protocol, or null
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * asyncio's {@code at_eof()}.
     *
     * @return true if EOF was fed and the buffer is empty
     */
    public boolean atEof() {
        return eof && start == end;
    }

    private void wakeupWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.cancelled()) {
                w.setResult(null);
            }
        }
    }

    private void waitForData(String function) {
        throwIfFailed();
        if (waiter != null) {
            throw new IllegalStateException(function
                    + "() called while another task is already waiting for incoming data");
        }
        if (eof) {
            throw new AssertionError("waitForData after EOF");
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = new DataWaiter(loop, readingLine && function.equals("readuntil") ? "readline" : function);
        waiter = w;
        try {
            w.await();
        } finally {
            if (waiter == w) {
                waiter = null;
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && end - start <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    private void throwIfFailed() {
        if (exception != null) {
            throw Rethrow.unchecked(exception);
        }
    }

    private byte[] take(int n) {
        byte[] r = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResumeTransport();
        return r;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads up to {@code n} bytes, waiting until at least one is there; {@code n < 0} reads
     * until EOF. Returns an empty array at EOF. asyncio's {@code read(n=-1)}.
     *
     * @param n the most bytes to return, or -1 for everything until EOF
     * @return the bytes, empty at EOF
     * @throws IOException the error that ended the connection (a
     *                     {@link org.jasyncio.net.ConnectionResetException} after a reset, a
     *                     {@link javax.net.ssl.SSLException} on TLS, ...), once the buffered bytes
     *                     cannot satisfy the read
     */
    public byte[] read(int n) throws IOException {
        if (n == 0) {
            return EMPTY;
        }
        if (n < 0) {
            while (!eof) {
                waitForData("read");
            }
            if (start == end) {
                throwIfFailed();
            }
            return take(end - start);
        }
        if (start == end) {
            // An error outranks EOF once the buffer is empty (asyncio checks it first).
            throwIfFailed();
            if (!eof) {
                waitForData("read");
            }
        }
        return take(Math.min(n, end - start));
    }

    /**
     * Reads everything until EOF. asyncio's {@code read()}.
     *
     * @return the bytes
     * @throws IOException the error that ended the connection (a
     *                     {@link org.jasyncio.net.ConnectionResetException} after a reset, a
     *                     {@link javax.net.ssl.SSLException} on TLS, ...), once the buffered bytes
     *                     cannot satisfy the read
     */
    public byte[] read() throws IOException {
        return read(-1);
    }

    /**
     * Reads one line, with its {@code \n}; at EOF, returns what is left (maybe without a
     * newline, empty when nothing is). A line over the limit is discarded (the whole line if
     * its newline has arrived, else what is buffered) and {@link IllegalArgumentException}
     * thrown. asyncio's {@code readline()}, which catches the {@code LimitOverrunError} of
     * {@code readuntil()} and raises {@code ValueError} with its message instead: so here the
     * exception is the one jasyncio maps {@code ValueError} to, not a
     * {@link LimitOverrunException} ({@code catch (LimitOverrunException e)} does not see it,
     * as {@code except LimitOverrunError} does not in asyncio); its cause is the
     * {@link LimitOverrunException} of the search, which tells how much was searched.
     * {@link #readLine()} (capital L) gives the same line decoded, without its line end.
     *
     * @return the line
     * @throws IllegalArgumentException if the line is longer than the {@link #limit() limit}
     *                                  (asyncio's {@code ValueError}); the stream goes on with
     *                                  the next line
     * @throws IOException the error that ended the connection (a
     *                     {@link org.jasyncio.net.ConnectionResetException} after a reset, a
     *                     {@link javax.net.ssl.SSLException} on TLS, ...), once the buffered bytes
     *                     cannot satisfy the read
     */
    public byte[] readline() throws IOException {
        try {
            readingLine = true;
            return readuntil(NEWLINE);
        } catch (IncompleteReadException e) {
            return e.partial();
        } catch (LimitOverrunException e) {
            int c = e.consumed();
            if (start + c < end && buffer[start + c] == '\n') {
                start += c + 1;
            } else {
                start = end;
            }
            if (start == end) {
                start = 0;
                end = 0;
            }
            maybeResumeTransport();
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            readingLine = false;
        }
    }

    /**
     * {@link #readLine(Charset)} in UTF-8: the next line as a string, without its line end, or
     * null at end of file. Not an asyncio method (see {@link #readLine(Charset)}); unlike
     * {@link #readline()}, which returns the bytes with the newline and an empty array at EOF.
     *
     * @return the line without {@code "\n"} or {@code "\r\n"}, or null at end of file
     * @throws IllegalArgumentException if the line is longer than the {@link #limit() limit}, as
     *                                  {@link #readline()} (the line is discarded)
     * @throws IOException the error that ended the connection, as {@link #readline()}
     */
    public String readLine() throws IOException {
        return readLine(StandardCharsets.UTF_8);
    }

    /**
     * Reads the next line with {@link #readline()} and decodes it: the line without its line
     * end, or null at end of file, as {@link java.io.BufferedReader#readLine()} answers. No
     * asyncio counterpart (asyncio decodes {@code await reader.readline()} itself); a text
     * helper for Java callers.
     *
     * <ul>
     *   <li>A line ends at {@code "\n"}; that newline and a {@code "\r"} right before it are
     *       removed, so {@code "\n"} and {@code "\r\n"} both end a line. A lone {@code "\r"}
     *       is kept as part of the line (BufferedReader would end the line there; here lines are
     *       exactly those of {@link #readline()}).</li>
     *   <li>At end of file, what is left without a newline is the last line (kept as is, a
     *       trailing {@code "\r"} included); after that, and for an empty stream, null. An
     *       empty line ({@code "\n"} alone) is {@code ""}, never null.</li>
     *   <li>A line longer than the {@link #limit() limit} (in bytes, before the newline) is
     *       discarded and {@link IllegalArgumentException} thrown, exactly as by
     *       {@link #readline()}; the next call reads the next line.</li>
     *   <li>Bytes that are not valid in {@code charset} become the replacement character
     *       U+FFFD, as {@code new String(bytes, charset)} decodes them.</li>
     * </ul>
     *
     * @param charset the encoding of the stream: one that encodes {@code '\r'} and
     *                {@code '\n'} as the single bytes 13 and 10 (UTF-8, US-ASCII, the ISO-8859
     *                and windows-125x families, ...), since lines are split on bytes
     * @return the line without {@code "\n"} or {@code "\r\n"}, or null at end of file
     * @throws NullPointerException     if {@code charset} is null (checked before reading)
     * @throws IllegalArgumentException if {@code charset} does not encode {@code '\r'} and
     *                                  {@code '\n'} as single bytes (UTF-16, UTF-32, EBCDIC;
     *                                  checked before reading), or the line is longer than the
     *                                  limit
     * @throws IOException the error that ended the connection, as {@link #readline()}
     */
    public String readLine(Charset charset) throws IOException {
        requireLineCharset(charset);
        byte[] line = readline();
        int n = line.length;
        if (n == 0) {
            return null;
        }
        if (line[n - 1] == '\n') {
            n--;
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
        }
        return new String(line, 0, n, charset);
    }

    /** Refuses a charset in which lines cannot be split on the bytes 13 and 10. */
    private static void requireLineCharset(Charset charset) {
        java.util.Objects.requireNonNull(charset, "charset");
        if (charset == StandardCharsets.UTF_8 || charset == StandardCharsets.US_ASCII
                || charset == StandardCharsets.ISO_8859_1) {
            return;
        }
        if (!Arrays.equals("\r\n".getBytes(charset), CRLF)) {
            throw new IllegalArgumentException(charset + " does not encode '\\r' and '\\n' as the bytes 13 and 10:"
                    + " readLine() splits lines on bytes, so it needs an ASCII-compatible charset (UTF-8, ...)");
        }
    }

    /**
     * The lines still to come, as an async generator whose body reads each one with
     * {@link #readline} when the consumer asks for it, until EOF (the empty line at EOF ends
     * it). asyncio's {@code async for line in reader}.
     *
     * <pre>{@code
     * for (byte[] line : reader.lines()) {
     *     handle(line);
     * }
     * }</pre>
     *
     * <p>Each step ({@code hasNext()} of the for-each, or {@link AsyncGenerator#anext()}) may
     * suspend the task while the line is incomplete, and throws what {@link #readline} throws,
     * an {@link IOException} included, unchanged although undeclared; after such an exception
     * the generator is finished. Nothing is read before the first step, and no line is read
     * ahead: breaking out of the loop leaves every later byte in the reader, and the
     * generator suspended until it is closed ({@link AsyncGenerator#aclose()},
     * {@link org.jasyncio.Aclosing#aclosing}, or at the end of {@code Asyncio.run}).
     *
     * @return a new generator over the remaining lines, to run in a task
     */
    public AsyncGenerator<byte[]> lines() {
        return AsyncGenerator.of(out -> {
            while (true) {
                byte[] line = readline();
                if (line.length == 0) {
                    return;
                }
                out.emit(line);
            }
        });
    }

    /**
     * Reads up to and including the next {@code \n}; unlike {@link #readline}, at EOF without
     * it throws {@link IncompleteReadException} and over the limit keeps the data. asyncio's
     * {@code readuntil()} (its default separator {@code b'\n'}).
     *
     * @return the bytes, ending with {@code \n}
     * @throws IOException the error that ended the connection (a
     *                     {@link org.jasyncio.net.ConnectionResetException} after a reset, a
     *                     {@link javax.net.ssl.SSLException} on TLS, ...), once the buffered bytes
     *                     cannot satisfy the read
     */
    public byte[] readuntil() throws IOException {
        return readuntil(NEWLINE);
    }

    /**
     * Reads up to and including {@code separator}. At EOF without it, throws
     * {@link IncompleteReadException} with the rest of the buffer (which is cleared). If the
     * separator is not found within the limit, throws {@link LimitOverrunException} and keeps
     * the data. asyncio's {@code readuntil(separator)}.
     *
     * @param separator the separator, not empty
     * @return the bytes, ending with the separator
     * @throws NullPointerException if {@code separator} is null
     * @throws IOException the error that ended the connection (a
     *                     {@link org.jasyncio.net.ConnectionResetException} after a reset, a
     *                     {@link javax.net.ssl.SSLException} on TLS, ...), once the buffered bytes
     *                     cannot satisfy the read
     */
    public byte[] readuntil(byte[] separator) throws IOException {
        java.util.Objects.requireNonNull(separator, "separator");
        return readuntil(new byte[][] {separator});
    }

    /**
     * Reads up to the first of {@code separators} to occur (the one that ends first; asyncio
     * 3.13's tuple of separators). When several end at the same place, the shortest is the one
     * that matched: the limit is checked against the bytes before it, whatever the order given.
     *
     * @param separators one or more separators, none empty
     * @return the bytes, ending with the separator that matched
     * @throws NullPointerException if {@code separators} or one of them is null
     * @throws IOException the error that ended the connection (a
     *                     {@link org.jasyncio.net.ConnectionResetException} after a reset, a
     *                     {@link javax.net.ssl.SSLException} on TLS, ...), once the buffered bytes
     *                     cannot satisfy the read
     */
    public byte[] readuntil(byte[]... separators) throws IOException {
        java.util.Objects.requireNonNull(separators, "separators");
        if (separators.length == 0) {
            throw new IllegalArgumentException("Separator should contain at least one element");
        }
        int minLen = Integer.MAX_VALUE;
        int maxLen = 0;
        for (byte[] s : separators) {
            java.util.Objects.requireNonNull(s, "separators");
            if (s.length == 0) {
                throw new IllegalArgumentException("Separator should be at least one-byte string");
            }
            minLen = Math.min(minLen, s.length);
            maxLen = Math.max(maxLen, s.length);
        }
        int offset = 0;
        int matchStart;
        int matchEnd;
        while (true) {
            int buflen = end - start;
            matchStart = -1;
            matchEnd = -1;
            if (buflen - offset >= minLen) {
                for (byte[] s : separators) {
                    int i = indexOf(s, offset);
                    // The match that ends first wins; on a tie the shorter separator (later
                    // start) is the one that matched, as asyncio sorts separators by length.
                    if (i >= 0 && (matchEnd < 0 || i + s.length < matchEnd
                            || (i + s.length == matchEnd && i > matchStart))) {
                        matchStart = i;
                        matchEnd = i + s.length;
                    }
                }
                if (matchEnd >= 0) {
                    break;
                }
                offset = Math.max(0, buflen + 1 - maxLen);
                if (offset > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                throwIfFailed();
                byte[] chunk = Arrays.copyOfRange(buffer, start, end);
                start = 0;
                end = 0;
                throw new IncompleteReadException(chunk, -1);
            }
            waitForData("readuntil");
        }
        if (matchStart > limit) {
            throw new LimitOverrunException("Separator is found, but chunk is longer than limit", matchStart);
        }
        return take(matchEnd);
    }

    private int indexOf(byte[] sep, int from) {
        byte first = sep[0];
        int last = end - sep.length;
        outer:
        for (int i = start + from; i <= last; i++) {
            if (buffer[i] != first) {
                continue;
            }
            for (int j = 1; j < sep.length; j++) {
                if (buffer[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /**
     * Reads exactly {@code n} bytes; at EOF before that, throws {@link IncompleteReadException}
     * with what was read (the buffer is cleared). asyncio's {@code readexactly(n)}.
     *
     * @param n the number of bytes, at least 0
     * @return exactly n bytes
     * @throws IOException the error that ended the connection (a
     *                     {@link org.jasyncio.net.ConnectionResetException} after a reset, a
     *                     {@link javax.net.ssl.SSLException} on TLS, ...), once the buffered bytes
     *                     cannot satisfy the read
     */
    public byte[] readexactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero: " + n);
        }
        if (n == 0) {
            return EMPTY;
        }
        while (end - start < n) {
            if (eof) {
                throwIfFailed();
                byte[] partial = Arrays.copyOfRange(buffer, start, end);
                start = 0;
                end = 0;
                throw new IncompleteReadException(partial, n);
            }
            waitForData("readexactly");
        }
        return take(n);
    }

    /**
     * The line and buffer limit.
     *
     * @return the limit in bytes
     */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StreamReader[");
        sb.append(end - start).append(" bytes");
        if (eof) {
            sb.append(", eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(", limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(", waiter");
        }
        if (exception != null) {
            sb.append(", exception=").append(exception);
        }
        if (paused) {
            sb.append(", paused");
        }
        return sb.append(']').toString();
    }

    /** The future a reading task awaits; a task dump shows it as "StreamReader.readline". */
    private static final class DataWaiter extends Future<Void> implements WaitLabel {
        private final String function;

        DataWaiter(EventLoop loop, String function) {
            super(loop);
            this.function = function;
        }

        @Override
        public String describeWait() {
            return "StreamReader." + function;
        }
    }
}
