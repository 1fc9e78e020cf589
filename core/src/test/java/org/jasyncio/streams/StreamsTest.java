package org.jasyncio.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.net.ConnectionOptions;
import org.jasyncio.net.Server;
import org.jasyncio.net.ServerOptions;

/** openConnection/startServer end to end: asyncio's test_streams.py over real sockets. */
@Timeout(30)
public class StreamsTest {

    public static void echoLines(StreamReader reader, StreamWriter writer) throws Exception {
        while (true) {
            byte[] line = reader.readline();
            if (line.length == 0) {
                break;
            }
            writer.write(line);
            writer.drain();
        }
        writer.close();
        writer.waitClosed();
    }

    @Test
    void openConnectionAndStartServerEchoLines() {
        Asyncio.run(() -> {
            Server server = Asyncio.startServer(StreamsTest::echoLines, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            c.writer().write("hello\n".getBytes());
            c.writer().writelines(List.of("wor".getBytes(), "ld\n".getBytes()));
            c.writer().drain();
            assertEquals("hello\n", new String(c.reader().readline()));
            assertEquals("world\n", new String(c.reader().readline()));
            c.writer().writeEof();
            assertEquals(0, c.reader().readline().length); // the server closes after our EOF
            assertTrue(c.reader().atEof());
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aWriterInTryWithResourcesIsClosedAtTheEndOfTheBlockAfterItsBytes() {
        // StreamWriter.close() (asyncio's close(): buffered bytes first, then the connection) as
        // the AutoCloseable method: the block's end starts closing; waitClosed() waits for it.
        Asyncio.run(() -> {
            Future<byte[]> received = new Future<>();
            Server server = Asyncio.startServer((reader, writer) -> {
                received.setResult(reader.read(-1)); // everything until the client's close
                writer.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            StreamWriter w = c.writer();
            try (w) {
                w.write("bye\n".getBytes());
            }
            assertTrue(w.isClosing());
            w.close(); // again: nothing
            w.waitClosed();
            assertEquals("bye\n", new String(received.await()));
            server.closeAndWait();
        });
    }

    @Test
    void hostNamesAreResolved() {
        Asyncio.run(() -> {
            Server server = Asyncio.startServer(StreamsTest::echoLines, "localhost", 0);
            Connection c = Asyncio.openConnection("localhost", server.port());
            c.writer().write("x\n".getBytes());
            assertEquals("x\n", new String(c.reader().readline()));
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void eachConnectionRunsItsHandlerAsItsOwnTask() {
        Asyncio.run(() -> {
            List<Task<?>> handlers = new ArrayList<>();
            Server server = Asyncio.startServer((r, w) -> {
                handlers.add(Asyncio.currentTask());
                echoLines(r, w);
            }, "127.0.0.1", 0);
            List<Connection> conns = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                conns.add(Asyncio.openConnection("127.0.0.1", server.port()));
            }
            for (int i = 0; i < 5; i++) {
                conns.get(i).writer().write(("n" + i + "\n").getBytes());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("n" + i + "\n", new String(conns.get(i).reader().readline()));
            }
            assertEquals(5, handlers.size());
            assertEquals(5, handlers.stream().distinct().count());
            for (Connection c : conns) {
                c.writer().close();
                c.writer().waitClosed();
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void readexactlyAndReaduntilOverTheNetwork() {
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                w.write("HEADER\r\n\r\n0123456789".getBytes());
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            assertEquals("HEADER\r\n\r\n", new String(c.reader().readuntil("\r\n\r\n".getBytes())));
            assertEquals("0123456789", new String(c.reader().readexactly(10)));
            assertEquals(0, c.reader().read(1).length);
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void drainSuspendsWhileOverHighWaterAndResumesWhenThePeerReads() {
        Asyncio.run(() -> {
            Future<Void> startReading = Asyncio.getRunningLoop().createFuture();
            Future<Integer> total = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> {
                startReading.await();
                total.setResult(r.read(-1).length);
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            byte[] chunk = new byte[1 << 20];
            Task<Void> writing = Asyncio.createTask(() -> {
                for (int i = 0; i < 8; i++) {
                    c.writer().write(chunk);
                    c.writer().drain();
                }
                c.writer().writeEof();
            });
            Asyncio.sleep(0.05);
            assertFalse(writing.done(), "drain() did not suspend although the peer does not read");
            assertTrue(c.writer().transport().getWriteBufferSize() > 0);
            startReading.setResult(null);
            writing.await();
            assertEquals(8 << 20, total.await());
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void extraInfoThroughTheWriter() {
        Asyncio.run(() -> {
            Future<Object> serverPeer = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> {
                serverPeer.setResult(w.getExtraInfo("peername"));
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            assertEquals(server.port(), ((InetSocketAddress) c.writer().getExtraInfo("peername")).getPort());
            assertEquals(c.writer().getExtraInfo("sockname"), serverPeer.await());
            assertTrue(c.writer().canWriteEof());
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void failingHandlerIsReportedAndItsConnectionClosed() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> reported = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx.message() + ": " + ctx.exception().getMessage()));
            Server server = Asyncio.startServer((r, w) -> {
                throw new IllegalStateException("handler failed");
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            assertEquals(0, c.reader().read(10).length); // closed by the server: EOF
            assertEquals(1, reported.size());
            assertTrue(reported.get(0).contains("handler failed"));
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void unixDomainSocketsCarryStreams(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("echo.sock");
        Asyncio.run(() -> {
            Server server = Streams.startUnixServer(StreamsTest::echoLines, sock);
            assertEquals(-1, server.port());
            assertTrue(Files.exists(sock));
            Connection c = Streams.openUnixConnection(sock);
            assertNotNull(c.writer().getExtraInfo("peername"));
            c.writer().write("over unix\n".getBytes());
            assertEquals("over unix\n", new String(c.reader().readline()));
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            assertFalse(Files.exists(sock), "closing the server removes its socket file");
        });
    }

    @Test
    void unixStreamsTakeTheirLimitsFromTheOptions(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("limits.sock");
        Asyncio.run(() -> {
            Server server = Streams.startUnixServer((r, w) -> {
                w.write(("server limit " + r.limit() + "\n").getBytes());
                w.close();
            }, sock, ServerOptions.DEFAULTS.withLimit(8));
            Connection c = Streams.openUnixConnection(sock, ConnectionOptions.DEFAULTS.withLimit(100));
            assertEquals(100, c.reader().limit());
            assertEquals("server limit 8\n", new String(c.reader().readline()));
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void streamsOverChannelsOpenedOutsideTheLoop() throws Exception {
        // asyncio's start_server(cb, sock=) and open_connection(sock=): the loop serves and talks
        // over sockets made elsewhere, and closing the server closes its listening socket
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        Asyncio.run(() -> {
            Server server = Streams.startServer(StreamsTest::echoLines, listener);
            assertEquals(((InetSocketAddress) listener.getLocalAddress()).getPort(), server.port());
            // A blocking connect to 127.0.0.1 completes in the kernel's backlog, without the loop.
            Connection c = Streams.openConnection(SocketChannel.open(listener.getLocalAddress()));
            c.writer().write("made elsewhere\n".getBytes());
            assertEquals("made elsewhere\n", new String(c.reader().readline()));
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
        assertFalse(listener.isOpen());
    }
}
