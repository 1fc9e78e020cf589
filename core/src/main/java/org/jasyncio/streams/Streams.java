package org.jasyncio.streams;

import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.net.Server;
import org.jasyncio.net.Transport;
import org.jasyncio.net.Network;

/**
 * asyncio's {@code asyncio.streams} module functions. {@code Asyncio.openConnection} and
 * {@code Asyncio.startServer} delegate here; these add the {@code limit} and {@code ssl}
 * options, over TCP and over Unix domain sockets.
 */
public final class Streams {

    private Streams() {
    }

    /**
     * Opens a TCP connection and returns its reader and writer. asyncio's
     * {@code open_connection(host, port, limit=)}.
     *
     * @param host  a host name (resolved off the loop) or IP literal
     * @param port  the port
     * @param limit the reader's limit
     * @return the reader and writer
     */
    public static Connection openConnection(String host, int port, int limit) {
        return open(limit, (loop, protocol) -> Network.createConnection(() -> protocol, host, port).transport());
    }

    /**
     * Starts a TCP server running {@code handler} as a new task per connection. asyncio's
     * {@code start_server(cb, host, port, limit=)}.
     *
     * @param handler the client handler
     * @param host    the host to bind (null: every interface)
     * @param port    the port, 0 for an ephemeral one
     * @param limit   each reader's limit
     * @return the server, accepting
     */
    public static Server startServer(ClientHandler handler, String host, int port, int limit) {
        EventLoop loop = Asyncio.getRunningLoop();
        return Network.createServer(protocols(handler, limit, loop), host, port);
    }

    /**
     * {@link #openConnection(String, int, int)} over TLS. asyncio's
     * {@code open_connection(host, port, ssl=context)}.
     *
     * @param host a host name or IP literal (checked against the server's certificate)
     * @param port the port
     * @param ssl  the TLS context
     * @return the reader and writer, after the handshake
     */
    public static Connection openConnection(String host, int port, SSLContext ssl) {
        return open(StreamReader.DEFAULT_LIMIT,
                (loop, protocol) -> Network.createConnection(() -> protocol, host, port, ssl).transport());
    }

    /**
     * {@link #startServer(ClientHandler, String, int, int)} over TLS. asyncio's
     * {@code start_server(cb, host, port, ssl=context)}.
     *
     * @param handler the client handler, run after each handshake
     * @param host    the host to bind
     * @param port    the port
     * @param ssl     the TLS context
     * @return the server, accepting
     */
    public static Server startServer(ClientHandler handler, String host, int port, SSLContext ssl) {
        EventLoop loop = Asyncio.getRunningLoop();
        return Network.createServer(protocols(handler, StreamReader.DEFAULT_LIMIT, loop), host, port, ssl);
    }

    /**
     * Streams over {@code sock}, a channel connected by other code; it belongs to the
     * connection from then on. asyncio's {@code open_connection(sock=sock)}.
     *
     * @param sock the connected channel
     * @return the reader and writer
     * @throws IllegalArgumentException if the channel is closed or not connected
     */
    public static Connection openConnection(SocketChannel sock) {
        return open(StreamReader.DEFAULT_LIMIT, (loop, protocol) -> Network.createConnection(() -> protocol, sock).transport());
    }

    /**
     * Serves {@code handler} on {@code sock}, a listening channel bound by other code;
     * closing the server closes it. asyncio's {@code start_server(cb, sock=sock)}.
     *
     * @param handler the client handler
     * @param sock    the bound channel
     * @return the server, accepting
     * @throws IllegalArgumentException if the channel is closed or not bound
     */
    public static Server startServer(ClientHandler handler, ServerSocketChannel sock) {
        EventLoop loop = Asyncio.getRunningLoop();
        return Network.createServer(protocols(handler, StreamReader.DEFAULT_LIMIT, loop), sock);
    }

    /**
     * Connects to a Unix domain socket. asyncio's {@code open_unix_connection(path)}.
     *
     * @param path  the socket file
     * @param limit the reader's limit
     * @return the reader and writer
     */
    public static Connection openUnixConnection(Path path, int limit) {
        return open(limit, (loop, protocol) -> Network.createUnixConnection(() -> protocol, path).transport());
    }

    /**
     * Starts a Unix domain socket server. asyncio's {@code start_unix_server(cb, path)}.
     *
     * @param handler the client handler
     * @param path    the socket file to create (removed when the server closes)
     * @param limit   each reader's limit
     * @return the server, accepting
     */
    public static Server startUnixServer(ClientHandler handler, Path path, int limit) {
        EventLoop loop = Asyncio.getRunningLoop();
        return Network.createUnixServer(protocols(handler, limit, loop), path);
    }

    /**
     * {@link #openUnixConnection(Path, int)} over TLS. asyncio's
     * {@code open_unix_connection(path, ssl=context, server_hostname=name)}.
     *
     * @param path           the socket file
     * @param ssl            the TLS context
     * @param serverHostname the name the server's certificate must carry (required: a path
     *                       names no host)
     * @return the reader and writer, after the handshake
     * @throws IllegalArgumentException if {@code serverHostname} is null
     */
    public static Connection openUnixConnection(Path path, SSLContext ssl, String serverHostname) {
        return open(StreamReader.DEFAULT_LIMIT,
                (loop, protocol) -> Network.createUnixConnection(() -> protocol, path, ssl, serverHostname).transport());
    }

    /**
     * {@link #startUnixServer(ClientHandler, Path, int)} over TLS. asyncio's
     * {@code start_unix_server(cb, path, ssl=context)}.
     *
     * @param handler the client handler, run after each handshake
     * @param path    the socket file to create (removed when the server closes)
     * @param ssl     the TLS context
     * @return the server, accepting
     */
    public static Server startUnixServer(ClientHandler handler, Path path, SSLContext ssl) {
        EventLoop loop = Asyncio.getRunningLoop();
        return Network.createUnixServer(protocols(handler, StreamReader.DEFAULT_LIMIT, loop), path, ssl);
    }

    /** A client's reader and writer over the transport {@code connect} opens for the protocol. */
    private static Connection open(int limit, BiFunction<EventLoop, StreamReaderProtocol, Transport> connect) {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(limit, loop);
        StreamReaderProtocol protocol = new StreamReaderProtocol(reader, loop);
        Transport t = connect.apply(loop, protocol);
        return new Connection(reader, new StreamWriter(t, protocol, reader, loop));
    }

    /** A server's protocol factory: a reader and a handler task per connection. */
    private static Supplier<StreamReaderProtocol> protocols(ClientHandler handler, int limit, EventLoop loop) {
        return () -> new StreamReaderProtocol(new StreamReader(limit, loop), handler, loop);
    }
}
