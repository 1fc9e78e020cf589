package org.jasyncio.net;

/**
 * What {@link Network#createConnection} returns: asyncio's {@code (transport, protocol)}
 * pair.
 *
 * @param <P>       the protocol type
 * @param transport the connection's transport
 * @param protocol  the protocol the factory made for it
 */
public record TransportAndProtocol<P extends Protocol>(Transport transport, P protocol) {

    /**
     * Checks the components: neither may be null.
     *
     * @throws NullPointerException if {@code transport} or {@code protocol} is null
     */
    public TransportAndProtocol {
        java.util.Objects.requireNonNull(transport, "transport");
        java.util.Objects.requireNonNull(protocol, "protocol");
    }
}
