package org.jasyncio.net;

import java.nio.channels.NetworkChannel;
import java.util.List;
import org.jasyncio.EventLoop;

/**
 * A listening server: asyncio's {@code asyncio.Server}, returned by
 * {@link Network#createServer} and {@code Asyncio.startServer}. It accepts connections as
 * soon as it is created.
 *
 * <pre>{@code
 * Server server = Asyncio.startServer((reader, writer) -> { ... }, "127.0.0.1", 0);
 * int port = server.port();
 * server.serveForever();     // until cancelled; then closed
 * }</pre>
 *
 * <p>A server still open when its loop closes is closed then, its socket file removed, and
 * reported to the loop's exception handler as "unclosed server ..." (asyncio closes a
 * forgotten server's sockets when it collects them, with a {@code ResourceWarning}).
 */
public interface Server extends AutoCloseable {

    /**
     * Stops listening and closes the listening sockets; connections already accepted stay
     * open. Idempotent. asyncio's {@code close()}.
     */
    @Override
    void close();

    /**
     * Waits until the server is closed and every connection it accepted has been closed.
     * Returns at once if that is already so. asyncio's {@code wait_closed()}.
     */
    void waitClosed();

    /**
     * Accepts connections until the calling task is cancelled; then closes the server and
     * waits for it to be closed, and the {@code CancelledError} propagates. asyncio's
     * {@code serve_forever()}.
     *
     * @throws IllegalStateException if the server is closed or already serving forever
     */
    void serveForever();

    /** Starts accepting if it was not already. asyncio's {@code start_serving()}. */
    void startServing();

    /**
     * asyncio's {@code is_serving()}.
     *
     * @return true while accepting connections
     */
    boolean isServing();

    /** Closes every connection this server accepted (gracefully). asyncio's {@code close_clients()}. */
    void closeClients();

    /** Aborts every connection this server accepted. asyncio's {@code abort_clients()}. */
    void abortClients();

    /**
     * The listening channels (empty once closed). asyncio's {@code sockets}.
     *
     * @return a read-only list
     */
    List<NetworkChannel> sockets();

    /**
     * The loop this server runs on. asyncio's {@code get_loop()}.
     *
     * @return the loop
     */
    EventLoop getLoop();

    /**
     * The port the first listening socket is bound to: the ephemeral one when 0 was asked.
     *
     * @return the port, or -1 for a Unix domain socket server or a closed server
     */
    int port();
}
