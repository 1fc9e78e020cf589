package org.jasyncio.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;

/**
 * Opens connections, servers and datagram endpoints on the running event loop, upgrades a
 * connection to TLS, and sends files through a transport: the networking half of asyncio's
 * event-loop API ({@code loop.create_connection}, {@code loop.create_server},
 * {@code loop.create_unix_connection}, {@code loop.create_unix_server},
 * {@code loop.create_datagram_endpoint}, {@code loop.start_tls}, {@code loop.sendfile}).
 *
 * <p>Every method acts on the event loop running the calling task and suspends that task;
 * call them from a task on the loop, never from another thread.
 *
 * <p>What these calls open belongs to that loop: a transport, datagram endpoint, pipe or
 * server still open when the loop closes is closed then and reported to the loop's exception
 * handler ("unclosed transport ...", "unclosed server ..."), where asyncio closes it when it
 * is collected, with a {@code ResourceWarning}; so a port left bound by one
 * {@code Asyncio.run} is free for the next.
 */
public final class Network {

    private Network() {
    }

    /**
     * Opens a TCP connection to {@code host:port} and wraps it in a transport driving a new
     * protocol from {@code protocolFactory}; returns once {@code connectionMade} has run. The
     * host name is resolved off the loop. asyncio's {@code loop.create_connection}.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param host            a host name or IP literal
     * @param port            the port
     * @return the transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} or {@code host} is null
     * @throws IllegalArgumentException if {@code host} is empty, or {@code port} is
     *                                  outside 0..65535
     * @throws IOException if the connection cannot be made: {@link java.net.UnknownHostException},
     *                     {@link java.net.ConnectException} (refused), ...
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(
            Supplier<P> protocolFactory, String host, int port) throws IOException {
        return createConnection(protocolFactory, host, port, ConnectionOptions.DEFAULTS);
    }

    /**
     * {@link #createConnection(Supplier, String, int)} with {@code options}: over TLS when
     * {@link ConnectionOptions#ssl()} is set (the call returns after the handshake, the
     * server's certificate checked against {@code serverHostname}, else {@code host}), from a
     * local address when {@link ConnectionOptions#localAddress()} is set. asyncio's
     * {@code loop.create_connection(protocol_factory, host, port, ssl=, server_hostname=,
     * ssl_handshake_timeout=, local_addr=)}. A failed or timed-out handshake throws the
     * {@link javax.net.ssl.SSLException} unchanged; the connection is closed then.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param host            a host name or IP literal
     * @param port            the port
     * @param options         the options; {@link ConnectionOptions#limit()} is not used here
     * @return the transport (a TLS transport with {@code ssl}) and the protocol
     * @throws IllegalArgumentException if {@code host} is empty, or {@code port} is
     *                                  outside 0..65535
     * @throws NullPointerException     if {@code protocolFactory}, {@code host} or {@code options} is null
     * @throws IOException if the connection cannot be made: {@link java.net.UnknownHostException},
     *                     {@link java.net.ConnectException} (refused), ..., or with TLS a failed or
     *                     timed-out handshake ({@link javax.net.ssl.SSLException})
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(
            Supplier<P> protocolFactory, String host, int port, ConnectionOptions options) throws IOException {
        return Connector.createConnection(Asyncio.getRunningLoop(), protocolFactory, host, port, options);
    }

    /**
     * Listens on {@code host:port} (every interface when {@code host} is null or empty; port 0
     * picks an ephemeral port) and serves each accepted connection with a new protocol from
     * {@code protocolFactory}. asyncio's {@code loop.create_server}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host            the host to bind, or null
     * @param port            the port, or 0
     * @return the server, already accepting
     * @throws NullPointerException if {@code protocolFactory} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     * @throws IOException if the host cannot be resolved or an address cannot be bound
     *                     ({@link java.net.BindException}: in use, ...)
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory,
            String host, int port) throws IOException {
        return createServer(protocolFactory, host, port, ServerOptions.DEFAULTS);
    }

    /**
     * {@link #createServer(Supplier, String, int)} with {@code options}: TLS on every
     * connection when {@link ServerOptions#ssl()} is set (each protocol sees plaintext after
     * its handshake; a failed handshake only closes that connection), and the backlog,
     * start-serving and socket options of {@link ServerOptions}. asyncio's
     * {@code loop.create_server(protocol_factory, host, port, ssl=, ssl_handshake_timeout=,
     * backlog=, start_serving=, reuse_address=, reuse_port=, keep_alive=)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host            the host to bind, or null
     * @param port            the port, or 0
     * @param options         the options; {@link ServerOptions#limit()} is not used here
     * @return the server, accepting unless {@link ServerOptions#startServing()} is false
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     * @throws NullPointerException     if {@code protocolFactory} or {@code options} is null
     * @throws IOException if the host cannot be resolved or an address cannot be bound
     *                     ({@link java.net.BindException}: in use, ...)
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory,
            String host, int port, ServerOptions options) throws IOException {
        return Listener.createServer(Asyncio.getRunningLoop(), protocolFactory, host, port, options);
    }

    /**
     * Wraps {@code sock}, a channel already connected (by other code), in a transport and a
     * protocol from {@code protocolFactory}; returns once {@code connectionMade} has run. The
     * channel is switched to non-blocking mode and belongs to the transport from then on.
     * asyncio's {@code loop.create_connection(protocol_factory, sock=sock)}.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param sock            the connected channel
     * @return the transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} or {@code sock} is null
     * @throws IllegalArgumentException if the channel is closed or not connected
     * @throws IllegalStateException    if a transport already uses it (even one closing)
     * @throws IOException if the channel cannot be switched to non-blocking mode or its addresses
     *                     read
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(
            Supplier<P> protocolFactory, SocketChannel sock) throws IOException {
        return Connector.wrapConnected(Asyncio.getRunningLoop(), protocolFactory, sock);
    }

    /**
     * Wraps {@code sock}, a connection accepted outside the loop (say by a blocking
     * {@code accept()} on another thread). Without TLS, which is all this call offers, it is
     * the same as {@link #createConnection(Supplier, SocketChannel)};
     * the name says which end the code is on. asyncio's
     * {@code loop.connect_accepted_socket(protocol_factory, sock)}.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param sock            the accepted channel
     * @return the transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} or {@code sock} is null
     * @throws IllegalArgumentException if the channel is closed or not connected
     * @throws IllegalStateException    if a transport already uses it
     * @throws IOException if the channel cannot be switched to non-blocking mode or its addresses
     *                     read
     */
    public static <P extends Protocol> TransportAndProtocol<P> connectAcceptedSocket(
            Supplier<P> protocolFactory, SocketChannel sock) throws IOException {
        return Connector.wrapConnected(Asyncio.getRunningLoop(), protocolFactory, sock);
    }

