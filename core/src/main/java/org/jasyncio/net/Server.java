package org.jasyncio.net;

import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.Objects;
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
 *
 * <p><b>Shutting down.</b> {@link #close()} only stops listening; connections already accepted
 * stay open, and {@link #waitClosed()} waits until they are gone too (asyncio 3.12+). A client
 * that stays connected (a handler waiting in {@code readline()} for a line that never comes)
 * therefore keeps {@code waitClosed()} waiting, and with it a cancelled {@link #serveForever()},
 * as in CPython (see there). {@link #closeAndWait(Clients)} closes the server, deals with the
 * connected clients, and waits, in one call:
 *
 * <pre>{@code
 * Server server = Asyncio.startServer(handler, "127.0.0.1", 8888);
 * try {
 *     server.serveForever();
 * } finally {
 *     server.closeAndWait(Server.Clients.CLOSE);   // idle clients cannot hold the shutdown up
 * }
 * }</pre>
 *
 * <p>As an {@link AutoCloseable}, a try-with-resources block ends with {@link #close()}, which
 * does not wait: unlike Python's {@code async with server:}, whose exit also awaits
 * {@code wait_closed()}. Call {@link #closeAndWait()} for that.
 */
public interface Server extends AutoCloseable {

    /**
     * Stops listening and closes the listening sockets; connections already accepted stay
     * open. Idempotent; never suspends. asyncio's {@code close()}. Also the
     * {@link AutoCloseable} method: a try-with-resources block does not wait for the server to
     * be closed (see {@link #closeAndWait()}).
     */
    @Override
    void close();

    /**
     * Waits until the server is closed and every connection it accepted has been closed.
     * Returns at once if that is already so. asyncio's {@code wait_closed()} (3.12+; before,
     * it did not wait for the connections).
     */
    void waitClosed();

    /**
     * What {@link #closeAndWait(Clients)} does with the connections the server accepted and
     * that are still open.
     */
    enum Clients {
        /** Leave them open and wait until each is closed by its handler or its peer. */
        WAIT,
        /** {@link #closeClients()}: close each gracefully (what it has buffered is sent first). */
        CLOSE,
        /** {@link #abortClients()}: close each at once, dropping what it has buffered. */
        ABORT
    }

    /**
     * {@link #close()}, then {@link #waitClosed()}: what the exit of Python's
     * {@code async with server:} does. It waits until every connected client is gone, for as
     * long as that takes; {@link #closeAndWait(Clients)} with {@link Clients#CLOSE} or
     * {@link Clients#ABORT} does not depend on the clients. Loop thread, in a task.
     *
     * @throws org.jasyncio.CancelledError if the waiting task is cancelled (the server stays
     *                                     closed)
     * @throws IllegalStateException       outside a task, if it has to wait
     */
    default void closeAndWait() {
        closeAndWait(Clients.WAIT);
    }

    /**
     * Shuts the server down in one call: {@link #close()}, then {@link #closeClients()} or
     * {@link #abortClients()} as {@code clients} says, then {@link #waitClosed()}; the order
     * asyncio's documentation asks for, so that no client connects between the two. With
     * {@link Clients#CLOSE} it returns once every connection has sent what it had buffered and
     * closed; a handler still reading then sees end of file. asyncio has no single method for
     * it: {@code server.close(); server.close_clients(); await server.wait_closed()} (3.13).
     * Idempotent: calling it again, or after {@link #serveForever()} was cancelled, returns
     * once the server is closed. Loop thread, in a task.
     *
     * @param clients what to do with the connections still open
     * @throws NullPointerException        if {@code clients} is null (before anything is closed)
     * @throws org.jasyncio.CancelledError if the waiting task is cancelled (the server stays
     *                                     closed)
     * @throws IllegalStateException       outside a task, if it has to wait
     */
    default void closeAndWait(Clients clients) {
        Objects.requireNonNull(clients, "clients");
        close();
        switch (clients) {
            case CLOSE -> closeClients();
            case ABORT -> abortClients();
            case WAIT -> { }
        }
        waitClosed();
    }

    /**
     * Accepts connections until the calling task is cancelled (or {@link #close()} is called);
     * then closes the server and waits for it to be closed, and the {@code CancelledError}
     * propagates. asyncio's {@code serve_forever()}.
     *
     * <p>As in CPython 3.12 and later, "closed" includes the connections: a cancelled
     * {@code serveForever()} keeps waiting, and its task does not end, while a client stays
     * connected (CPython issue gh-123720, still open; before 3.12 changed {@code wait_closed()}
     * to wait for connections, the task ended at once). End the connections with
     * {@link #closeClients()} or {@link #abortClients()} (asyncio 3.13), or shut down with
     * {@link #closeAndWait(Clients)} from another task, which also ends this one.
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

    /**
     * Closes every connection this server accepted and that is still open, gracefully (each
     * sends what it has buffered first). Call {@link #close()} first, so that no new client
     * connects meanwhile. asyncio 3.13's {@code close_clients()}.
     */
    void closeClients();

    /**
     * Aborts every connection this server accepted and that is still open: each is closed at
     * once and what it had buffered is dropped. Call {@link #close()} first. asyncio 3.13's
     * {@code abort_clients()}.
     */
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
