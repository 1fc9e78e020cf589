package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.Streams;
import org.jasyncio.streams.StreamsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a loop closes the transports and servers left open on it, each reported as asyncio's
 * {@code ResourceWarning} says it ("unclosed transport ..."): asyncio closes their sockets when
 * it collects them, so a port left bound by one {@code asyncio.run} is free for the next. The
 * loop is closed by {@code EventLoop.close()}, which runs the close action of the net layer's LoopLocal.
 */
@Timeout(60)
class LoopCloseTest {

    /** A loop that records what reaches its exception handler. */
    private static EventLoop recordingLoop(List<ExceptionContext> reported) {
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        return loop;
    }

    private static long count(List<ExceptionContext> reported, String prefix) {
        return reported.stream().filter(c -> c.message().startsWith(prefix)).count();
    }

    @Test
    void aServerLeftOpenIsClosedWithItsLoopSoTheNextRunCanBindItsPort() throws Exception {
        // Two asyncio.run calls that each start_server on one port without closing it: the
        // first server's socket is closed (with a ResourceWarning) before the second binds.
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop first = recordingLoop(reported);
        int port = first.runUntilComplete(() -> Streams.startServer(StreamsTest::echoLines, "127.0.0.1", 0).port());
        first.close();
        Asyncio.run(() -> {
            Server again = Streams.startServer(StreamsTest::echoLines, "127.0.0.1", port);
            Connection c = Streams.openConnection("127.0.0.1", port);
            c.writer().write("still served\n".getBytes());
            assertEquals("still served\n", new String(c.reader().readline()));
            c.writer().close();
            c.writer().waitClosed();
            again.close();
            again.waitClosed();
        });
        assertEquals(1, count(reported, "unclosed server Server[[/127.0.0.1:" + port + "]"), reported.toString());
        assertEquals(1, reported.size(), reported.toString());
    }

