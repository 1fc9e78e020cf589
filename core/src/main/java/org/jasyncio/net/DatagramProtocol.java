package org.jasyncio.net;

import java.net.SocketAddress;

/**
 * The callbacks of a {@link DatagramTransport}: asyncio's {@code asyncio.DatagramProtocol}. It
 * adds the datagram callbacks to those of {@link BaseProtocol} ({@code connectionMade},
 * {@code connectionLost}, {@code pauseWriting}, {@code resumeWriting}). Every method has an
 * empty default. All run on the loop.
 */
public interface DatagramProtocol extends BaseProtocol<DatagramTransport> {

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
}