    /**
     * Serves on {@code sock}, a listening channel bound by other code (in Java, binding also
     * listens), with a new protocol from {@code protocolFactory} per accepted connection. The
     * channel is switched to non-blocking mode; closing the server closes it. The default
     * {@link ServerOptions} apply. asyncio's
     * {@code loop.create_server(protocol_factory, sock=sock)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param sock            the bound channel
     * @return the server, already accepting
     * @throws NullPointerException if {@code protocolFactory} or {@code sock} is null
     * @throws IllegalArgumentException if the channel is closed or not bound
     * @throws IOException if the channel cannot be switched to non-blocking mode
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory,
            ServerSocketChannel sock) throws IOException {
        return Listener.serveOn(Asyncio.getRunningLoop(), protocolFactory, sock);
    }

    /**
     * Upgrades an open connection to TLS in place and returns the new transport once the
     * handshake is done; {@code protocol} receives the plaintext from then on (its
     * {@code connectionMade} is not called again). The handshake may take asyncio's default
     * 60 seconds. asyncio's {@code loop.start_tls}.
     *
     * @param transport      the plain transport
     * @param protocol       the protocol to drive over TLS
     * @param ssl            the TLS context
     * @param serverSide     whether this end is the TLS server
     * @param serverHostname the name to check the server's certificate against (client side),
     *                       or null
     * @return the TLS transport
     * @throws NullPointerException if {@code transport}, {@code protocol} or {@code ssl} is null
     * @throws IOException if the handshake fails ({@link javax.net.ssl.SSLException}) or the
     *                     connection is lost meanwhile ({@link ConnectionResetException}); the
     *                     connection is closed then
     */
    public static Transport startTls(Transport transport, Protocol protocol,
            SSLContext ssl, boolean serverSide, String serverHostname) throws IOException {
        return Connector.startTls(Asyncio.getRunningLoop(), transport, protocol, ssl, serverSide, serverHostname);
    }

    /**
     * Connects to the Unix domain socket at {@code path}. asyncio's
     * {@code loop.create_unix_connection}.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param path            the socket file
     * @return the transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} or {@code path} is null
     * @throws IOException if the connection cannot be made ({@link java.net.ConnectException}: no
     *                     socket there, ...)
     */
    public static <P extends Protocol> TransportAndProtocol<P> createUnixConnection(
            Supplier<P> protocolFactory, Path path) throws IOException {
        return createUnixConnection(protocolFactory, path, ConnectionOptions.DEFAULTS);
    }

