package org.jasyncio.streams;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.net.ConnectionOptions;
import org.jasyncio.net.Network;
import org.jasyncio.net.Server;
import org.jasyncio.net.ServerOptions;
import org.jasyncio.net.Transport;

/**
 * asyncio's {@code asyncio.streams} module functions: connections and servers that read
 * through a {@link StreamReader} and write through a {@link StreamWriter}, over TCP and over
 * Unix domain sockets. The options ({@code ssl}, {@code limit}, ...) come in a
 * {@link ConnectionOptions} or {@link ServerOptions}.
 *
 * <p>Every method acts on the event loop running the calling task and suspends that task;
 * call them from a task on the loop, never from another thread.
 */
public final class Streams {

    private Streams() {
    }

    /**
     * Opens a TCP connection and returns its reader and writer; the host name is resolved off
     * the loop. asyncio's {@code open_connection(host, port)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @return the reader and writer
     * @throws NullPointerException if {@code host} is null
     * @throws IllegalArgumentException if {@code host} is empty, or {@code port} is
     *                                  outside 0..65535
     * @throws IOException if the connection cannot be made: {@link java.net.UnknownHostException},
     *                     {@link java.net.ConnectException} (refused), ...
     */
    public static Connection openConnection(String host, int port) throws IOException {
        return openConnection(host, port, ConnectionOptions.DEFAULTS);
    }

    /**
     * {@link #openConnection(String, int)} with {@code options}: the reader's
     * {@link ConnectionOptions#limit() limit}, TLS ({@code ssl}, {@code serverHostname},
     * {@code sslHandshakeTimeout}; the call returns after the handshake) and the local
     * address. asyncio's {@code open_connection(host, port, limit=, ssl=, server_hostname=,
     * ssl_handshake_timeout=, local_addr=)}.
     *
     * @param host    a host name or IP literal
     * @param port    the port
     * @param options the options
     * @return the reader and writer
     * @throws IllegalArgumentException if {@code host} is empty, or {@code port} is
     *                                  outside 0..65535
     * @throws NullPointerException     if {@code host} or {@code options} is null
     * @throws IOException if the connection cannot be made: {@link java.net.UnknownHostException},
     *                     {@link java.net.ConnectException} (refused), ..., or with TLS a failed or
     *                     timed-out handshake ({@link javax.net.ssl.SSLException})
     */
    public static Connection openConnection(String host, int port, ConnectionOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        return open(options.limit(), protocol -> Network.createConnection(() -> protocol, host, port, options)
                .transport());
    }

    /**
     * Streams over {@code sock}, a channel connected by other code; it belongs to the
     * connection from then on. asyncio's {@code open_connection(sock=sock)}.
     *
     * @param sock the connected channel
     * @return the reader and writer
     * @throws NullPointerException if {@code sock} is null
     * @throws IllegalArgumentException if the channel is closed or not connected
     * @throws IllegalStateException    if a transport already uses it
     * @throws IOException if the channel cannot be switched to non-blocking mode or its addresses
     *                     read
     */
    public static Connection openConnection(SocketChannel sock) throws IOException {
        return open(ConnectionOptions.DEFAULT_LIMIT, protocol -> Network.createConnection(() -> protocol, sock)
                .transport());
    }

