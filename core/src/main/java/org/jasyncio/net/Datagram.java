package org.jasyncio.net;

import java.net.SocketAddress;

/**
 * One datagram received from a raw channel, with its sender: the {@code (data, address)} pair
 * asyncio's {@code loop.sock_recvfrom(sock, bufsize)} returns.
 *
 * @param data    the bytes (at most the buffer size asked for; the rest of a longer datagram
 *                is discarded, as recvfrom does)
 * @param address who sent it
 */
public record Datagram(byte[] data, SocketAddress address) {

    /**
     * Checks the components: neither may be null.
     *
     * @throws NullPointerException if {@code data} or {@code address} is null
     */
    public Datagram {
        java.util.Objects.requireNonNull(data, "data");
        java.util.Objects.requireNonNull(address, "address");
    }
}
