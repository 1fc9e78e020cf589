package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.streams.Streams;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.StreamsTest;

/**
 * TLS on SSLEngine: ssl= on connections and servers, and startTls, with a self-signed
 * certificate generated here by the JDK's keytool.
 */
@Timeout(60)
class TlsTest {

    private static SSLContext serverContext;
    private static SSLContext clientContext;
    /** A server over TLS, and a client trusting its certificate. */
    private static ServerOptions serverTls;
    private static ConnectionOptions clientTls;

    @BeforeAll
    static void makeCertificate() throws Exception {
        serverContext = TlsContexts.server();
        clientContext = TlsContexts.client();
        serverTls = ServerOptions.DEFAULTS.withSsl(serverContext);
        clientTls = ConnectionOptions.DEFAULTS.withSsl(clientContext);
    }

    @Test
    void streamsOverTls() {
        Asyncio.run(() -> {
            Server server = Streams.startServer(StreamsTest::echoLines, "127.0.0.1", 0, serverTls);
            Connection c = Streams.openConnection("127.0.0.1", server.port(), clientTls);
            c.writer().write("secret\n".getBytes());
            assertEquals("secret\n", new String(c.reader().readline()));
            byte[] big = new byte[50_000];
            java.util.Arrays.fill(big, (byte) 'x');
            big[big.length - 1] = '\n';
            c.writer().write(big);
            c.writer().drain();
            assertEquals(big.length, c.reader().readline().length);
            X509Certificate cert = (X509Certificate) c.writer().getExtraInfo("peercert");
            assertTrue(cert.getSubjectX500Principal().getName().contains("localhost"));
            assertNotNull(c.writer().getExtraInfo("cipher"));
            assertNotNull(c.writer().getExtraInfo("peername"));
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void protocolsOverTlsSeeConnectionMadeDataAndEofInOrder() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> serverEvents = new ArrayList<>();
            Future<Void> serverLost = loop.createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                Transport t;

                @Override
                public void connectionMade(Transport transport) {
                    t = transport;
                    serverEvents.add("made");
                }

                @Override
                public void dataReceived(byte[] data) {
                    serverEvents.add("data:" + new String(data));
                    t.write(data);
                }

                @Override
                public boolean eofReceived() {
                    serverEvents.add("eof");
                    return false;
                }

                @Override
                public void connectionLost(Throwable exception) {
                    serverEvents.add("lost");
                    serverLost.setResult(null);
                }
            }, "127.0.0.1", 0, serverTls);
            Future<String> echoed = loop.createFuture();
            Transport t = Network.createConnection(() -> new Protocol() {
                @Override
                public void dataReceived(byte[] data) {
                    echoed.setResult(new String(data));
                }
            }, "127.0.0.1", server.port(), clientTls).transport();
            t.write("ping".getBytes());
            assertEquals("ping", echoed.await());
            assertTrue(!t.canWriteEof());
            t.close();
            serverLost.await();
            assertEquals(List.of("made", "data:ping", "eof", "lost"), serverEvents);
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void streamsOverTlsOnAUnixSocket(@TempDir Path dir) throws Exception {
        // asyncio's open_unix_connection(path, ssl=, server_hostname=) / start_unix_server(ssl=).
        Path sock = dir.resolve("s.sock");
        Asyncio.run(() -> {
            Server server = Streams.startUnixServer(StreamsTest::echoLines, sock, serverTls);
            Connection c = Streams.openUnixConnection(sock, clientTls.withServerHostname("localhost"));
            c.writer().write("secret over unix\n".getBytes());
            assertEquals("secret over unix\n", new String(c.reader().readline()));
            X509Certificate cert = (X509Certificate) c.writer().getExtraInfo("peercert");
            assertTrue(cert.getSubjectX500Principal().getName().contains("localhost"));
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void tlsOnAUnixSocketNeedsAServerHostname(@TempDir Path dir) throws Exception {
        // asyncio raises ValueError('you have to pass server_hostname when using ssl') here.
        Path sock = dir.resolve("s.sock");
        Asyncio.run(() -> {
            Server server = Streams.startUnixServer(StreamsTest::echoLines, sock, serverTls);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.openUnixConnection(sock, clientTls));
            assertTrue(e.getMessage().contains("serverHostname"), e.getMessage());
            // A name the certificate does not carry fails the handshake.
            Exception wrongName = assertThrows(Exception.class,
                    () -> Streams.openUnixConnection(sock, clientTls.withServerHostname("example.com")));
            assertTrue(wrongName instanceof SSLHandshakeException, wrongName.toString());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void sendfileOverTlsGoesThroughTheTransportInChunks(@TempDir Path dir) throws Exception {
        // asyncio's loop.sendfile on an SSL transport: _SendfileMode.FALLBACK, read and write
        // in chunks, waiting while writing is paused; the protocol gets its transport back
        byte[] content = new byte[1 << 20];
        new java.util.Random(7).nextBytes(content);
        Path file = dir.resolve("f.bin");
        Files.write(file, content);
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<byte[]> got = loop.createFuture();
            Server server = Streams.startServer((r, w) -> {
                got.setResult(r.readexactly(content.length + 5));
                w.close();
            }, "127.0.0.1", 0, serverTls);
            Connection c = Streams.openConnection("127.0.0.1", server.port(), clientTls);
            try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(file)) {
                assertEquals(content.length, Network.sendfile(c.writer().transport(), f));
                assertEquals(content.length, f.position());
            }
            c.writer().write("done\n".getBytes());
            c.writer().drain(); // the stream's flow control is intact afterwards
            byte[] all = got.await();
            assertArrayEquals(content, java.util.Arrays.copyOf(all, content.length));
            assertEquals("done\n", new String(all, content.length, 5));
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    /** A TLS client protocol that records its flow-control calls and its loss. */
    private static final class FlowRecorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final Future<Void> lost = Asyncio.getRunningLoop().createFuture();

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }

        @Override
        public void connectionLost(Throwable exception) {
            events.add("lost");
            lost.setResult(null);
        }
    }

    /** A TLS server protocol that stops reading at once: the client's writes back up. */
    private static final class Stalled implements Protocol {
        @Override
        public void connectionMade(Transport transport) {
            transport.pauseReading();
        }
    }

    @Test
    void tlsSendfileTwiceAtOnceIsRefusedAndAnAbortEndsItCleanly(@TempDir Path dir) throws Exception {
        // asyncio's _SendfileFallbackProtocol: the protocol gets its transport back, and no
        // pause/resume reaches it after its connection_lost
        Path file = dir.resolve("big.bin");
        Files.write(file, new byte[8 << 20]);
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Stalled::new, "127.0.0.1", 0, serverTls);
            FlowRecorder app = new FlowRecorder();
            Transport t = Network.createConnection(() -> app, "127.0.0.1", server.port(), clientTls).transport();
            try (java.nio.channels.FileChannel f1 = java.nio.channels.FileChannel.open(file);
                    java.nio.channels.FileChannel f2 = java.nio.channels.FileChannel.open(file)) {
                org.jasyncio.Task<Long> sending = Asyncio.createTask(() -> Network.sendfile(t, f1));
                while (t.getWriteBufferSize() == 0 && !sending.done()) {
                    Asyncio.sleep(0.005); // until the bytes back up in the transport
                }
                assertFalse(sending.done(), "the peer does not read: the sendfile waits");
                IllegalStateException twice = assertThrows(IllegalStateException.class, () -> Network.sendfile(t, f2));
                assertTrue(twice.getMessage().contains("already in progress"), twice.getMessage());
                t.abort();
                assertThrows(ConnectionResetException.class, sending::await);
                app.lost.await();
                assertEquals(app, t.getProtocol(), "the application's protocol is back");
                assertEquals(List.of("lost"), app.events, "no flow-control call around or after the loss");
                assertTrue(f1.isOpen(), "the caller's file stays open");
            }
            server.close();
            server.abortClients();
            server.waitClosed();
        });
    }

    @Test
    void cancellingATlsSendfileHandsBackTheProtocolToldThatWritingIsPaused(@TempDir Path dir) throws Exception {
        // the stand-in protocol took the pause: the application learns of it when it gets its
        // transport back, and of the resume later
        Path file = dir.resolve("big.bin");
        Files.write(file, new byte[8 << 20]);
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Stalled::new, "127.0.0.1", 0, serverTls);
            FlowRecorder app = new FlowRecorder();
            Transport t = Network.createConnection(() -> app, "127.0.0.1", server.port(), clientTls).transport();
            int high = t.getWriteBufferLimits()[1]; // asyncio's (low, high)
            try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(file)) {
                org.jasyncio.Task<Long> sending = Asyncio.createTask(() -> Network.sendfile(t, f));
                while (t.getWriteBufferSize() <= high && !sending.done()) {
                    Asyncio.sleep(0.005); // until the transport is over its high-water mark
                }
                sending.cancel();
                assertThrows(org.jasyncio.CancelledError.class, sending::await);
                assertEquals(app, t.getProtocol());
                assertEquals(List.of("pause"), app.events);
                assertTrue(f.isOpen(), "the caller's file stays open");
                assertTrue(f.position() > 0, "the position is after what was sent");
            }
            t.abort();
            app.lost.await();
            server.close();
            server.abortClients();
            server.waitClosed();
        });
    }

    @Test
    void untrustedCertificateFailsTheHandshake() throws Exception {
        SSLContext trustsNothingOfOurs = SSLContext.getInstance("TLS");
        trustsNothingOfOurs.init(null, null, null); // the JDK's default CAs
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0, serverTls);
            Exception e = assertThrows(Exception.class,
                    () -> Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port(),
                            ConnectionOptions.DEFAULTS.withSsl(trustsNothingOfOurs)));
            assertTrue(e instanceof SSLHandshakeException, e.toString());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void startTlsUpgradesAPlainStream() {
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                assertEquals("STARTTLS\n", new String(r.readline()));
                w.write("GO\n".getBytes());
                w.drain();
                w.startTls(serverContext, null);
                StreamsTest.echoLines(r, w);
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            c.writer().write("STARTTLS\n".getBytes());
            assertEquals("GO\n", new String(c.reader().readline()));
            c.writer().startTls(clientContext, "127.0.0.1");
            assertNotNull(c.writer().getExtraInfo("peercert"));
            c.writer().write("now private\n".getBytes());
            assertEquals("now private\n", new String(c.reader().readline()));
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }
}
