package org.jasyncio.net;

/**
 * What {@link Network#createDatagramEndpoint} returns: asyncio's
 * {@code (transport, protocol)} pair.
 *
 * @param <P>       the protocol type
 * @param transport the endpoint's transport
 * @param protocol  the protocol the factory made
 */
public record DatagramTransportAndProtocol<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
}
