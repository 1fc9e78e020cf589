package org.jasyncio.net;

import java.net.SocketAddress;

/**
 * A UDP endpoint: asyncio's {@code asyncio.DatagramTransport}. Sends never block: datagrams
 * the socket cannot take at once are queued.
 */
public interface DatagramTransport {

    /**
     * Sends a datagram to the remote address the endpoint is connected to. asyncio's
     * {@code sendto(data)}.
     *
     * @param data the bytes
     * @throws NullPointerException  if {@code data} is null
     * @throws IllegalStateException if the endpoint is not connected, or is closed
     */
    void sendto(byte[] data);

    /**
     * Sends a datagram to {@code address}. asyncio's {@code sendto(data, addr)}.
     *
     * @param data    the bytes
     * @param address the destination; on a connected endpoint it must be null or the remote
     *                address
     * @throws NullPointerException     if {@code data} is null
     * @throws IllegalArgumentException for another address than a connected endpoint's remote,
     *                                  or a null one on an endpoint that is not connected
     * @throws IllegalStateException    once closed
     */
    void sendto(byte[] data, SocketAddress address);

    /** Closes the endpoint once queued datagrams are sent. asyncio's {@code close()}. */
    void close();

    /** Closes at once, dropping queued datagrams. asyncio's {@code abort()}. */
    void abort();

    /**
     * asyncio's {@code is_closing()}.
     *
     * @return true once closing or closed
     */
    boolean isClosing();

    /**
     * asyncio's {@code get_extra_info(name)}: {@code "sockname"}, {@code "peername"} (connected
     * endpoints), {@code "socket"}.
     *
     * @param name the name
     * @return the value, or null
     * @throws NullPointerException if {@code name} is null
     */
    Object getExtraInfo(String name);

    /**
     * asyncio's {@code get_write_buffer_size()}.
     *
     * @return bytes queued and not yet sent
     */
    long getWriteBufferSize();
}
