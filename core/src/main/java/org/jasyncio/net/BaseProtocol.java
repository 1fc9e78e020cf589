package org.jasyncio.net;

/**
 * The callbacks every protocol has, whatever its transport: asyncio's
 * {@code asyncio.BaseProtocol}. {@link Protocol} (streams) and {@link DatagramProtocol} (UDP)
 * extend it with the callbacks that carry data. Every method has an empty default, so a
 * protocol overrides only what it needs.
 *
 * <p>All callbacks run on the event loop of the transport, one at a time; a protocol needs no
 * locking as long as only that loop touches it. {@code connectionMade} is the first call and
 * {@code connectionLost} the last, each made once.
 *
 * @param <T> the kind of transport the protocol is connected to: {@link Transport} for a
 *            {@link Protocol}, {@link DatagramTransport} for a {@link DatagramProtocol}
 */
public interface BaseProtocol<T> {

    /**
     * Called once when the connection (or endpoint) is ready, before any data arrives.
     * asyncio's {@code connection_made(transport)}.
     *
     * @param transport the transport of this connection; keep it to write or close
     */
    default void connectionMade(T transport) {
    }

    /**
     * Called once when the connection (or endpoint) is closed; no callback follows. asyncio's
     * {@code connection_lost(exc)}.
     *
     * @param exception null for a regular close or EOF, else the error that ended it
     */
    default void connectionLost(Throwable exception) {
    }

    /**
     * Called when the transport's write buffer goes over its high-water mark: stop writing
     * until {@link #resumeWriting()}. Called at most once per crossing. asyncio's
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
