package org.jasyncio.net;

import java.net.SocketAddress;

/**
 * The callbacks of a {@link DatagramTransport}: asyncio's {@code asyncio.DatagramProtocol}.
 * Every method has an empty default. All run on the loop.
 */
public interface DatagramProtocol {

    /**
     * Called once the endpoint is ready. asyncio's {@code connection_made(transport)}.
     *
     * @param transport the endpoint's transport
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * Called for each datagram received. asyncio's {@code datagram_received(data, addr)}.
     *
     * @param data    the datagram's bytes (may be empty)
     * @param address the sender
     */
    default void datagramReceived(byte[] data, SocketAddress address) {
    }

    /**
     * Called when a send or receive fails without closing the endpoint, e.g. an ICMP "port
     * unreachable" on a connected endpoint ({@link java.net.PortUnreachableException}).
     * asyncio's {@code error_received(exc)}.
     *
     * @param exception the error
     */
    default void errorReceived(Exception exception) {
    }

    /**
     * Called once when the endpoint is closed. asyncio's {@code connection_lost(exc)}.
     *
     * @param exception null for a regular close, else the error
     */
    default void connectionLost(Throwable exception) {
    }

    /** Called when the send buffer goes over its high-water mark. asyncio's {@code pause_writing()}. */
    default void pauseWriting() {
    }

    /** Called when the send buffer is back at its low-water mark. asyncio's {@code resume_writing()}. */
    default void resumeWriting() {
    }
}
