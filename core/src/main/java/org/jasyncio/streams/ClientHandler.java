package org.jasyncio.streams;

/**
 * Serves one connection of {@code Asyncio.startServer}: asyncio's {@code client_connected_cb}.
 * Each connection runs it as a new task. If it throws, the connection is closed and the
 * exception reported to the loop's exception handler.
 */
@FunctionalInterface
public interface ClientHandler {

    /**
     * Serves one client.
     *
     * @param reader the client's incoming bytes
     * @param writer the client's outgoing bytes
     * @throws Exception anything; it closes the connection
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
