package org.jasyncio.net;

import static org.jasyncio.net.ConnectionOptionsTest.assertNamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ServerOptions: create_server's and start_server's keyword arguments, each checked when set
 * and each tried on loopback.
 */
@Timeout(60)
class ServerOptionsTest {

    /** Hands over the transport of each accepted connection. */
    private static Protocol reporting(Future<Transport> accepted) {
        return new Protocol() {
            @Override
            public void connectionMade(Transport t) {
                accepted.trySetResult(t);
            }
        };
    }

    @Test
    void everyOptionIsCheckedWhenSetAndTheMessageNamesIt() throws Exception {
        ServerOptions d = ServerOptions.DEFAULTS;
        SSLContext ssl = TlsContexts.server();
        assertNamed(NullPointerException.class, "ssl", () -> d.withSsl(null));
        assertNamed(IllegalArgumentException.class, "sslHandshakeTimeout",
                () -> d.withSslHandshakeTimeout(Duration.ofSeconds(1)));
        assertNamed(IllegalArgumentException.class, "sslHandshakeTimeout",
                () -> d.withSsl(ssl).withSslHandshakeTimeout(Duration.ZERO));
        assertNamed(NullPointerException.class, "sslHandshakeTimeout",
                () -> d.withSsl(ssl).withSslHandshakeTimeout(null));
        assertNamed(IllegalArgumentException.class, "backlog", () -> d.withBacklog(0));
        assertNamed(IllegalArgumentException.class, "backlog", () -> d.withBacklog(-1));
        assertNamed(IllegalArgumentException.class, "limit", () -> d.withLimit(0));
        assertNamed(IllegalArgumentException.class, "backlog",
                () -> new ServerOptions(null, Duration.ofSeconds(1), 0, true, true, false, false, 10));
    }

    @Test
    void defaultsAreAsyncioDefaultsAndEveryWithReturnsACopy() throws Exception {
        ServerOptions d = ServerOptions.DEFAULTS;
        assertNull(d.ssl());
        assertEquals(Duration.ofSeconds(60), d.sslHandshakeTimeout());
        assertEquals(100, d.backlog());
        assertTrue(d.startServing());
        assertTrue(d.reuseAddress());
        assertFalse(d.reusePort());
        assertFalse(d.keepAlive());
        assertEquals(64 * 1024, d.limit());
        SSLContext ssl = TlsContexts.server();
        ServerOptions o = d.withSsl(ssl).withSslHandshakeTimeout(Duration.ofSeconds(3)).withBacklog(5)
                .withStartServing(false).withReuseAddress(false).withReusePort(true).withKeepAlive(true).withLimit(9);
        assertNotSame(d, o);
        assertNull(d.ssl());
        assertEquals(100, d.backlog());
        assertSame(ssl, o.ssl());
        assertEquals(Duration.ofSeconds(3), o.sslHandshakeTimeout());
        assertEquals(5, o.backlog());
        assertFalse(o.startServing());
        assertFalse(o.reuseAddress());
        assertTrue(o.reusePort());
        assertTrue(o.keepAlive());
        assertEquals(9, o.limit());
    }

