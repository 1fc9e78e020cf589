package org.jasyncio.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.internal.Rethrow;
import javax.net.ssl.SSLContext;

/**
 * Opens client connections: asyncio's {@code create_connection} and
 * {@code create_unix_connection}. Resolves the host off the loop, tries each address in turn
 * (the first error is thrown, the others added as suppressed), then wraps the connected
 * channel in a {@link SocketTransport} and returns once {@code connectionMade} has run.
 */
final class Connector {

    private Connector() {
    }

    /**
     * asyncio's {@code loop.create_connection(protocol_factory, host, port, ssl=,
     * server_hostname=, ssl_handshake_timeout=, local_addr=)}: with a TLS context, TLS runs
     * over the connection and this returns after the handshake; {@code serverHostname}
     * defaults to {@code host}. Everything is checked before a socket is opened.
     */
    static <P extends Protocol> TransportAndProtocol<P> createConnection(EventLoop loop, Supplier<P> factory,
            String host, int port, ConnectionOptions options) {
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: a host name or address is required");
        }
        checkPort(port);
        List<InetAddress> addresses = HostResolver.resolve(loop, host);
        InetSocketAddress local = options.localAddress();
        List<InetAddress> locals = local == null ? null
                : local.isUnresolved() ? HostResolver.resolve(loop, local.getHostString()) : List.of(local.getAddress());
        SocketChannel connected = null;
        Exception first = null;
        for (InetAddress a : addresses) {
            SocketChannel ch = open(null);
            try {
                if (locals != null) {
                    ch.bind(localFor(locals, local.getPort(), a));
                }
                SocketOperations.connect(loop, ch, new InetSocketAddress(a, port));
                connected = ch;
                break;
            } catch (Throwable t) {
                SocketServer.closeQuietly(ch);
                if (!(t instanceof IOException io)) {
                    throw Rethrow.unchecked(t);
                }
                if (first == null) {
                    first = io;
                } else {
                    first.addSuppressed(io);
                }
            }
        }
        if (connected == null) {
            throw Rethrow.unchecked(first);
        }
        if (options.ssl() == null) {
            return onChannel(loop, connected, factory);
        }
        return onChannelTls(loop, connected, factory, options.ssl(),
                options.serverHostname() != null ? options.serverHostname() : host, options.sslHandshakeTimeout());
    }

    /**
     * The local address to bind for a connection to {@code remote}: the first of
     * {@code locals} of the same family (asyncio skips the others too).
     *
     * @throws SocketException if none is of that family
     */
    private static InetSocketAddress localFor(List<InetAddress> locals, int port, InetAddress remote)
            throws SocketException {
        for (InetAddress l : locals) {
            if (l.getClass() == remote.getClass()) {
                return new InetSocketAddress(l, port);
            }
        }
        throw new SocketException("localAddress: no address of the family of " + remote.getHostAddress()
                + " among " + locals);
    }

    /** TLS over a connected channel: returns after the handshake. */
    static <P extends Protocol> TransportAndProtocol<P> onChannelTls(EventLoop loop, SocketChannel ch,
            Supplier<P> factory, SSLContext ssl, String serverHostname, Duration handshakeTimeout) {
        P protocol;
        try {
            protocol = factory.get();
        } catch (Throwable t) {
            SocketServer.closeQuietly(ch);
            throw t;
        }
        SslProtocol tls = new SslProtocol(loop, ssl, false, serverHostname, handshakeTimeout, protocol, true);
        TransportAndProtocol<SslProtocol> raw = onChannel(loop, ch, () -> tls);
        try {
            tls.handshake().await();
        } catch (Throwable t) {
            raw.transport().abort();
            throw Rethrow.unchecked(t);
        }
        return new TransportAndProtocol<>(tls.appTransport(), protocol);
    }

    /**
     * asyncio's {@code loop.start_tls(transport, protocol, sslcontext, server_side=,
     * server_hostname=)}: upgrades a plain connection in place and returns the TLS transport
     * once the handshake is done (within asyncio's default 60 seconds); {@code protocol} then
     * gets the plaintext. On failure the connection is closed.
     */
    static Transport startTls(EventLoop loop, Transport transport, Protocol protocol, SSLContext ssl,
            boolean serverSide, String serverHostname) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(ssl, "ssl");
        if (transport.isClosing()) {
            throw new IllegalStateException("startTls() on a closed transport");
        }
        SslProtocol tls = new SslProtocol(loop, ssl, serverSide, serverHostname,
                ConnectionOptions.DEFAULT_SSL_HANDSHAKE_TIMEOUT, protocol, false);
        transport.pauseReading();
        transport.setProtocol(tls);
        tls.connectionMade(transport);
        transport.resumeReading();
        try {
            tls.handshake().await();
        } catch (Throwable t) {
            transport.abort();
            throw Rethrow.unchecked(t);
        }
        return tls.appTransport();
    }

    /**
     * asyncio's {@code loop.create_unix_connection(protocol_factory, path, ssl=,
     * server_hostname=, ssl_handshake_timeout=)}: a socket path names no host, so with a
     * context {@code serverHostname} is required (asyncio raises ValueError without it), and a
     * local TCP address has no meaning. Everything is checked before a socket is opened.
     */
    static <P extends Protocol> TransportAndProtocol<P> createUnixConnection(EventLoop loop, Supplier<P> factory,
            Path path, ConnectionOptions options) {
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (options.localAddress() != null) {
            throw new IllegalArgumentException("localAddress: a Unix connection cannot bind a TCP address");
        }
        SSLContext ssl = options.ssl();
        if (ssl != null && options.serverHostname() == null) {
            throw new IllegalArgumentException(
                    "serverHostname: you have to pass serverHostname when using ssl over a Unix socket");
        }
        SocketChannel ch = open(StandardProtocolFamily.UNIX);
        try {
            SocketOperations.connect(loop, ch, UnixDomainSocketAddress.of(path));
        } catch (Throwable t) {
            SocketServer.closeQuietly(ch);
            throw Rethrow.unchecked(t);
        }
        return ssl == null ? onChannel(loop, ch, factory)
                : onChannelTls(loop, ch, factory, ssl, options.serverHostname(), options.sslHandshakeTimeout());
    }

    /**
     * asyncio's {@code create_connection(protocol_factory, sock=sock)} and
     * {@code connect_accepted_socket} (the same without TLS): wraps a channel connected
     * elsewhere, switched to non-blocking mode; the transport owns it from then on. A channel
     * another transport still holds, even one closing, is refused: that transport would close
     * it under the new one.
     */
    static <P extends Protocol> TransportAndProtocol<P> wrapConnected(EventLoop loop, Supplier<P> factory,
            SocketChannel sock) {
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(sock, "sock");
        if (!sock.isOpen()) {
            throw new IllegalArgumentException("the channel is closed: " + sock);
        }
        if (!sock.isConnected()) {
            throw new IllegalArgumentException("the channel must be connected: " + sock);
        }
        SocketTransport owner = SocketTransport.owner(loop, sock);
        if (owner != null) {
            throw new IllegalStateException("the channel is already used by transport " + owner);
        }
        try {
            sock.configureBlocking(false);
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
        return onChannel(loop, sock, factory);
    }

    /** Wraps a connected channel; the channel is closed if that fails or is cancelled. */
    static <P extends Protocol> TransportAndProtocol<P> onChannel(EventLoop loop, SocketChannel ch, Supplier<P> factory) {
        SocketTransport transport = null;
        try {
            P protocol = factory.get();
            Future<Void> waiter = loop.createFuture();
            transport = new SocketTransport(loop, ch, protocol, null, waiter);
            waiter.await();
            return new TransportAndProtocol<>(transport, protocol);
        } catch (Throwable t) {
            if (transport != null) {
                transport.abort();
            } else {
                SocketServer.closeQuietly(ch);
            }
            throw Rethrow.unchecked(t);
        }
    }

    static SocketChannel open(StandardProtocolFamily family) {
        try {
            SocketChannel ch = family == null ? SocketChannel.open() : SocketChannel.open(family);
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
    }

    /** A printable address for messages. */
    static String describe(SocketAddress a) {
        return a instanceof UnixDomainSocketAddress u ? u.getPath().toString() : String.valueOf(a);
    }
}