    /**
     * {@link #createUnixConnection(Supplier, Path)} with {@code options}: over TLS when
     * {@link ConnectionOptions#ssl()} is set, returning after the handshake, the server's
     * certificate checked against {@link ConnectionOptions#serverHostname()}, which TLS
     * requires here since a path names no host. asyncio's
     * {@code loop.create_unix_connection(protocol_factory, path, ssl=, server_hostname=,
     * ssl_handshake_timeout=)}.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param path            the socket file
     * @param options         the options; {@link ConnectionOptions#limit()} is not used here
     * @return the transport (a TLS transport with {@code ssl}) and the protocol
     * @throws IllegalArgumentException if {@code ssl} is set without {@code serverHostname},
     *                                  or {@code localAddress} is set (TCP only)
     * @throws NullPointerException     if an argument is null
     * @throws IOException if the connection cannot be made ({@link java.net.ConnectException}: no
     *                     socket there, ...), or with TLS a failed or timed-out handshake
     *                     ({@link javax.net.ssl.SSLException})
     */
    public static <P extends Protocol> TransportAndProtocol<P> createUnixConnection(
            Supplier<P> protocolFactory, Path path, ConnectionOptions options) throws IOException {
        return Connector.createUnixConnection(Asyncio.getRunningLoop(), protocolFactory, path, options);
    }