    @Test
    void transportsLeftOpenAreReportedAsUnclosedAndTheirChannelsClosed(@TempDir Path dir) throws Exception {
        // asyncio's _SelectorTransport.__del__: "unclosed transport <...>", then the socket is
        // closed; connection_lost is not called. A transport closed before is not reported.
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop loop = recordingLoop(reported);
        Path sock = dir.resolve("s.sock");
        List<java.nio.channels.Channel> channels = loop.runUntilComplete(() -> {
            List<java.nio.channels.Channel> open = new ArrayList<>();
            Future<Transport> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    accepted.trySetResult(t);
                }
            }, "127.0.0.1", 0);
            Transport client = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port())
                    .transport();
            open.add((SocketChannel) client.getExtraInfo("socket"));
            open.add((SocketChannel) accepted.await().getExtraInfo("socket"));
            Transport tls = Network.createConnection(() -> new Protocol() { }, "127.0.0.1",
                    Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                            ServerOptions.DEFAULTS.withSsl(TlsContexts.server())).port(),
                    ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client())).transport();
            open.add((SocketChannel) tls.getExtraInfo("socket"));
            DatagramTransport udp = Network.createDatagramEndpoint(() -> new DatagramProtocol() { },
                    new InetSocketAddress("127.0.0.1", 0), null).transport();
            open.add((DatagramChannel) udp.getExtraInfo("socket"));
            Streams.startUnixServer(StreamsTest::echoLines, sock);
            // A server and a connection closed properly, both sides: not reported.
            Future<Void> serverSideLost = Asyncio.getRunningLoop().createFuture();
            Server closedServer = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionLost(Throwable exception) {
                    serverSideLost.trySetResult(null);
                }
            }, "127.0.0.1", 0);
            Future<Void> clientSideLost = Asyncio.getRunningLoop().createFuture();
            Transport closed = Network.createConnection(() -> new Protocol() {
                @Override
                public void connectionLost(Throwable exception) {
                    clientSideLost.trySetResult(null);
                }
            }, "127.0.0.1", closedServer.port()).transport();
            closed.close();
            clientSideLost.await();
            serverSideLost.await();
            closedServer.close();
            closedServer.waitClosed();
            return open;
        });
        assertTrue(Files.exists(sock));
        loop.close();
        for (java.nio.channels.Channel ch : channels) {
            assertFalse(ch.isOpen(), ch + " left open");
        }
        assertFalse(Files.exists(sock), "the Unix server's socket file is removed");
        assertEquals(3, count(reported, "unclosed server "), reported.toString());
        // The client, its accepted side, the TLS client, the TLS server's accepted side, UDP.
        assertEquals(5, count(reported, "unclosed transport "), reported.toString());
        assertEquals(1, count(reported, "unclosed transport DatagramSocketTransport"), reported.toString());
        assertTrue(reported.stream().allMatch(c -> c.exception() == null), reported.toString());
        assertTrue(OpenResources.of(loop).snapshot().isEmpty());
        loop.close(); // idempotent: nothing more reported
        assertEquals(8, reported.size(), reported.toString());
    }

    @Test
    void inDebugModeEachReportSaysWhereTheProgramMadeWhatItLeftOpen() throws Exception {
        // asyncio's ResourceWarning carries the object's source traceback in debug mode only.
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop loop = recordingLoop(reported);
        loop.setDebug(true);
        int[] lines = new int[2];
        int runLine = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        loop.runUntilComplete(() -> {
            lines[0] = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            Server server = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            lines[1] = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port());
            Asyncio.sleep(0.01); // the server side's transport is made by the accept callback
            return null;
        });
        loop.close();
        List<String> messages = reported.stream().map(ExceptionContext::message).toList();
        assertEquals(1, messages.stream().filter(m -> m.startsWith("unclosed server ")
                && madeAt(m, "lambda$", lines[0])).count(), messages.toString());
        assertEquals(1, messages.stream().filter(m -> m.startsWith("unclosed transport ")
                && madeAt(m, "lambda$", lines[1])).count(), messages.toString());
        // The accepted side is made by the loop's accept callback: the innermost user frame is
        // where the loop was run, as for a future made in a callback.
        assertEquals(1, messages.stream().filter(m -> m.startsWith("unclosed transport ")
                && madeAt(m, "inDebugModeEachReportSaysWhereTheProgramMadeWhatItLeftOpen(", runLine)).count(),
                messages.toString());
    }

    /** Whether report {@code m} ends with "created at" a frame of this class's {@code method} at {@code line}. */
    private static boolean madeAt(String m, String method, int line) {
        return m.contains(" created at org.jasyncio.net.LoopCloseTest." + method)
                && m.endsWith("(LoopCloseTest.java:" + line + ")");
    }

    @Test
    void withoutDebugModeReportsNameNoCreationSite() throws Exception {
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop loop = recordingLoop(reported);
        loop.runUntilComplete(() -> Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0));
        loop.close();
        assertEquals(1, reported.size(), reported.toString());
        assertFalse(reported.get(0).message().contains("created at"), reported.toString());
    }

    @Test
    void aTransportClosedButNotYetLostIsFreedWithoutAReport() throws Exception {
        // close() with bytes still queued waits for them to go before connection_lost; a loop
        // closed meanwhile frees the socket. The program did close it: nothing to warn about,
        // unlike the peer's side, which nobody closed.
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop loop = recordingLoop(reported);
        SocketChannel ch = loop.runUntilComplete(() -> {
            Future<Void> accepted = Asyncio.getRunningLoop().createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    t.pauseReading(); // the client's bytes stay queued
                    accepted.trySetResult(null);
                }
            }, "127.0.0.1", 0);
            Transport client = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port())
                    .transport();
            accepted.await();
            server.close();
            client.write(new byte[32 << 20]);
            assertTrue(client.getWriteBufferSize() > 0, "bytes are queued");
            client.close();
            Asyncio.sleep(0.01);
            assertTrue(client.isClosing());
            assertTrue(OpenResources.of(Asyncio.getRunningLoop()).snapshot().contains(client), "not lost yet");
            return (SocketChannel) client.getExtraInfo("socket");
        });
        loop.close();
        assertFalse(ch.isOpen(), "the channel is closed");
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).message().startsWith("unclosed transport SocketTransport[open"),
                "only the peer's side, never closed: " + reported);
    }

    @Test
    void pipesLeftOpenAreClosedWithTheirLoop() throws Exception {
        // asyncio's _UnixReadPipeTransport/_UnixWritePipeTransport.__del__: "unclosed
        // transport", then the pipe is closed.
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop loop = recordingLoop(reported);
        CountDownLatch readEndClosed = new CountDownLatch(1);
        CountDownLatch writeEndClosed = new CountDownLatch(1);
        InputStream silent = new InputStream() {
            private final CountDownLatch closed = new CountDownLatch(1);

            @Override
            public int read() throws java.io.IOException {
                try {
                    closed.await(); // a child that says nothing
                } catch (InterruptedException e) {
                    throw new java.io.IOException(e);
                }
                throw new java.io.IOException("Stream closed");
            }

            @Override
            public void close() {
                closed.countDown();
                readEndClosed.countDown();
            }
        };
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void close() {
                writeEndClosed.countDown();
            }
        };
        loop.runUntilComplete(() -> {
            Network.connectReadPipe(() -> new Protocol() { }, silent);
            Network.connectWritePipe(() -> new Protocol() { }, sink);
            return null;
        });
        loop.close();
        assertTrue(readEndClosed.await(10, TimeUnit.SECONDS), "the read pipe was not closed");
        assertTrue(writeEndClosed.await(10, TimeUnit.SECONDS), "the write pipe was not closed");
        assertEquals(1, count(reported, "unclosed transport PipeReadTransport"), reported.toString());
        assertEquals(1, count(reported, "unclosed transport PipeWriteTransport"), reported.toString());
        assertEquals(2, reported.size(), reported.toString());
    }
}
