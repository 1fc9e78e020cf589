package org.jasyncio.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jasyncio.EventLoop;
import org.jasyncio.internal.Rethrow;

/**
 * Opens listening servers: asyncio's {@code create_server} and {@code create_unix_server}.
 * Binds every address the host resolves to (null or empty: every interface), with
 * {@code SO_REUSEADDR} as asyncio sets it on POSIX; with port 0 the first bind picks the
 * ephemeral port and the others reuse it, so {@link Server#port()} means one port.
 */
final class Listener {

    /** asyncio's default backlog. */
    static final int DEFAULT_BACKLOG = 100;

    /** The file-type bits of a Unix mode, and the type of a socket (S_IFMT, S_IFSOCK). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private Listener() {
    }

    /** asyncio's {@code loop.create_server(protocol_factory, host, port, backlog=, start_serving=)}. */
    static Server createServer(EventLoop loop, Supplier<? extends Protocol> factory, String host, int port,
            int backlog, boolean startServing) {
        return createServer(loop, factory, host, port, backlog, startServing, null);
    }

    /** {@code create_server} with asyncio's {@code ssl=}: each connection runs TLS, server side. */
    static Server createServer(EventLoop loop, Supplier<? extends Protocol> factory, String host, int port,
            int backlog, boolean startServing, SSLContext ssl) {
        Connector.checkPort(port);
        checkBacklog(backlog);
        List<InetAddress> addresses = host == null || host.isEmpty() ? List.of(wildcard())
                : HostResolver.resolve(loop, host);
        List<ServerSocketChannel> channels = new ArrayList<>();
        try {
            int boundPort = port;
            for (InetAddress a : addresses) {
                ServerSocketChannel ch = ServerSocketChannel.open();
                channels.add(ch);
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(a, boundPort), backlog);
                boundPort = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            }
        } catch (Throwable t) {
            channels.forEach(SocketServer::closeQuietly);
            throw Rethrow.unchecked(t);
        }
        return open(new SocketServer(loop, channels, factory, backlog, null, ssl), startServing);
    }

    /**
     * asyncio's {@code loop.create_server(protocol_factory, sock=sock)}: serves on a channel
     * bound elsewhere (in Java, binding also listens), switched to non-blocking mode; closing
     * the server closes it.
     */
    static Server serveOn(EventLoop loop, Supplier<? extends Protocol> factory, ServerSocketChannel sock,
            int backlog, boolean startServing) {
        if (sock == null) {
            throw new NullPointerException("sock");
        }
        checkBacklog(backlog);
        try {
            if (!sock.isOpen()) {
                throw new IllegalArgumentException("the channel is closed: " + sock);
            }
            if (sock.getLocalAddress() == null) {
                throw new IllegalArgumentException("the channel must be bound: " + sock);
            }
            sock.configureBlocking(false);
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
        return open(new SocketServer(loop, new ArrayList<>(List.of(sock)), factory, backlog, null, null), startServing);
    }

    /**
     * asyncio's {@code loop.create_unix_server(protocol_factory, path)}: a stale socket file at
     * {@code path} is replaced; closing the server removes the file it bound.
     */
    static Server createUnixServer(EventLoop loop, Supplier<? extends Protocol> factory, Path path, int backlog,
            boolean startServing) {
        return createUnixServer(loop, factory, path, backlog, startServing, null);
    }

    /** {@code create_unix_server} with asyncio's {@code ssl=}: each connection runs TLS, server side. */
    static Server createUnixServer(EventLoop loop, Supplier<? extends Protocol> factory, Path path, int backlog,
            boolean startServing, SSLContext ssl) {
        removeStaleSocketFile(path);
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.configureBlocking(false);
            ch.bind(UnixDomainSocketAddress.of(path), backlog);
        } catch (Throwable t) {
            if (ch != null) {
                SocketServer.closeQuietly(ch);
            }
            throw Rethrow.unchecked(t);
        }
        return open(new SocketServer(loop, new ArrayList<>(List.of(ch)), factory, backlog, path, ssl), startServing);
    }

    /**
     * As asyncio's {@code create_unix_server} does before binding: if a socket file (left by a
     * server that did not remove it) is at {@code path}, removes it; anything else there stays,
     * and the bind then fails with "Address already in use".
     */
    private static void removeStaleSocketFile(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // nothing there, or no way to tell: let bind decide
        }
    }

    private static void checkBacklog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
    }

    /** Starts accepting now if asked (asyncio's {@code start_serving=True}). */
    private static Server open(SocketServer server, boolean startServing) {
        if (startServing) {
            server.startServing();
        }
        return server;
    }

    private static InetAddress wildcard() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
