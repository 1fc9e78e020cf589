package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shutting a server down while a client stays connected: {@link Server#closeAndWait()} (the
 * exit of Python's {@code async with server:}), {@link Server#closeAndWait(Server.Clients)}
 * (close, then asyncio 3.13's {@code close_clients()} or {@code abort_clients()}, then
 * {@code wait_closed()}), and a cancelled {@link Server#serveForever()}, which waits for the
 * connections as CPython 3.12+ does (gh-123720). Each "still waiting" is checked after a round
 * trip over the open connection, so the loop has certainly run meanwhile.
 */
@Timeout(30)
class ServerShutdownTest {

    /** A server whose handler echoes lines until end of file, then records it and closes. */
    private static final class EchoServer {
        final List<String> handlerSaw = new ArrayList<>();
        final Future<Void> handlerDone = new Future<>();
        final Server server;

        EchoServer() {
            server = Asyncio.startServer(this::handle, "127.0.0.1", 0);
        }

        private void handle(StreamReader reader, StreamWriter writer) throws Exception {
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    writer.write((line + "\n").getBytes());
                    writer.drain();
                }
                handlerSaw.add("EOF");
            } catch (Exception e) {
                handlerSaw.add(e.getClass().getSimpleName());
            } finally {
                writer.close();
                handlerDone.trySetResult(null);
            }
        }

        /** A client that has been answered once: its connection is accepted and served. */
        Connection connectedClient() throws Exception {
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            roundTrip(c, "hello");
            return c;
        }
    }

    private static void roundTrip(Connection c, String text) throws Exception {
        c.writer().write((text + "\n").getBytes());
        c.writer().drain();
        assertEquals(text, c.reader().readLine());
    }

    @Test
    void closeAndWaitClosingTheClientsFinishesWithAnIdleClientConnected() {
        Asyncio.run(() -> {
            EchoServer s = new EchoServer();
            Connection client = s.connectedClient();
            s.server.closeAndWait(Server.Clients.CLOSE);
            assertFalse(s.server.isServing());
            assertEquals(List.of(), s.server.sockets());
            s.handlerDone.await();
            assertEquals(List.of("EOF"), s.handlerSaw, "the handler's readLine() saw end of file");
            assertNull(client.reader().readLine(), "the client sees the connection end");
            client.writer().close();
        });
    }

    @Test
    void closeAndWaitAbortingTheClientsFinishesWithAnIdleClientConnected() {
        Asyncio.run(() -> {
            EchoServer s = new EchoServer();
            Connection client = s.connectedClient();
            s.server.closeAndWait(Server.Clients.ABORT);
            assertFalse(s.server.isServing());
            s.handlerDone.await();
            assertEquals(List.of("EOF"), s.handlerSaw, "an aborted transport feeds end of file too");
            try {
                assertNull(client.reader().readLine());
            } catch (Exception e) {
                assertTrue(e instanceof ConnectionResetException, e.toString()); // an abort may reset
            }
            client.writer().close();
        });
    }

    @Test
    void closeAndWaitLeavingTheClientsWaitsUntilTheClientLeaves() {
        // The exit of "async with server:": close() and wait_closed(), which waits for connections.
        Asyncio.run(() -> {
            EchoServer s = new EchoServer();
            int port = s.server.port();
            Connection client = s.connectedClient();
            Task<Void> closing = Asyncio.createTask(() -> s.server.closeAndWait());
            roundTrip(client, "still served");
            assertFalse(closing.done(), "closeAndWait() returned with a client connected");
            assertFalse(s.server.isServing(), "but the server stopped listening at once");
            try {
                Asyncio.openConnection("127.0.0.1", port);
                throw new AssertionError("a new connection was accepted");
            } catch (Exception e) {
                assertTrue(e instanceof ConnectException, e.toString());
            }
            client.writer().close(); // the handler sees EOF and closes its side
            closing.await();
            assertEquals(List.of("EOF"), s.handlerSaw);
        });
    }

    @Test
    void aCancelledServeForeverWaitsForAConnectedClientAsInCPython() {
        // CPython 3.12+ (gh-123720): serve_forever's cancellation runs close() and wait_closed(),
        // which waits for the connections; asyncio 3.13's close_clients() lets it finish.
        Asyncio.run(() -> {
            EchoServer s = new EchoServer();
            Task<Void> forever = Asyncio.createTask(() -> s.server.serveForever());
            Connection client = s.connectedClient();
            forever.cancel();
            roundTrip(client, "still served");
            assertFalse(forever.done(), "the cancelled serveForever() ended with a client connected");
            assertFalse(s.server.isServing());
            s.server.closeClients();
            assertThrows(CancelledError.class, forever::await);
            s.handlerDone.await();
            assertEquals(List.of("EOF"), s.handlerSaw);
            client.writer().close();
        });
    }

    @Test
    void closeAndWaitFromAnotherTaskEndsServeForeverToo() {
        Asyncio.run(() -> {
            EchoServer s = new EchoServer();
            Task<Void> forever = Asyncio.createTask(() -> s.server.serveForever());
            Connection client = s.connectedClient();
            s.server.closeAndWait(Server.Clients.CLOSE);
            assertThrows(CancelledError.class, forever::await);
            client.writer().close();
        });
    }

    @Test
    void closeAndWaitAgainReturnsAtOnce() {
        Asyncio.run(() -> {
            EchoServer s = new EchoServer();
            Connection client = s.connectedClient();
            s.server.closeAndWait(Server.Clients.CLOSE);
            Asyncio.getRunningLoop().callSoon(() -> s.handlerSaw.add("next iteration"));
            s.server.closeAndWait(Server.Clients.ABORT);
            s.server.closeAndWait();
            assertFalse(s.handlerSaw.contains("next iteration"), "a second closeAndWait() suspended");
            client.writer().close();
        });
    }

    @Test
    void aNullClientsArgumentIsRefusedBeforeTheServerIsClosed() {
        Asyncio.run(() -> {
            EchoServer s = new EchoServer();
            NullPointerException e = assertThrows(NullPointerException.class, () -> s.server.closeAndWait(null));
            assertEquals("clients", e.getMessage());
            assertTrue(s.server.isServing());
            s.server.closeAndWait();
        });
    }
}