    @Test
    void backlogBoundsTheConnectionsTheSystemCompletesBeforeTheyAreAccepted() {
        Asyncio.run(() -> {
            List<Integer> connected = new ArrayList<>();
            for (int backlog : new int[] {1, 100}) {
                Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                        ServerOptions.DEFAULTS.withBacklog(backlog).withStartServing(false));
                List<SocketChannel> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 8; i++) {
                        SocketChannel c = SocketChannel.open();
                        clients.add(c);
                        c.configureBlocking(false);
                        c.connect(new InetSocketAddress("127.0.0.1", server.port()));
                    }
                    Asyncio.sleep(0.3);
                    int n = 0;
                    for (SocketChannel c : clients) {
                        if (c.isConnected() || c.finishConnect()) {
                            n++;
                        }
                    }
                    connected.add(n);
                } finally {
                    for (SocketChannel c : clients) {
                        c.close();
                    }
                    server.close();
                    server.waitClosed();
                }
            }
            // Nobody accepts: the listen queue fills at about the backlog (the kernel drops
            // further SYNs), while a backlog of 100 lets all eight complete.
            assertTrue(connected.get(0) >= 1 && connected.get(0) < 8, "with backlog 1: " + connected);
            assertEquals(8, connected.get(1), "with backlog 100: " + connected);
        });
    }

    @Test
    void startServingFalseWaitsForStartServing() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Transport> accepted = loop.createFuture();
            Server server = Network.createServer(() -> reporting(accepted), "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withStartServing(false));
            assertFalse(server.isServing());
            Transport client = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port())
                    .transport();
            Asyncio.sleep(0.05);
            assertFalse(accepted.done(), "accepted before startServing()");
            server.startServing();
            assertTrue(server.isServing());
            accepted.await();
            client.close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void reuseAddressIsSetOrClearedOnTheListeningSocket() {
        Asyncio.run(() -> {
            Server on = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            Server off = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withReuseAddress(false));
            assertTrue(on.sockets().get(0).getOption(StandardSocketOptions.SO_REUSEADDR));
            assertFalse(off.sockets().get(0).getOption(StandardSocketOptions.SO_REUSEADDR));
            on.close();
            off.close();
        });
    }

    @Test
    void reusePortLetsTwoServersListenOnOnePort() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            ServerOptions shared = ServerOptions.DEFAULTS.withReusePort(true);
            Future<Transport> accepted = loop.createFuture();
            Server first = Network.createServer(() -> reporting(accepted), "127.0.0.1", 0, shared);
            Server second = Network.createServer(() -> reporting(accepted), "127.0.0.1", first.port(), shared);
            assertEquals(first.port(), second.port());
            for (Server s : List.of(first, second)) {
                NetworkChannel ch = s.sockets().get(0);
                assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEPORT));
            }
            Transport client = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", first.port())
                    .transport();
            accepted.await(); // one of the two took it
            // Without the option on the newcomer, the port is taken.
            Exception e = assertThrows(Exception.class,
                    () -> Network.createServer(() -> new Protocol() { }, "127.0.0.1", first.port()));
            assertInstanceOf(BindException.class, e);
            client.close();
            for (Server s : List.of(first, second)) {
                s.close();
                s.abortClients();
                s.waitClosed();
            }
        });
    }

    @Test
    void keepAliveIsSetOnEveryAcceptedConnection() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            for (boolean keepAlive : new boolean[] {true, false}) {
                Future<Transport> accepted = loop.createFuture();
                Server server = Network.createServer(() -> reporting(accepted), "127.0.0.1", 0,
                        ServerOptions.DEFAULTS.withKeepAlive(keepAlive));
                Transport client = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port())
                        .transport();
                SocketChannel served = (SocketChannel) accepted.await().getExtraInfo("socket");
                assertEquals(keepAlive, served.getOption(StandardSocketOptions.SO_KEEPALIVE));
                client.close();
                server.close();
                server.abortClients();
                server.waitClosed();
            }
        });
    }

    @Test
    void sslHandshakeTimeoutDropsAClientThatNeverSpeaksTls() throws Exception {
        SSLContext ssl = TlsContexts.server();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withSsl(ssl).withSslHandshakeTimeout(Duration.ofMillis(300)));
            Future<Void> lost = loop.createFuture();
            long start = System.nanoTime();
            // A plain client that waits for the server to say something.
            Network.createConnection(() -> new Protocol() {
                @Override
                public void connectionLost(Throwable exception) {
                    lost.trySetResult(null);
                }
            }, "127.0.0.1", server.port());
            lost.await();
            double elapsed = (System.nanoTime() - start) / 1e9;
            assertTrue(elapsed >= 0.25 && elapsed < 10, "dropped after " + elapsed + " s");
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void limitIsEachStreamReadersLimit() {
        Asyncio.run(() -> {
            Server server = Streams.startServer((r, w) -> {
                try {
                    r.readline();
                    w.write("no overrun\n".getBytes());
                } catch (IllegalArgumentException e) { // asyncio: readline raises ValueError
                    w.write(("overrun at limit " + r.limit() + "\n").getBytes());
                }
                w.close();
            }, "127.0.0.1", 0, ServerOptions.DEFAULTS.withLimit(8));
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write("0123456789abcdef\n".getBytes());
            assertEquals("overrun at limit 8\n", new String(c.reader().readline()));
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aUnixServerRefusesTcpOnlyOptionsBeforeCreatingItsSocket(@TempDir Path dir) {
        Path path = dir.resolve("s.sock");
        Asyncio.run(() -> {
            assertNamed(IllegalArgumentException.class, "reusePort", () -> Network.createUnixServer(
                    () -> new Protocol() { }, path, ServerOptions.DEFAULTS.withReusePort(true)));
            assertNamed(IllegalArgumentException.class, "keepAlive", () -> Network.createUnixServer(
                    () -> new Protocol() { }, path, ServerOptions.DEFAULTS.withKeepAlive(true)));
            assertTrue(Files.notExists(path), "no socket file was made");
            Server server = Network.createUnixServer(() -> new Protocol() { }, path,
                    ServerOptions.DEFAULTS.withStartServing(false));
            assertFalse(server.isServing());
            assertTrue(Files.exists(path));
            server.close();
            server.waitClosed();
        });
    }
}
