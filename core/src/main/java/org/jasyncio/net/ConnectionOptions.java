package org.jasyncio.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The options of a client connection: the keyword arguments of asyncio's
 * {@code loop.create_connection}, {@code loop.create_unix_connection},
 * {@code asyncio.open_connection} and {@code asyncio.open_unix_connection} that Java can
 * honour. Immutable: start from {@link #DEFAULTS} and chain {@code withX} calls, each returning
 * a copy.
 *
 * <pre>{@code
 * ConnectionOptions tls = ConnectionOptions.DEFAULTS
 *         .withSsl(context)
 *         .withSslHandshakeTimeout(Duration.ofSeconds(5));
 * TransportAndProtocol<MyProtocol> c = Network.createConnection(MyProtocol::new, "example.com", 443, tls);
 * }</pre>
 *
 * <p>Every option is checked when it is set (by a {@code withX} method or the constructor),
 * so a connection never starts with a bad one; the exception names the option. Since
 * {@code serverHostname} and {@code sslHandshakeTimeout} only mean something with TLS, set
 * {@code ssl} first. Instances are safe to share between threads and loops.
 *
 * @param ssl                 asyncio's {@code ssl}: the TLS context whose trust managers check
 *                            the server, or null for a plain connection
 * @param serverHostname      asyncio's {@code server_hostname}: the name the server's
 *                            certificate must carry (and the SNI name sent), or null to use
 *                            the host connected to; a Unix connection over TLS requires it.
 *                            Only with {@code ssl}
 * @param sslHandshakeTimeout asyncio's {@code ssl_handshake_timeout}: how long the TLS
 *                            handshake may take before the connection is aborted and the call
 *                            fails with {@link javax.net.ssl.SSLHandshakeException}; positive;
 *                            60 seconds by default, as asyncio's
 * @param localAddress        asyncio's {@code local_addr}: the address and port to bind the
 *                            client socket to before connecting (port 0: any), or null to let
 *                            the system choose; an unresolved host name is resolved off the
 *                            loop. TCP only
 * @param limit               asyncio's {@code limit} of {@code open_connection}: the
 *                            {@code StreamReader}'s line and buffer limit in bytes, positive; the
 *                            streams entry points use it, the protocol-level calls of
 *                            {@link Network} ignore it
 */
public record ConnectionOptions(SSLContext ssl, String serverHostname, Duration sslHandshakeTimeout,
        InetSocketAddress localAddress, int limit) {

    /** asyncio's {@code SSL_HANDSHAKE_TIMEOUT}: 60 seconds. */
    public static final Duration DEFAULT_SSL_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    /** asyncio's streams {@code _DEFAULT_LIMIT}: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    /**
     * asyncio's defaults: no TLS, the server's host name checked against its certificate when
     * TLS is set, a 60-second handshake timeout, no local bind, a 64 KiB stream limit.
     */
    public static final ConnectionOptions DEFAULTS =
            new ConnectionOptions(null, null, DEFAULT_SSL_HANDSHAKE_TIMEOUT, null, DEFAULT_LIMIT);

    /**
     * Checks the options; see the class description for each.
     *
     * @throws NullPointerException     if {@code sslHandshakeTimeout} is null
     * @throws IllegalArgumentException if {@code serverHostname} is set without {@code ssl} or
     *                                  is empty, {@code sslHandshakeTimeout} is not positive, or
     *                                  {@code limit} is not positive
     */
    public ConnectionOptions {
        Objects.requireNonNull(sslHandshakeTimeout, "sslHandshakeTimeout");
        if (serverHostname != null) {
            if (ssl == null) {
                throw new IllegalArgumentException("serverHostname is only meaningful with ssl: set ssl first");
            }
            if (serverHostname.isEmpty()) {
                throw new IllegalArgumentException("serverHostname must not be empty");
            }
        }
        if (sslHandshakeTimeout.isNegative() || sslHandshakeTimeout.isZero()) {
            throw new IllegalArgumentException("sslHandshakeTimeout must be positive: " + sslHandshakeTimeout);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }

    /**
     * These options over TLS with {@code ssl}. asyncio's {@code ssl=context}.
     *
     * @param ssl the TLS context; its trust managers check the server
     * @return a copy with {@code ssl} set
     * @throws NullPointerException if {@code ssl} is null
     */
    public ConnectionOptions withSsl(SSLContext ssl) {
        Objects.requireNonNull(ssl, "ssl");
        return new ConnectionOptions(ssl, serverHostname, sslHandshakeTimeout, localAddress, limit);
    }

    /**
     * The name the server's certificate must carry, instead of the host connected to.
     * asyncio's {@code server_hostname}.
     *
     * @param serverHostname the name, not empty
     * @return a copy with {@code serverHostname} set
     * @throws NullPointerException     if {@code serverHostname} is null
     * @throws IllegalArgumentException if {@code ssl} is not set, or the name is empty
     */
    public ConnectionOptions withServerHostname(String serverHostname) {
        Objects.requireNonNull(serverHostname, "serverHostname");
        return new ConnectionOptions(ssl, serverHostname, sslHandshakeTimeout, localAddress, limit);
    }

    /**
     * How long the TLS handshake may take. asyncio's {@code ssl_handshake_timeout}.
     *
     * @param sslHandshakeTimeout the time allowed, positive
     * @return a copy with {@code sslHandshakeTimeout} set
     * @throws NullPointerException     if {@code sslHandshakeTimeout} is null
     * @throws IllegalArgumentException if {@code ssl} is not set, or the duration is not positive
     */
    public ConnectionOptions withSslHandshakeTimeout(Duration sslHandshakeTimeout) {
        Objects.requireNonNull(sslHandshakeTimeout, "sslHandshakeTimeout");
        if (ssl == null) {
            throw new IllegalArgumentException("sslHandshakeTimeout is only meaningful with ssl: set ssl first");
        }
        return new ConnectionOptions(ssl, serverHostname, sslHandshakeTimeout, localAddress, limit);
    }

    /**
     * Binds the client socket to {@code localAddress} before connecting. asyncio's
     * {@code local_addr}.
     *
     * @param localAddress the local address and port (port 0: any free one)
     * @return a copy with {@code localAddress} set
     * @throws NullPointerException if {@code localAddress} is null
     */
    public ConnectionOptions withLocalAddress(InetSocketAddress localAddress) {
        Objects.requireNonNull(localAddress, "localAddress");
        return new ConnectionOptions(ssl, serverHostname, sslHandshakeTimeout, localAddress, limit);
    }

    /**
     * The stream reader's limit, for the streams entry points. asyncio's {@code limit}.
     *
     * @param limit the line and buffer limit in bytes, positive
     * @return a copy with {@code limit} set
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public ConnectionOptions withLimit(int limit) {
        return new ConnectionOptions(ssl, serverHostname, sslHandshakeTimeout, localAddress, limit);
    }
}
