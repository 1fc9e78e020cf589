package org.jasyncio.net;

/**
 * The callbacks a stream {@link Transport} calls: asyncio's {@code asyncio.Protocol}. It adds
 * the data callbacks to those of {@link BaseProtocol} ({@code connectionMade},
 * {@code connectionLost}, {@code pauseWriting}, {@code resumeWriting}). Every method has an
 * empty default, so a protocol overrides only what it needs. All callbacks run on the loop,
 * one at a time.
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
public interface Protocol extends BaseProtocol<Transport> {

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
}
