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
import java.util.Objects;
import java.util.function.Supplier;
import org.jasyncio.EventLoop;
import org.jasyncio.internal.Rethrow;

/**
 * Opens listening servers: asyncio's {@code create_server} and {@code create_unix_server}.
 * Binds every address the host resolves to (null or empty: every interface), with the socket
 * options of {@link ServerOptions} ({@code SO_REUSEADDR} on by default, as asyncio sets it on
 * POSIX); with port 0 the first bind picks the ephemeral port and the others reuse it, so
 * {@link Server#port()} means one port.
 */
final class Listener {

    /** The file-type bits of a Unix mode, and the type of a socket (S_IFMT, S_IFSOCK). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private Listener() {
    }

    /**
     * asyncio's {@code loop.create_server(protocol_factory, host, port, ssl=,
     * ssl_handshake_timeout=, backlog=, start_serving=, reuse_address=, reuse_port=,
     * keep_alive=)}. Everything is checked before a socket is opened.
     */
    static Server createServer(EventLoop loop, Supplier<? extends Protocol> factory, String host, int port,
            ServerOptions options) {
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        Connector.checkPort(port);
        List<InetAddress> addresses = host == null || host.isEmpty() ? List.of(wildcard())
                : HostResolver.resolve(loop, host);
        List<ServerSocketChannel> channels = new ArrayList<>();
        try {
            int boundPort = port;
            for (InetAddress a : addresses) {
                ServerSocketChannel ch = ServerSocketChannel.open();
                channels.add(ch);
                ch.configureBlocking(false);
                // Set either way: the JDK turns SO_REUSEADDR on by itself on POSIX.
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                if (options.reusePort()) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                ch.bind(new InetSocketAddress(a, boundPort), options.backlog());
                boundPort = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            }
        } catch (Throwable t) {
            channels.forEach(SocketServer::closeQuietly);
            throw Rethrow.unchecked(t);
        }
        return open(new SocketServer(loop, channels, factory, options, null), options.startServing());
    }

    /**
     * asyncio's {@code loop.create_server(protocol_factory, sock=sock)}: serves on a channel
     * bound elsewhere (in Java, binding also listens), switched to non-blocking mode; closing
     * the server closes it. The default options apply.
     */
    static Server serveOn(EventLoop loop, Supplier<? extends Protocol> factory, ServerSocketChannel sock) {
        Objects.requireNonNull(factory, "protocolFactory");
        if (sock == null) {
            throw new NullPointerException("sock");
        }
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
        ServerOptions options = ServerOptions.DEFAULTS;
        return open(new SocketServer(loop, new ArrayList<>(List.of(sock)), factory, options, null),
                options.startServing());
    }

    /**
     * asyncio's {@code loop.create_unix_server(protocol_factory, path, ssl=,
     * ssl_handshake_timeout=, backlog=, start_serving=)}: a stale socket file at {@code path}
     * is replaced; closing the server removes the file it bound. The TCP socket options have no
     * meaning here: {@code reusePort} and {@code keepAlive} are refused, {@code reuseAddress}
     * is ignored. Everything is checked before a socket is opened.
     */
    static Server createUnixServer(EventLoop loop, Supplier<? extends Protocol> factory, Path path,
            ServerOptions options) {
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (options.reusePort()) {
            throw new IllegalArgumentException("reusePort: a Unix server has no port to share (TCP only)");
        }
        if (options.keepAlive()) {
            throw new IllegalArgumentException("keepAlive: Unix connections have no keep-alive probes (TCP only)");
        }
        removeStaleSocketFile(path);
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.configureBlocking(false);
            ch.bind(UnixDomainSocketAddress.of(path), options.backlog());
        } catch (Throwable t) {
            if (ch != null) {
                SocketServer.closeQuietly(ch);
            }
            throw Rethrow.unchecked(t);
        }
        return open(new SocketServer(loop, new ArrayList<>(List.of(ch)), factory, options, path),
                options.startServing());
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
