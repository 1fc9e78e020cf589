package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * ConnectionOptions: create_connection's and open_connection's keyword arguments, each
 * checked when set and each tried on loopback.
 */
@Timeout(60)
class ConnectionOptionsTest {

    /** Records that its connection was made and lost. */
    private static final class Watch implements Protocol {
        final Future<Transport> made;
        final Future<Void> lost;

        Watch(EventLoop loop) {
            made = loop.createFuture();
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport t) {
            made.setResult(t);
        }

        @Override
        public void connectionLost(Throwable exception) {
            lost.trySetResult(null);
        }
    }

    static <T extends Throwable> void assertNamed(Class<T> type, String option, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(option),
                "the message names " + option + ": " + e.getMessage());
    }

    @Test
    void everyOptionIsCheckedWhenSetAndTheMessageNamesIt() throws Exception {
        ConnectionOptions d = ConnectionOptions.DEFAULTS;
        SSLContext ssl = TlsContexts.client();
        assertNamed(NullPointerException.class, "ssl", () -> d.withSsl(null));
        assertNamed(IllegalArgumentException.class, "serverHostname", () -> d.withServerHostname("localhost"));
        assertNamed(IllegalArgumentException.class, "serverHostname", () -> d.withSsl(ssl).withServerHostname(""));
        assertNamed(NullPointerException.class, "serverHostname", () -> d.withSsl(ssl).withServerHostname(null));
        assertNamed(IllegalArgumentException.class, "sslHandshakeTimeout",
                () -> d.withSslHandshakeTimeout(Duration.ofSeconds(1)));
        assertNamed(IllegalArgumentException.class, "sslHandshakeTimeout",
                () -> d.withSsl(ssl).withSslHandshakeTimeout(Duration.ZERO));
        assertNamed(IllegalArgumentException.class, "sslHandshakeTimeout",
                () -> d.withSsl(ssl).withSslHandshakeTimeout(Duration.ofMillis(-1)));
        assertNamed(NullPointerException.class, "sslHandshakeTimeout",
                () -> d.withSsl(ssl).withSslHandshakeTimeout(null));
        assertNamed(NullPointerException.class, "localAddress", () -> d.withLocalAddress(null));
        assertNamed(IllegalArgumentException.class, "limit", () -> d.withLimit(0));
        assertNamed(IllegalArgumentException.class, "limit", () -> d.withLimit(-5));
        // The canonical constructor checks as much.
        assertNamed(IllegalArgumentException.class, "serverHostname",
                () -> new ConnectionOptions(null, "localhost", Duration.ofSeconds(1), null, 10));
        assertNamed(NullPointerException.class, "sslHandshakeTimeout",
                () -> new ConnectionOptions(null, null, null, null, 10));
    }

    @Test
    void defaultsAreAsyncioDefaultsAndEveryWithReturnsACopy() throws Exception {
        ConnectionOptions d = ConnectionOptions.DEFAULTS;
        assertNull(d.ssl());
        assertNull(d.serverHostname());
        assertEquals(Duration.ofSeconds(60), d.sslHandshakeTimeout());
        assertNull(d.localAddress());
        assertEquals(64 * 1024, d.limit());
        SSLContext ssl = TlsContexts.client();
        ConnectionOptions o = d.withSsl(ssl).withServerHostname("localhost")
                .withSslHandshakeTimeout(Duration.ofSeconds(5)).withLocalAddress(new InetSocketAddress(0)).withLimit(7);
        assertNotSame(d, o);
        assertNull(d.ssl());
        assertEquals(64 * 1024, d.limit());
        assertSame(ssl, o.ssl());
        assertEquals("localhost", o.serverHostname());
        assertEquals(Duration.ofSeconds(5), o.sslHandshakeTimeout());
        assertEquals(new InetSocketAddress(0), o.localAddress());
        assertEquals(7, o.limit());
    }

    @Test
    void sslHandshakeTimeoutFiresAgainstASilentServer() throws Exception {
        SSLContext ssl = TlsContexts.client();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> serverSideLost = loop.createFuture();
            // A plain server that never says a word: the TLS handshake cannot progress.
            Server silent = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionLost(Throwable exception) {
                    serverSideLost.trySetResult(null);
                }
            }, "127.0.0.1", 0);
            ConnectionOptions options = ConnectionOptions.DEFAULTS.withSsl(ssl)
                    .withSslHandshakeTimeout(Duration.ofMillis(300));
            long start = System.nanoTime();
            Exception e = assertThrows(Exception.class,
                    () -> Network.createConnection(() -> new Protocol() { }, "127.0.0.1", silent.port(), options));
            double elapsed = (System.nanoTime() - start) / 1e9;
            assertInstanceOf(SSLHandshakeException.class, e);
            assertTrue(e.getMessage().contains("did not complete"), e.getMessage());
            assertTrue(elapsed >= 0.25 && elapsed < 10, "timed out after " + elapsed + " s");
            serverSideLost.await(); // the client aborted the connection
            silent.close();
            silent.waitClosed();
        });
    }

    @Test
    void serverHostnameIsWhatTheCertificateIsCheckedAgainst() throws Exception {
        SSLContext serverSsl = TlsContexts.server();
        SSLContext clientSsl = TlsContexts.client();
        Asyncio.run(() -> {
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withSsl(serverSsl));
            // The certificate names localhost and 127.0.0.1: connecting to the IP by the name works...
            Transport ok = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port(),
                    ConnectionOptions.DEFAULTS.withSsl(clientSsl).withServerHostname("localhost")).transport();
            ok.close();
            // ...and by a name it does not carry fails, although the host itself would pass.
            Exception e = assertThrows(Exception.class,
                    () -> Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port(),
                            ConnectionOptions.DEFAULTS.withSsl(clientSsl).withServerHostname("wrong.example")));
            assertInstanceOf(SSLHandshakeException.class, e);
            server.close();
            server.abortClients();
            server.waitClosed();
        });
    }

    @Test
    void localAddressBindsTheClientSocket() throws Exception {
        int localPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            localPort = probe.getLocalPort(); // free a moment ago
        }
        int port = localPort;
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Object> peer = loop.createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    peer.setResult(t.getExtraInfo("peername"));
                }
            }, "127.0.0.1", 0);
            // Given unresolved, it is resolved on the way, as asyncio's local_addr.
            ConnectionOptions options = ConnectionOptions.DEFAULTS
                    .withLocalAddress(InetSocketAddress.createUnresolved("127.0.0.1", port));
            Watch w = Network.createConnection(() -> new Watch(loop), "127.0.0.1", server.port(), options).protocol();
            InetSocketAddress sockname = (InetSocketAddress) w.made.await().getExtraInfo("sockname");
            assertEquals(port, sockname.getPort());
            assertEquals(new InetSocketAddress("127.0.0.1", port), peer.await());
            w.made.result().close();
            w.lost.await();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aLocalAddressOfAnotherFamilyThanTheServerIsAnIoError() {
        Asyncio.run(() -> {
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            ConnectionOptions v6 = ConnectionOptions.DEFAULTS.withLocalAddress(new InetSocketAddress("::1", 0));
            Exception e = assertThrows(Exception.class,
                    () -> Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port(), v6));
            assertInstanceOf(SocketException.class, e);
            assertTrue(e.getMessage().contains("localAddress"), e.getMessage());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void limitIsTheStreamReadersLimit() {
        Asyncio.run(() -> {
            Server server = Streams.startServer((r, w) -> {
                w.write(("x".repeat(20) + "\nshort\n").getBytes());
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port(), ConnectionOptions.DEFAULTS.withLimit(10));
            assertEquals(10, c.reader().limit());
            assertThrows(IllegalArgumentException.class, () -> c.reader().readline()); // asyncio: ValueError
            assertEquals("short\n", new String(c.reader().readline()));
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aUnixConnectionRefusesTcpOnlyOptionsBeforeTryingToConnect(@TempDir Path dir) throws Exception {
        SSLContext ssl = TlsContexts.client();
        Path nothing = dir.resolve("none.sock");
        Asyncio.run(() -> {
            // No socket is there: an IOException would mean the call went as far as connecting.
            assertNamed(IllegalArgumentException.class, "localAddress", () -> Network.createUnixConnection(
                    () -> new Protocol() { }, nothing, ConnectionOptions.DEFAULTS.withLocalAddress(
                            new InetSocketAddress("127.0.0.1", 0))));
            assertNamed(IllegalArgumentException.class, "serverHostname", () -> Network.createUnixConnection(
                    () -> new Protocol() { }, nothing, ConnectionOptions.DEFAULTS.withSsl(ssl)));
            Exception e = assertThrows(Exception.class,
                    () -> Network.createUnixConnection(() -> new Protocol() { }, nothing));
            assertInstanceOf(IOException.class, e);
            assertTrue(Files.notExists(nothing));
        });
    }
}
