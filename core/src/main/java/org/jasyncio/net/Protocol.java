package org.jasyncio.net;

/**
 * The callbacks a stream {@link Transport} calls: asyncio's {@code asyncio.Protocol} (with
 * {@code BaseProtocol}'s flow-control callbacks). Every method has an empty default, so a
 * protocol overrides only what it needs. All callbacks run on the loop, one at a time.
 *
 * <p>Order, as in asyncio: {@code connectionMade} once, then {@code dataReceived} any number of
 * times, then at most one {@code eofReceived}, then {@code connectionLost} once.
 *
 * <pre>{@code
 * class Echo implements Protocol {
 *     Transport transport;
 *     public void connectionMade(Transport t) { transport = t; }
 *     public void dataReceived(byte[] data) { transport.write(data); }
 * }
 * Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
 * }</pre>
 */
public interface Protocol {

    /**
     * Called when the connection is made. asyncio's {@code connection_made(transport)}.
     *
     * @param transport the transport of this connection
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Called with bytes received; the array belongs to the protocol. asyncio's
     * {@code data_received(data)}.
     *
     * @param data the bytes, never empty
     */
    default void dataReceived(byte[] data) {
    }

    /**
     * Called when the peer has shut down its sending side. Return true to keep the transport
     * open (to go on writing), false to have it closed. asyncio's {@code eof_received()}.
     *
     * @return whether to keep the transport open
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * Called once when the connection is closed. asyncio's {@code connection_lost(exc)}.
     *
     * @param exception null for a regular close or EOF, else the error that ended it
     */
    default void connectionLost(Throwable exception) {
    }

    /**
     * Called when the transport's write buffer goes over its high-water mark. asyncio's
     * {@code pause_writing()}.
     */
    default void pauseWriting() {
    }

    /**
     * Called when the transport's write buffer drains to its low-water mark after a
     * {@link #pauseWriting()}. asyncio's {@code resume_writing()}.
     */
    default void resumeWriting() {
    }
}
