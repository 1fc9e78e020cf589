package org.jasyncio.streams;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.internal.Rethrow;
import org.jasyncio.net.ConnectionResetException;
import org.jasyncio.net.Transport;
import org.jasyncio.net.Network;

/**
 * The outgoing side of a stream: asyncio's {@code StreamWriter}. {@link #write} never
 * suspends (bytes the socket cannot take are buffered by the transport); {@link #drain} is
 * where a writer waits for the buffer to go back under its low-water mark.
 *
 * <pre>{@code
 * writer.write(line);
 * writer.drain();        // suspends only while the peer is slower than us
 * writer.close();
 * writer.waitClosed();
 * }</pre>
 *
 * <p>It is {@link AutoCloseable}: {@code try (StreamWriter w = c.writer()) { ... }} calls
 * {@link #close()} at the end of the block, which starts closing the connection and returns at
 * once (it never suspends, as asyncio's {@code close()}); bytes still buffered are sent first.
 * To wait until the connection is really closed, call {@link #waitClosed()} after it (asyncio's
 * {@code writer.close(); await writer.wait_closed()}).
 */
public class StreamWriter implements AutoCloseable {

    private Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;
    private final EventLoop loop;

    /**
     * asyncio's {@code StreamWriter(transport, protocol, reader, loop)}.
     *
     * @param transport the transport to write to
     * @param protocol  the stream protocol of that transport
     * @param reader    the reader of the same connection, or null
     * @param loop      the loop
     * @throws NullPointerException if {@code transport}, {@code protocol} or {@code loop} is null
     */
    public StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader, EventLoop loop) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.reader = reader;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * asyncio's {@code transport} attribute.
     *
     * @return the underlying transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Queues bytes to be sent; never suspends. asyncio's {@code write(data)}.
     *
     * @param data the bytes
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalStateException    after {@link #close()} or {@link #writeEof()}
     * @throws IOException a {@link ConnectionResetException} once the connection was lost
     */
    public void write(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        transport.write(data);
    }

    /**
     * Queues each buffer in turn. asyncio's {@code writelines(data)}.
     *
     * @param data the buffers
     * @throws NullPointerException if {@code data} is null
     * @throws IOException a {@link ConnectionResetException} once the connection was lost
     */
    public void writelines(List<byte[]> data) throws IOException {
        Objects.requireNonNull(data, "data");
        transport.writelines(data);
    }

    /**
     * Waits until the transport's write buffer is back under its low-water mark; returns at
     * once when it is not over the high one. Throws the reader's error, or
     * {@link ConnectionResetException} once the connection is lost. asyncio's {@code drain()}.
     * @throws IOException the reader's error, or a {@link ConnectionResetException} once the
     *                     connection is lost
     */
    public void drain() throws IOException {
        if (reader != null) {
            Throwable e = reader.exception();
            if (e != null) {
                throw Rethrow.unchecked(e);
            }
        }
        if (transport.isClosing()) {
            // Let connectionLost run first, so drain() raises "Connection lost" after a close.
            Asyncio.sleep(0);
        }
        protocol.drainHelper();
    }

    /**
     * Upgrades this connection to TLS in place and waits for the handshake: later writes and
     * reads go through TLS. The server side of a {@code startServer} connection acts as the TLS
     * server. Like asyncio it first {@link #drain drains}: it waits while writing is paused, and
     * throws the reader's error or {@link ConnectionResetException} once the connection is lost.
     * asyncio's {@code StreamWriter.start_tls(sslcontext, server_hostname=)}.
     *
     * @param ssl            the TLS context
     * @param serverHostname the name to check the server's certificate against (client side),
     *                       or null
     * @throws NullPointerException if {@code ssl} is null
     * @throws IOException if the handshake fails ({@link javax.net.ssl.SSLException}) or the
     *                     connection is lost
     */
    public void startTls(javax.net.ssl.SSLContext ssl, String serverHostname) throws IOException {
        Objects.requireNonNull(ssl, "ssl");
        drain();
        Transport tls = Network.startTls(transport, protocol, ssl, protocol.isServerSide(), serverHostname);
        transport = tls;
        protocol.replaceTransport(tls);
    }

    /**
     * asyncio's {@code can_write_eof()}.
     *
     * @return whether {@link #writeEof()} is supported
     */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Shuts the sending side down after buffered bytes. asyncio's {@code write_eof()}. */
    public void writeEof() {
        transport.writeEof();
    }

    /**
     * Closes the connection: bytes still buffered are sent, then the socket (or pipe) is
     * closed. Returns at once, never suspends, and may be called again (later calls do
     * nothing); {@link #waitClosed()} waits for the end. asyncio's {@code close()}. Also the
     * {@link AutoCloseable} method, so a try-with-resources block closes the writer without
     * waiting.
     */
    @Override
    public void close() {
        transport.close();
    }

    /**
     * asyncio's {@code is_closing()}.
     *
     * @return whether the transport is closing or closed
     */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Waits until the connection is closed; throws the error that closed it, if any.
     * asyncio's {@code wait_closed()}.
     * @throws IOException the error that closed the connection, if one did
     */
    public void waitClosed() throws IOException {
        protocol.closedFuture().await();
    }

    /**
     * asyncio's {@code get_extra_info(name)}; see {@link Transport#getExtraInfo}.
     *
     * @param name the name
     * @return the value, or null
     * @throws NullPointerException if {@code name} is null
     */
    public Object getExtraInfo(String name) {
        Objects.requireNonNull(name, "name");
        return transport.getExtraInfo(name);
    }

    /**
     * asyncio's {@code get_extra_info(name, default)}: the transport's value, or
     * {@code defaultValue} when it has none.
     *
     * @param name         the name
     * @param defaultValue returned when the transport has no value for {@code name}; may be null
     * @return the value, or {@code defaultValue}
     * @throws NullPointerException if {@code name} is null
     */
    public Object getExtraInfo(String name, Object defaultValue) {
        Objects.requireNonNull(name, "name");
        Object v = transport.getExtraInfo(name);
        return v != null ? v : defaultValue;
    }

    @Override
    public String toString() {
        return "StreamWriter[transport=" + transport + ", reader=" + reader + "]";
    }
}
