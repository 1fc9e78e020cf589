/**
 * Transports, protocols and servers: asyncio's {@code transports}, {@code protocols},
 * {@code selector_events}, {@code sslproto} and the networking methods of its event loop.
 *
 * <p>{@link org.jasyncio.net.Network} opens connections, servers, datagram endpoints and
 * pipes and upgrades connections to TLS (asyncio's {@code loop.create_connection},
 * {@code create_server}, {@code create_unix_connection}, {@code create_datagram_endpoint},
 * {@code connect_read_pipe}, {@code start_tls}, {@code sendfile}); {@link org.jasyncio.net.Sockets}
 * holds the {@code loop.sock_*} calls on non-blocking channels. A protocol
 * ({@link org.jasyncio.net.Protocol}, {@link org.jasyncio.net.DatagramProtocol}) receives
 * events from its transport ({@link org.jasyncio.net.Transport},
 * {@link org.jasyncio.net.DatagramTransport}). The socket, TLS and pipe transports
 * themselves are package-private.
 *
 * <p>Built on {@code org.jasyncio} only (the loop's {@code addReader}/{@code addWriter} and
 * futures). Every call here is loop-only: make it from a task or callback of the loop.
 *
 * <p>Arguments are checked before anything happens: a null argument throws
 * {@link NullPointerException} whose message is the parameter's name, unless the parameter
 * says it may be null; nothing is opened, started, called or changed then. The protocol
 * callbacks ({@code connectionMade}, {@code dataReceived}, ...) are the exception: the
 * transports call them, never with a null that their documentation does not allow.
 */
package org.jasyncio.net;
