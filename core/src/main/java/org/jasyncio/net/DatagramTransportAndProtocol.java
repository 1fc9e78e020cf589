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

    /**
     * Checks the components: neither may be null.
     *
     * @throws NullPointerException if {@code transport} or {@code protocol} is null
     */
    public DatagramTransportAndProtocol {
        java.util.Objects.requireNonNull(transport, "transport");
        java.util.Objects.requireNonNull(protocol, "protocol");
    }
}
