package org.jasyncio.net;

import java.util.List;

/**
 * A bidirectional byte stream over a connection: asyncio's {@code asyncio.Transport}. Writes
 * never block: bytes the socket cannot take at once are buffered and sent when it is writable;
 * the {@link Protocol} is told to pause writing when that buffer goes over the high-water mark.
 * Use a transport on its loop only.
 *
 * <p>A transport still open when its loop closes is closed then, without a call to its
 * protocol, and reported to the loop's exception handler as "unclosed transport ...": asyncio's
 * {@code __del__} does so, with a {@code ResourceWarning}, when it collects the transport. One
 * that was closing (its {@code connectionLost} not run yet) is freed without a report.
 */
public interface Transport {

    /**
     * Queues {@code data} to be sent. asyncio's {@code write(data)}.
     *
     * <p>After the connection was lost it throws {@link ConnectionResetException}, unchanged
     * although undeclared (a protocol's callbacks cannot declare it); the streams'
     * {@code StreamWriter.write} declares it.
     *
     * @param data the bytes; the transport copies what it must keep
     * @throws NullPointerException      if {@code data} is null
     * @throws IllegalStateException     after {@link #close()} or {@link #writeEof()}
     */
    void write(byte[] data);

    /**
     * Writes each buffer in turn. asyncio's {@code writelines(list_of_data)}.
     *
     * @param data the buffers
     * @throws NullPointerException if {@code data} or one of the buffers is null
     */
    default void writelines(List<byte[]> data) {
        java.util.Objects.requireNonNull(data, "data");
        for (byte[] d : data) {
            write(d);
        }
    }

    /**
     * Closes the transport: buffered data is still sent, then the protocol's
     * {@code connectionLost(null)} is called. Idempotent. asyncio's {@code close()}.
     */
    void close();

    /**
     * Closes at once, dropping buffered data; {@code connectionLost(null)} follows. asyncio's
     * {@code abort()}.
     */
    void abort();

    /**
     * asyncio's {@code is_closing()}.
     *
     * @return true once the transport is closing or closed
     */
    boolean isClosing();

    /**
     * Information about the connection. asyncio's {@code get_extra_info(name)}. Names:
     * {@code "peername"} and {@code "sockname"} (a {@link java.net.SocketAddress}),
     * {@code "socket"} (the channel), {@code "sslcontext"}, {@code "peercert"} on TLS.
     *
     * @param name the name
     * @return the value, or null if unknown
     * @throws NullPointerException if {@code name} is null
     */
    Object getExtraInfo(String name);

    /** Stops calling {@code dataReceived} until {@link #resumeReading()}. asyncio's {@code pause_reading()}. */
    void pauseReading();

    /** Undoes {@link #pauseReading()}. asyncio's {@code resume_reading()}. */
    void resumeReading();

    /**
     * asyncio's {@code is_reading()}.
     *
     * @return true unless reading is paused or the transport is closing
     */
    boolean isReading();

    /**
     * Sets the write-buffer marks for flow control: over {@code high} the protocol's
     * {@code pauseWriting()} is called, back at or under {@code low} its {@code resumeWriting()}.
     * asyncio's {@code set_write_buffer_limits(high, low)}.
     *
     * @param high the high-water mark in bytes
     * @param low  the low-water mark, at most {@code high}
     * @throws IllegalArgumentException if {@code low > high} or one is negative
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * asyncio's {@code get_write_buffer_size()}.
     *
     * @return bytes queued and not yet sent
     */
    long getWriteBufferSize();

    /**
     * asyncio's {@code get_write_buffer_limits()}.
     *
     * @return {low, high}
     */
    int[] getWriteBufferLimits();

    /**
     * asyncio's {@code can_write_eof()}.
     *
     * @return true if {@link #writeEof()} is supported
     */
    boolean canWriteEof();

    /**
     * Shuts the sending side down once buffered data is sent. asyncio's {@code write_eof()}.
     */
    void writeEof();

    /**
     * asyncio's {@code get_protocol()}.
     *
     * @return the protocol this transport calls
     */
    Protocol getProtocol();

    /**
     * Switches the protocol this transport calls. asyncio's {@code set_protocol(protocol)}.
     *
     * @param protocol the new protocol
     * @throws NullPointerException if {@code protocol} is null
     */
    void setProtocol(Protocol protocol);
}
