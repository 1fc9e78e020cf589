package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;

/**
 * Parity with CPython 3.13's test_server.py and base_events.Server: what {@link ServerTest} does
 * not already pin (several wait_closed waiters, close/abort_clients timing, the Unix socket
 * file's cleanup rules, start_serving).
 */
@Timeout(30)
class ServerParityTest {

    /** A server protocol that keeps its transport; closes on EOF (the Protocol default). */
    static final class Kept implements Protocol {
        final List<Transport> into;
        Transport transport;

        Kept(List<Transport> into) {
            this.into = into;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            into.add(t);
        }
    }

    /** Collects what arrives. */
    static final class Sink implements Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean lost;

        @Override
        public void dataReceived(byte[] data) {
            got.writeBytes(data);
        }

        @Override
        public void connectionLost(Throwable exception) {
            lost = true;
        }
    }

    private static void awaitAccepted(List<Transport> accepted, int n) {
        while (accepted.size() < n) {
            Asyncio.sleep(0.005);
        }
    }

    @Test
    void waitClosedBasicEveryWaiterBlocksUntilClosedAndNoClientLeft() {
        // test_server.py TestServer2.test_wait_closed_basic
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new Kept(accepted), "127.0.0.1", 0);
            // no client, not closed: blocks
            Task<Void> task1 = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(task1.done());
            // a client, not closed: blocks
            Transport client = Network.createConnection(Sink::new, "127.0.0.1", server.port()).transport();
            awaitAccepted(accepted, 1);
            Task<Void> task2 = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(task1.done());
            assertFalse(task2.done());
            // a client, closed: blocks
            server.close();
            Asyncio.sleep(0);
            Task<Void> task3 = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(task1.done());
            assertFalse(task2.done());
            assertFalse(task3.done());
            // the client goes (the server side closes on its EOF): every waiter returns
            client.close();
            task1.await();
            task2.await();
            task3.await();
            server.waitClosed(); // at once
        });
    }

    @Test
    void waitClosedRaceServerAndClientClosedInTheSameIteration() {
        // test_server.py TestServer2.test_wait_closed_race (a 3.12.0 regression)
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new Kept(accepted), "127.0.0.1", 0);
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(waiting.done());
            Transport client = Network.createConnection(Sink::new, "127.0.0.1", server.port()).transport();
            awaitAccepted(accepted, 1);
            loop.callSoon(server::close);
            loop.callSoon(client::close);
            server.waitClosed();
            waiting.await();
        });
    }

    @Test
    void closeThenCloseClientsWakesWaitClosedWithinTwoIterations() {
        // test_server.py TestServer2.test_close_clients
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new Kept(accepted), "127.0.0.1", 0);
            Transport client = Network.createConnection(Sink::new, "127.0.0.1", server.port()).transport();
            awaitAccepted(accepted, 1);
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(waiting.done());
            server.close();
            server.closeClients();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(waiting.done());
            client.close();
        });
    }

    @Test
    void closeThenAbortClientsDropsTheirBuffersAndWakesWaitClosedWithinTwoIterations() {
        // test_server.py TestServer2.test_abort_clients: a client with bytes buffered is aborted
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new Kept(accepted), "127.0.0.1", 0);
            TransportAndProtocol<Sink> c = Network.createConnection(Sink::new, "127.0.0.1", server.port());
            c.transport().pauseReading(); // the peer of the server side does not read
            awaitAccepted(accepted, 1);
            Transport served = accepted.get(0);
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 400 && served.getWriteBufferSize() == 0; i++) {
                served.write(chunk);
            }
            assertTrue(served.getWriteBufferSize() > 0, "the kernel took everything");
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(waiting.done());
            server.close();
            server.abortClients();
            assertEquals(0, served.getWriteBufferSize());
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(waiting.done());
            c.transport().abort();
        });
    }

    @Test
    void closedServerKeepsItsConnectionsWorking() {
        // base_events.Server.close: "the server is closed, existing connections are left open"
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(TransportTest.Echo::new, "127.0.0.1", 0);
            TransportAndProtocol<Sink> c = Network.createConnection(Sink::new, "127.0.0.1", server.port());
            Asyncio.sleep(0.01);
            server.close();
            assertFalse(server.isServing());
            c.transport().write("still here".getBytes());
            while (c.protocol().got.size() < 10) {
                Asyncio.sleep(0.005);
            }
            assertEquals("still here", c.protocol().got.toString());
            c.transport().close();
            server.waitClosed();
        });
    }

    @Test
    void startServingIsIdempotentAndAcceptsOnlyOnceCalled() {
        // test_server.py test_start_server_1 / test_start_unix_server_1: start_serving=False, then start_serving()
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new Kept(accepted), "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withStartServing(false));
            assertFalse(server.isServing());
            Transport client = Network.createConnection(Sink::new, "127.0.0.1", server.port()).transport();
            Asyncio.sleep(0.02);
            assertEquals(0, accepted.size(), "accepted before start_serving()");
            server.startServing();
            server.startServing();
            assertTrue(server.isServing());
            awaitAccepted(accepted, 1);
            assertEquals(1, accepted.size());
            client.close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void startServingOnAClosedServerDoesNotReopenIt() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withStartServing(false));
            server.close();
            server.startServing();
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
            server.waitClosed();
        });
    }

    @Test
    void unixServerCleanupGoneClosingAfterTheFileWasRemovedIsFine(@TempDir Path dir) throws Exception {
        // test_server.py UnixServerCleanupTests.test_unix_server_cleanup_gone
        Path sock = dir.resolve("s.sock");
        Asyncio.run(() -> {
            Server server = Network.createUnixServer(() -> new Protocol() { }, sock);
            Files.delete(sock);
            server.close();
            server.waitClosed();
            assertFalse(Files.exists(sock));
        });
    }

    @Test
    void unixServerCleanupReplacedLeavesSomeoneElsesSocketFile(@TempDir Path dir) throws Exception {
        // test_server.py UnixServerCleanupTests.test_unix_server_cleanup_replaced:
        // _stop_serving unlinks the path only if its inode is still the one the server bound
        Path sock = dir.resolve("s.sock");
        Asyncio.run(() -> {
            Server server = Network.createUnixServer(() -> new Protocol() { }, sock);
            Files.delete(sock);
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(sock));
                server.close();
                assertTrue(Files.exists(sock), "closing the server removed another socket's file");
            }
            server.waitClosed();
        });
    }

    @Test
    void createUnixServerReplacesAStaleSocketFile(@TempDir Path dir) throws Exception {
        // unix_events.create_unix_server: an existing socket file (S_ISSOCK) at the path is removed before bind
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock)); // closing a channel leaves its file behind
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createUnixServer(() -> new Kept(accepted), sock);
            Transport client = Network.createUnixConnection(Sink::new, sock).transport();
            awaitAccepted(accepted, 1);
            client.close();
            server.close();
            server.waitClosed();
            assertFalse(Files.exists(sock));
        });
    }

    @Test
    void createUnixServerLeavesARegularFileAndFailsWithAddressInUse(@TempDir Path dir) throws Exception {
        // unix_events.create_unix_server: only a socket file is removed; binding over anything else fails
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Exception e = assertThrows(Exception.class, () -> Network.createUnixServer(() -> new Protocol() { },
                    file));
            assertTrue(e instanceof java.net.BindException, e.toString());
            assertEquals("keep me", Files.readString(file));
        });
    }
}