    /**
     * Listens on a Unix domain socket at {@code path}; closing the server removes the file.
     * asyncio's {@code loop.create_unix_server}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param path            the socket file to create
     * @return the server, already accepting
     * @throws NullPointerException if {@code protocolFactory} or {@code path} is null
     * @throws IOException if the socket file cannot be bound ({@link java.net.BindException}: in
     *                     use, ...)
     */
    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory,
            Path path) throws IOException {
        return createUnixServer(protocolFactory, path, ServerOptions.DEFAULTS);
    }

    /**
     * {@link #createUnixServer(Supplier, Path)} with {@code options}: TLS on every connection
     * when {@link ServerOptions#ssl()} is set, and its backlog and start-serving options.
     * The TCP socket options do not apply: {@code reuseAddress} is ignored (a stale socket
     * file is replaced instead), {@code reusePort} and {@code keepAlive} are refused.
     * asyncio's {@code loop.create_unix_server(protocol_factory, path, ssl=,
     * ssl_handshake_timeout=, backlog=, start_serving=)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param path            the socket file to create
     * @param options         the options; {@link ServerOptions#limit()} is not used here
     * @return the server, accepting unless {@link ServerOptions#startServing()} is false
     * @throws IllegalArgumentException if {@code reusePort} or {@code keepAlive} is set
     * @throws NullPointerException     if an argument is null
     * @throws IOException if the socket file cannot be bound ({@link java.net.BindException}: in
     *                     use, ...)
     */
    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory,
            Path path, ServerOptions options) throws IOException {
        return Listener.createUnixServer(Asyncio.getRunningLoop(), protocolFactory, path, options);
    }

    /**
     * Opens a UDP endpoint bound to {@code localAddress} (null: an ephemeral port on every
     * interface) and, if {@code remoteAddress} is given, connected to it; unresolved host names
     * are resolved off the loop. asyncio's {@code loop.create_datagram_endpoint}.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param localAddress    where to bind, or null
     * @param remoteAddress   the peer to connect to, or null
     * @return the transport and the protocol, once {@code connectionMade} has run
     * @throws NullPointerException if {@code protocolFactory} is null
     * @throws IOException if an address cannot be resolved, bound or connected
     */
    public static <P extends DatagramProtocol> DatagramTransportAndProtocol<P> createDatagramEndpoint(
            Supplier<P> protocolFactory, SocketAddress localAddress,
            SocketAddress remoteAddress) throws IOException {
        return DatagramSocketTransport.create(Asyncio.getRunningLoop(), protocolFactory, localAddress, remoteAddress);
    }


    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} over {@code transport} and
     * returns how many were sent. On a plain socket transport the bytes go from the file to the
     * socket inside the kernel ({@link FileChannel#transferTo}, sendfile(2));
     * meanwhile the transport stops reading, its buffered writes go out first, and
     * {@code write()} throws. On a TLS transport the file is read in chunks off the loop and
     * written through the transport, waiting while it has paused writing. Either way the file's
     * position ends at {@code offset} plus the bytes sent (when any were), even if the call
     * fails or is cancelled. asyncio's {@code loop.sendfile(transport, file, offset, count)}.
     *
     * @param transport a socket or TLS transport, not closing
     * @param file      the file, open for reading
     * @param offset    where to start in the file, at least 0
     * @param count     how many bytes, at least 1 (fewer are sent if the file ends first)
     * @return the number of bytes sent
     * @throws NullPointerException if {@code transport} or {@code file} is null
     * @throws IllegalStateException         if the transport is closing, or a sendfile already
     *                                       runs on it
     * @throws UnsupportedOperationException for a transport that cannot send files (a pipe)
     * @throws IllegalArgumentException      for a negative offset or a count below 1
     * @throws IOException if the connection is reset or lost meanwhile
     *                     ({@link ConnectionResetException}), or reading the file or writing the
     *                     socket fails
     */
    public static long sendfile(Transport transport, FileChannel file, long offset,
            long count) throws IOException {
        return Sendfile.overTransport(Asyncio.getRunningLoop(), transport, file, offset, count);
    }

    /**
     * {@link #sendfile(Transport, FileChannel, long, long)}
     * from {@code offset} to the end of the file. asyncio's
     * {@code loop.sendfile(transport, file, offset)}.
     *
     * @param transport a socket or TLS transport, not closing
     * @param file      the file, open for reading
     * @param offset    where to start in the file, at least 0
     * @return the number of bytes sent
     * @throws NullPointerException if {@code transport} or {@code file} is null
     * @throws IOException if the connection is reset or lost meanwhile
     *                     ({@link ConnectionResetException}), or reading the file or writing the
     *                     socket fails
     */
    public static long sendfile(Transport transport, FileChannel file, long offset) throws IOException {
        return Sendfile.overTransport(Asyncio.getRunningLoop(), transport, file, offset,
                Sendfile.TO_EOF);
    }

    /**
     * {@link #sendfile(Transport, FileChannel, long, long)}
     * of the whole file. asyncio's {@code loop.sendfile(transport, file)}.
     *
     * @param transport a socket or TLS transport, not closing
     * @param file      the file, open for reading
     * @return the number of bytes sent
     * @throws NullPointerException if {@code transport} or {@code file} is null
     * @throws IOException if the connection is reset or lost meanwhile
     *                     ({@link ConnectionResetException}), or reading the file or writing the
     *                     socket fails
     */
    public static long sendfile(Transport transport, FileChannel file) throws IOException {
        return sendfile(transport, file, 0);
    }

    /**
     * Connects a new protocol from {@code protocolFactory} to {@code pipe}, the read end of a
     * pipe (a child process's stdout, say), and starts reading it: each chunk goes to
     * {@code dataReceived}, the pipe's end to {@code eofReceived} and then
     * {@code connectionLost(null)}; a read error goes to the loop's exception handler and then to
     * {@code connectionLost(error)}. A virtual thread does the blocking reads, one chunk ahead
     * at most, so a protocol that pauses reading stops the reads. asyncio's
     * {@code loop.connect_read_pipe(protocol_factory, pipe)}; its {@code connectionMade} has
     * run when this returns, as when asyncio's coroutine completes.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param pipe            the stream to read; the transport closes it
     * @return the read-only transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} or {@code pipe} is null
     * @throws IllegalStateException if no event loop runs on this thread
     */
    public static <P extends Protocol> TransportAndProtocol<P> connectReadPipe(Supplier<P> protocolFactory,
            InputStream pipe) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(pipe, "pipe");
        EventLoop loop = Asyncio.getRunningLoop();
        P protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        return new TransportAndProtocol<>(PipeReadTransport.open(loop, pipe, protocol, "jasyncio-read-pipe"), protocol);
    }

    /**
     * Connects a new protocol from {@code protocolFactory} to {@code pipe}, the write end of a
     * pipe (a child process's stdin, say): the returned transport's {@code write} buffers and
     * a virtual thread does the blocking writes, with the usual write-buffer water marks.
     * asyncio's {@code loop.connect_write_pipe(protocol_factory, pipe)}; its
     * {@code connectionMade} has run when this returns.
     *
     * @param <P>             the protocol type
     * @param protocolFactory makes the protocol
     * @param pipe            the stream to write; the transport closes it
     * @return the write-only transport and the protocol
     * @throws NullPointerException if {@code protocolFactory} or {@code pipe} is null
     * @throws IllegalStateException if no event loop runs on this thread
     */
    public static <P extends Protocol> TransportAndProtocol<P> connectWritePipe(Supplier<P> protocolFactory,
            OutputStream pipe) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(pipe, "pipe");
        EventLoop loop = Asyncio.getRunningLoop();
        P protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
        return new TransportAndProtocol<>(PipeWriteTransport.open(loop, pipe, protocol, "jasyncio-write-pipe"), protocol);
    }
}
