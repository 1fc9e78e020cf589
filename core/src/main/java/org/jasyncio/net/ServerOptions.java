package org.jasyncio.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The options of a listening server: the keyword arguments of asyncio's
 * {@code loop.create_server}, {@code loop.create_unix_server}, {@code asyncio.start_server}
 * and {@code asyncio.start_unix_server} that Java can honour. Immutable: start from
 * {@link #DEFAULTS} and chain {@code withX} calls, each returning a copy.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.DEFAULTS.withReusePort(true).withBacklog(1000);
 * Server server = Network.createServer(MyProtocol::new, "0.0.0.0", 8080, options);
 * }</pre>
 *
 * <p>Every option is checked when it is set (by a {@code withX} method or the constructor),
 * so a server never starts with a bad one; the exception names the option. Since
 * {@code sslHandshakeTimeout} only means something with TLS, set {@code ssl} first. Instances
 * are safe to share between threads and loops.
 *
 * @param ssl                 asyncio's {@code ssl}: the TLS context whose key managers hold the
 *                            server's certificate, or null for plain connections
 * @param sslHandshakeTimeout asyncio's {@code ssl_handshake_timeout}: how long each
 *                            connection's TLS handshake may take before that connection is
 *                            aborted; positive; 60 seconds by default, as asyncio's
 * @param backlog             asyncio's {@code backlog}: the listen queue's length, and the most
 *                            connections accepted per wake-up; at least 1, 100 by default
 * @param startServing        asyncio's {@code start_serving}: whether to accept at once (the
 *                            default) or only from {@link Server#startServing()} or
 *                            {@link Server#serveForever()}
 * @param reuseAddress        asyncio's {@code reuse_address}: set {@code SO_REUSEADDR} on the
 *                            listening sockets, so a port in TIME_WAIT can be bound again; true
 *                            by default, as asyncio's on POSIX. TCP only: a Unix server ignores
 *                            it (it replaces a stale socket file instead)
 * @param reusePort           asyncio's {@code reuse_port}: set {@code SO_REUSEPORT}, so several
 *                            sockets may bind the same port and the system spreads the
 *                            connections among them; false by default. TCP only, and only where
 *                            the platform supports it
 * @param keepAlive           asyncio's {@code keep_alive}: set {@code SO_KEEPALIVE} on every
 *                            accepted connection, so the system probes idle peers; false by
 *                            default. TCP only
 * @param limit               asyncio's {@code limit} of {@code start_server}: each connection's
 *                            {@code StreamReader} line and buffer limit in bytes, positive; the
 *                            streams entry points use it, the protocol-level calls of
 *                            {@link Network} ignore it
 */
public record ServerOptions(SSLContext ssl, Duration sslHandshakeTimeout, int backlog, boolean startServing,
        boolean reuseAddress, boolean reusePort, boolean keepAlive, int limit) {

    /** asyncio's default {@code backlog}: 100. */
    public static final int DEFAULT_BACKLOG = 100;

    /**
     * asyncio's defaults: no TLS, a 60-second handshake timeout when TLS is set, a backlog of
     * 100, serving at once, {@code SO_REUSEADDR} on, {@code SO_REUSEPORT} and
     * {@code SO_KEEPALIVE} off, a 64 KiB stream limit.
     */
    public static final ServerOptions DEFAULTS = new ServerOptions(null,
            ConnectionOptions.DEFAULT_SSL_HANDSHAKE_TIMEOUT, DEFAULT_BACKLOG, true, true, false, false,
            ConnectionOptions.DEFAULT_LIMIT);

    /**
     * Checks the options; see the class description for each.
     *
     * @throws NullPointerException          if {@code sslHandshakeTimeout} is null
     * @throws IllegalArgumentException      if {@code sslHandshakeTimeout} is not positive,
     *                                       {@code backlog} is below 1, or {@code limit} is not
     *                                       positive
     * @throws UnsupportedOperationException if {@code reusePort} is true on a platform without
     *                                       {@code SO_REUSEPORT}
     * @throws UncheckedIOException          if {@code reusePort} is true and no socket could be
     *                                       opened to find out whether the platform supports it
     */
    public ServerOptions {
        Objects.requireNonNull(sslHandshakeTimeout, "sslHandshakeTimeout");
        if (sslHandshakeTimeout.isNegative() || sslHandshakeTimeout.isZero()) {
            throw new IllegalArgumentException("sslHandshakeTimeout must be positive: " + sslHandshakeTimeout);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (reusePort && !reusePortSupported()) {
            throw new UnsupportedOperationException("reusePort: SO_REUSEPORT is not supported on this platform ("
                    + System.getProperty("os.name") + ")");
        }
    }

    /** Whether listening sockets support SO_REUSEPORT here, once known. */
    private static volatile Boolean reusePortSupported;

    /**
     * Whether listening sockets support SO_REUSEPORT here: asked of the JDK (a socket opened
     * and closed at once) the first time, then remembered.
     */
    static boolean reusePortSupported() {
        Boolean known = reusePortSupported;
        if (known == null) {
            try (ServerSocketChannel ch = ServerSocketChannel.open()) {
                known = ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
            } catch (IOException e) {
                throw new UncheckedIOException("reusePort: cannot tell whether SO_REUSEPORT is supported", e);
            }
            reusePortSupported = known;
        }
        return known;
    }

    /**
     * Each connection runs TLS, server side, with {@code ssl}. asyncio's {@code ssl=context}.
     *
     * @param ssl the TLS context; its key managers hold the certificate
     * @return a copy with {@code ssl} set
     * @throws NullPointerException if {@code ssl} is null
     */
    public ServerOptions withSsl(SSLContext ssl) {
        Objects.requireNonNull(ssl, "ssl");
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }

    /**
     * How long each connection's TLS handshake may take. asyncio's
     * {@code ssl_handshake_timeout}.
     *
     * @param sslHandshakeTimeout the time allowed, positive
     * @return a copy with {@code sslHandshakeTimeout} set
     * @throws NullPointerException     if {@code sslHandshakeTimeout} is null
     * @throws IllegalArgumentException if {@code ssl} is not set, or the duration is not positive
     */
    public ServerOptions withSslHandshakeTimeout(Duration sslHandshakeTimeout) {
        Objects.requireNonNull(sslHandshakeTimeout, "sslHandshakeTimeout");
        if (ssl == null) {
            throw new IllegalArgumentException("sslHandshakeTimeout is only meaningful with ssl: set ssl first");
        }
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }

    /**
     * The listen backlog. asyncio's {@code backlog}.
     *
     * @param backlog the queue length, at least 1
     * @return a copy with {@code backlog} set
     * @throws IllegalArgumentException if {@code backlog} is below 1
     */
    public ServerOptions withBacklog(int backlog) {
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }

    /**
     * Whether the server accepts at once. asyncio's {@code start_serving}.
     *
     * @param startServing false to wait for {@link Server#startServing()} or
     *                     {@link Server#serveForever()}
     * @return a copy with {@code startServing} set
     */
    public ServerOptions withStartServing(boolean startServing) {
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }

    /**
     * Whether to set {@code SO_REUSEADDR} on the listening sockets. asyncio's
     * {@code reuse_address}.
     *
     * @param reuseAddress the setting
     * @return a copy with {@code reuseAddress} set
     */
    public ServerOptions withReuseAddress(boolean reuseAddress) {
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }

    /**
     * Whether to set {@code SO_REUSEPORT} on the listening sockets. asyncio's
     * {@code reuse_port}.
     *
     * @param reusePort the setting
     * @return a copy with {@code reusePort} set
     * @throws UnsupportedOperationException if {@code reusePort} is true and the platform has
     *                                       no {@code SO_REUSEPORT}
     */
    public ServerOptions withReusePort(boolean reusePort) {
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }

    /**
     * Whether to set {@code SO_KEEPALIVE} on accepted connections. asyncio's
     * {@code keep_alive}.
     *
     * @param keepAlive the setting
     * @return a copy with {@code keepAlive} set
     */
    public ServerOptions withKeepAlive(boolean keepAlive) {
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }

    /**
     * Each connection's stream reader limit, for the streams entry points. asyncio's
     * {@code limit}.
     *
     * @param limit the line and buffer limit in bytes, positive
     * @return a copy with {@code limit} set
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public ServerOptions withLimit(int limit) {
        return new ServerOptions(ssl, sslHandshakeTimeout, backlog, startServing, reuseAddress, reusePort, keepAlive,
                limit);
    }
}
