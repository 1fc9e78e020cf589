package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** asyncio's Server: test_server.py behaviours (close, wait_closed, serve_forever, sockets). */
@Timeout(30)
class ServerTest {

    /** Keeps each accepted transport, so the test can close it. */
    static final class Keeper implements Protocol {
        final List<Transport> accepted;
        final Future<Void> lost;

        Keeper(List<Transport> accepted, Future<Void> lost) {
            this.accepted = accepted;
            this.lost = lost;
        }

        @Override
        public void connectionMade(Transport t) {
            accepted.add(t);
        }

        @Override
        public void connectionLost(Throwable exception) {
            if (lost != null && !lost.done()) {
                lost.setResult(null);
            }
        }
    }

    @Test
    void portZeroBindsAnEphemeralPortAndSocketsListIt() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            assertTrue(server.port() > 0);
            assertTrue(server.isServing());
            assertEquals(1, server.sockets().size());
            assertEquals(server.port(), ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort());
            server.close();
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
            assertEquals(-1, server.port());
            server.waitClosed();
        });
    }

    @Test
    void waitClosedWaitsForEveryConnection() {
        // asyncio 3.12+: wait_closed() returns only once the server is closed and its connections are gone.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new Keeper(accepted, null), "127.0.0.1", 0);
            Transport client = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port()).transport();
            while (accepted.isEmpty()) {
                Asyncio.sleep(0.005);
            }
            server.close();
            Task<Void> waiting = Asyncio.createTask(() -> server.waitClosed());
            Asyncio.sleep(0.02);
            assertFalse(waiting.done(), "waitClosed returned with a connection still open");
            accepted.get(0).close();
            waiting.await();
            client.close();
        });
    }

    @Test
    void waitClosedBeforeCloseWaitsForClose() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            Task<Void> waiting = Asyncio.createTask(() -> server.waitClosed());
            Asyncio.sleep(0.01);
            assertFalse(waiting.done());
            server.close();
            waiting.await();
            server.waitClosed(); // and again: returns at once
        });
    }

    @Test
    void closeClientsAndAbortClientsCloseAcceptedConnections() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Future<Void> lost1 = loop.createFuture();
            Server server = Network.createServer(() -> new Keeper(accepted, lost1), "127.0.0.1", 0);
            Transport c1 = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port()).transport();
            while (accepted.isEmpty()) {
                Asyncio.sleep(0.005);
            }
            server.closeClients();
            lost1.await();
            server.abortClients();
            server.close();
            server.waitClosed();
            c1.close();
        });
    }

    @Test
    void serveForeverRunsUntilCancelledThenClosesTheServer() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withStartServing(false));
            assertFalse(server.isServing());
            Task<Void> forever = Asyncio.createTask(() -> server.serveForever());
            Asyncio.sleep(0.01);
            assertTrue(server.isServing());
            assertThrows(IllegalStateException.class, server::serveForever);
            forever.cancel();
            assertThrows(CancelledError.class, forever::await);
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
        });
    }

    @Test
    void closeFromAnotherTaskEndsServeForever() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            Task<Void> forever = Asyncio.createTask(() -> server.serveForever());
            Asyncio.sleep(0.01);
            server.close();
            assertThrows(CancelledError.class, forever::await);
        });
    }

    @Test
    void serveForeverOnAClosedServerThrows() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            server.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, server::serveForever);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        });
    }

    @Test
    void bindingAPortInUseThrowsBindException() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server first = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            Exception e = assertThrows(Exception.class,
                    () -> Network.createServer(() -> new Protocol() { }, "127.0.0.1", first.port()));
            assertTrue(e instanceof java.net.BindException, e.toString());
            first.close();
        });
    }

    @Test
    void badPortAndBacklogAreRejected() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(IllegalArgumentException.class, () -> Network.createServer(() -> new Protocol() { },
                    "127.0.0.1", 70000));
            assertThrows(IllegalArgumentException.class, () -> Network.createServer(() -> new Protocol() { },
                    "127.0.0.1", 0, ServerOptions.DEFAULTS.withBacklog(0)));
        });
    }

    @Test
    void failingProtocolFactoryIsReportedAndServerKeepsServing() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Throwable> reported = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx.exception()));
            int[] calls = {0};
            Server server = Network.createServer(() -> {
                if (calls[0]++ == 0) {
                    throw new IllegalStateException("factory failed");
                }
                return new Protocol() { };
            }, "127.0.0.1", 0);
            Future<Void> lost = loop.createFuture();
            Network.createConnection(() -> new Protocol() {
                @Override
                public void connectionLost(Throwable exception) {
                    lost.setResult(null);
                }
            }, "127.0.0.1", server.port());
            lost.await(); // the server closed the first connection
            assertEquals(1, reported.size());
            Transport second = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port()).transport();
            assertTrue(server.isServing());
            second.close();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void getLoopIsTheLoopTheServerRunsOn() {
        // asyncio's Server.get_loop()
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            assertSame(Asyncio.getRunningLoop(), server.getLoop());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void createServerOnAChannelThatIsNotBoundIsRefused() throws Exception {
        try (ServerSocketChannel unbound = ServerSocketChannel.open()) {
            Asyncio.run(() -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Network.createServer(() -> new Protocol() { }, unbound));
                assertTrue(e.getMessage().contains("must be bound"), e.getMessage());
            });
        }
    }
}