    /**
     * Starts a TCP server running {@code handler} as a new task per connection; port 0 binds
     * an ephemeral port ({@link Server#port()} tells which). asyncio's
     * {@code start_server(client_connected_cb, host, port)}.
     *
     * @param handler the client handler
     * @param host    the host to bind (null: every interface)
     * @param port    the port, 0 for an ephemeral one
     * @return the server, accepting
     * @throws NullPointerException if {@code handler} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     * @throws IOException if the host cannot be resolved or an address cannot be bound
     *                     ({@link java.net.BindException}: in use, ...)
     */
    public static Server startServer(ClientHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, ServerOptions.DEFAULTS);
    }

    /**
     * {@link #startServer(ClientHandler, String, int)} with {@code options}: each reader's
     * {@link ServerOptions#limit() limit}, TLS ({@code ssl}: the handler runs after each
     * handshake), the backlog, start-serving and socket options. asyncio's
     * {@code start_server(client_connected_cb, host, port, limit=, ssl=,
     * ssl_handshake_timeout=, backlog=, start_serving=, reuse_address=, reuse_port=,
     * keep_alive=)}.
     *
     * @param handler the client handler
     * @param host    the host to bind (null: every interface)
     * @param port    the port, 0 for an ephemeral one
     * @param options the options
     * @return the server, accepting unless {@link ServerOptions#startServing()} is false
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     * @throws NullPointerException     if {@code handler} or {@code options} is null
     * @throws IOException if the host cannot be resolved or an address cannot be bound
     *                     ({@link java.net.BindException}: in use, ...)
     */
    public static Server startServer(ClientHandler handler, String host, int port, ServerOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        return Network.createServer(protocols(handler, options.limit()), host, port, options);
    }

    /**
     * Serves {@code handler} on {@code sock}, a listening channel bound by other code;
     * closing the server closes it. asyncio's {@code start_server(cb, sock=sock)}.
     *
     * @param handler the client handler
     * @param sock    the bound channel
     * @return the server, accepting
     * @throws NullPointerException if {@code handler} or {@code sock} is null
     * @throws IllegalArgumentException if the channel is closed or not bound
     * @throws IOException if the channel cannot be switched to non-blocking mode
     */
    public static Server startServer(ClientHandler handler, ServerSocketChannel sock) throws IOException {
        return Network.createServer(protocols(handler, ConnectionOptions.DEFAULT_LIMIT), sock);
    }

    /**
     * Connects to the Unix domain socket at {@code path}. asyncio's
     * {@code open_unix_connection(path)}.
     *
     * @param path the socket file
     * @return the reader and writer
     * @throws NullPointerException if {@code path} is null
     * @throws IOException if the connection cannot be made ({@link java.net.ConnectException}: no
     *                     socket there, ...)
     */
    public static Connection openUnixConnection(Path path) throws IOException {
        return openUnixConnection(path, ConnectionOptions.DEFAULTS);
    }

    /**
     * {@link #openUnixConnection(Path)} with {@code options}: the reader's limit, and TLS,
     * which needs {@link ConnectionOptions#serverHostname()} here since a path names no host.
     * asyncio's {@code open_unix_connection(path, limit=, ssl=, server_hostname=,
     * ssl_handshake_timeout=)}.
     *
     * @param path    the socket file
     * @param options the options
     * @return the reader and writer (after the handshake with {@code ssl})
     * @throws IllegalArgumentException if {@code ssl} is set without {@code serverHostname},
     *                                  or {@code localAddress} is set (TCP only)
     * @throws NullPointerException     if an argument is null
     * @throws IOException if the connection cannot be made ({@link java.net.ConnectException}: no
     *                     socket there, ...), or with TLS a failed or timed-out handshake
     *                     ({@link javax.net.ssl.SSLException})
     */
    public static Connection openUnixConnection(Path path, ConnectionOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        return open(options.limit(), protocol -> Network.createUnixConnection(() -> protocol, path, options)
                .transport());
    }

    /**
     * Starts a Unix domain socket server running {@code handler} as a new task per
     * connection; closing the server removes the socket file. asyncio's
     * {@code start_unix_server(client_connected_cb, path)}.
     *
     * @param handler the client handler
     * @param path    the socket file to create
     * @return the server, accepting
     * @throws NullPointerException if {@code handler} or {@code path} is null
     * @throws IOException if the socket file cannot be bound ({@link java.net.BindException}: in
     *                     use, ...)
     */
    public static Server startUnixServer(ClientHandler handler, Path path) throws IOException {
        return startUnixServer(handler, path, ServerOptions.DEFAULTS);
    }

    /**
     * {@link #startUnixServer(ClientHandler, Path)} with {@code options}: each reader's limit,
     * TLS, the backlog and start-serving; the TCP socket options do not apply (see
     * {@link Network#createUnixServer(Supplier, Path, ServerOptions)}). asyncio's
     * {@code start_unix_server(client_connected_cb, path, limit=, ssl=,
     * ssl_handshake_timeout=, backlog=, start_serving=)}.
     *
     * @param handler the client handler
     * @param path    the socket file to create
     * @param options the options
     * @return the server, accepting unless {@link ServerOptions#startServing()} is false
     * @throws IllegalArgumentException if {@code reusePort} or {@code keepAlive} is set
     * @throws NullPointerException     if an argument is null
     * @throws IOException if the socket file cannot be bound ({@link java.net.BindException}: in
     *                     use, ...)
     */
    public static Server startUnixServer(ClientHandler handler, Path path, ServerOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        return Network.createUnixServer(protocols(handler, options.limit()), path, options);
    }

    /** Opens a connection driven by {@code protocol} and returns its transport. */
    @FunctionalInterface
    private interface Connect {
        Transport open(StreamReaderProtocol protocol) throws IOException;
    }

    /** A client's reader and writer over the transport {@code connect} opens for the protocol. */
    private static Connection open(int limit, Connect connect) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(limit, loop);
        StreamReaderProtocol protocol = new StreamReaderProtocol(reader, loop);
        Transport t = connect.open(protocol);
        return new Connection(reader, new StreamWriter(t, protocol, reader, loop));
    }

    /** A server's protocol factory: a reader and a handler task per connection. */
    private static Supplier<StreamReaderProtocol> protocols(ClientHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = Asyncio.getRunningLoop();
        return () -> new StreamReaderProtocol(new StreamReader(limit, loop), handler, loop);
    }
}
