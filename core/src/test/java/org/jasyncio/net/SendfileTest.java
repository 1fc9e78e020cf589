package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.process.Subprocess;
import org.jasyncio.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** asyncio's loop.sendfile / loop.sock_sendfile (CPython's test_sendfile.py), over plain sockets. */
@Timeout(60)
class SendfileTest {

    /** Larger than the socket buffers on both ends, so the transfer has to wait for the peer. */
    private static final int SIZE = 4 << 20;

    @TempDir
    Path dir;
    private byte[] content;
    private Path file;

    @BeforeEach
    void writeFile() throws Exception {
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
        file = dir.resolve("data.bin");
        Files.write(file, content);
    }

    /** Collects what it receives; reads only while {@code reading} is set. */
    private static final class Sink implements Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final Future<Void> lost;
        Transport transport;

        Sink(EventLoop loop) {
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        /** Aborts the connection once this many bytes arrived (0: never). */
        int abortAfter;

        @Override
        public void dataReceived(byte[] data) {
            got.writeBytes(data);
            if (abortAfter > 0 && got.size() >= abortAfter) {
                transport.abort();
            }
        }

        @Override
        public void connectionLost(Throwable exception) {
            if (!lost.done()) {
                lost.setResult(null);
            }
        }

        void awaitBytes(int n) {
            while (got.size() < n) {
                Asyncio.sleep(0.002);
            }
        }
    }

    /** A connected pair: a client transport and the server's sink for it. */
    private record Pair(Server server, Transport client, Sink peer) {
        void shutDown() {
            client.close();
            peer.lost.await();
            server.close();
            server.waitClosed();
        }
    }

    private static Pair connect() throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        Sink[] peer = new Sink[1];
        Server server = Network.createServer(() -> peer[0] = new Sink(loop), "127.0.0.1", 0);
        Transport client = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port()).transport();
        while (peer[0] == null || peer[0].transport == null) {
            Asyncio.sleep(0.002);
        }
        // Small fixed kernel buffers (no auto-tuning): a peer that stops reading stops the transfer.
        try {
            ((SocketChannel) client.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            ((SocketChannel) peer[0].transport.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_RCVBUF,
                    64 * 1024);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Pair(server, client, peer[0]);
    }

    /**
     * Stops the peer reading and writes 1 MiB chunks until the kernel's buffers are full and
     * bytes stay in the transport's; returns everything written.
     */
    private static byte[] fillUntilBuffered(Pair p) {
        p.peer().transport.pauseReading();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; p.client().getWriteBufferSize() == 0; i++) {
            Arrays.fill(chunk, (byte) i);
            p.client().write(chunk);
            written.writeBytes(chunk);
        }
        return written.toByteArray();
    }

    /** Starts a whole-file sendfile in a task while the peer does not read; returns once it waits. */
    private static Task<Long> sendfileToAStalledPeer(Pair p, FileChannel f) {
        p.peer().transport.pauseReading();
        Task<Long> sending = Asyncio.createTask(() -> Network.sendfile(p.client(), f));
        Asyncio.sleep(0.02);
        assertFalse(sending.done(), "the peer does not read: the sendfile waits");
        return sending;
    }

    @Test
    void sendfileSendsTheWholeFileAndLeavesThePositionAtItsEnd() throws Exception {
        // test_sendfile: returns the size, the peer gets every byte, file.tell() == size
        Asyncio.run(() -> {
            Pair p = connect();
            try (FileChannel f = FileChannel.open(file)) {
                long sent = Network.sendfile(p.client(), f);
                assertEquals(SIZE, sent);
                assertEquals(SIZE, f.position());
            }
            p.peer().awaitBytes(SIZE);
            assertArrayEquals(content, p.peer().got.toByteArray());
            assertTrue(p.client().isReading(), "reading resumes after the transfer");
            p.client().write("after".getBytes()); // write() works again
            p.peer().awaitBytes(SIZE + 5);
            p.shutDown();
        });
    }

    @Test
    void offsetAndCountSelectASliceAndTheEndOfFileCutsItShort() throws Exception {
        // test_sendfile_with_offset_and_count, test_sendfile_count_greater_than_file_size
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            try (FileChannel f = FileChannel.open(file)) {
                assertEquals(5000, Network.sendfile(p.client(), f, 1000, 5000));
                assertEquals(6000, f.position());
                assertEquals(10, Network.sendfile(p.client(), f, SIZE - 10, 100));
                assertEquals(SIZE, f.position());
                assertEquals(0, Network.sendfile(p.client(), f, SIZE), "nothing left after the end");
            }
            p.peer().awaitBytes(5010);
            byte[] expected = new byte[5010];
            System.arraycopy(content, 1000, expected, 0, 5000);
            System.arraycopy(content, SIZE - 10, expected, 5000, 10);
            assertArrayEquals(expected, p.peer().got.toByteArray());
            p.shutDown();
        });
    }

    @Test
    void bytesAlreadyBufferedGoFirstAndWriteIsRefusedMeanwhile() throws Exception {
        // _sendfile_native waits for the write buffer to empty; write() during it raises
        // "unable to write; sendfile is in progress"
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            byte[] head = fillUntilBuffered(p);
            try (FileChannel f = FileChannel.open(file)) {
                Task<Long> sending = sendfileToAStalledPeer(p, f);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> p.client().write("x".getBytes()));
                assertTrue(e.getMessage().contains("sendfile is in progress"), e.getMessage());
                p.peer().transport.resumeReading();
                assertEquals(SIZE, sending.await());
            }
            p.peer().awaitBytes(head.length + SIZE);
            byte[] got = p.peer().got.toByteArray();
            assertArrayEquals(head, Arrays.copyOfRange(got, 0, head.length));
            assertArrayEquals(content, Arrays.copyOfRange(got, head.length, got.length));
            p.shutDown();
        });
    }

    @Test
    void cancellingLeavesTheTransportUsableAndThePositionAfterWhatWasSent() throws Exception {
        // the file position is updated even when sendfile is interrupted
        Asyncio.run(() -> {
            Pair p = connect();
            try (FileChannel f = FileChannel.open(file)) {
                Task<Long> sending = sendfileToAStalledPeer(p, f);
                sending.cancel();
                assertThrows(CancelledError.class, sending::await);
                long sent = f.position();
                assertTrue(sent > 0 && sent < SIZE, "position " + sent);
                p.client().write("tail".getBytes());
                assertTrue(p.client().isReading());
                p.peer().transport.resumeReading();
                p.peer().awaitBytes((int) sent + 4);
                byte[] got = p.peer().got.toByteArray();
                assertArrayEquals(Arrays.copyOf(content, (int) sent), Arrays.copyOf(got, (int) sent));
                assertEquals("tail", new String(got, (int) sent, 4));
            }
            p.shutDown();
        });
    }

    @Test
    void abortingTheTransportFailsAWaitingSendfile() throws Exception {
        // _call_connection_lost fails the empty waiter (asyncio: "Connection is closed by peer")
        Asyncio.run(() -> {
            Pair p = connect();
            try (FileChannel f = FileChannel.open(file)) {
                Task<Long> sending = sendfileToAStalledPeer(p, f);
                p.client().abort();
                assertThrows(ConnectionResetException.class, sending::await);
            }
            p.peer().transport.resumeReading();
            p.peer().lost.await();
            p.server().close();
            p.server().waitClosed();
        });
    }

    @Test
    void badArgumentsAndAClosingTransportAreRefused() throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            try (FileChannel f = FileChannel.open(file)) {
                IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                        () -> Network.sendfile(p.client(), f, -1));
                assertTrue(offset.getMessage().contains("offset must be a non-negative integer"), offset.getMessage());
                IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                        () -> Network.sendfile(p.client(), f, 0, 0));
                assertTrue(count.getMessage().contains("count must be a positive integer"), count.getMessage());
                p.client().close();
                IllegalStateException closing = assertThrows(IllegalStateException.class,
                        () -> Network.sendfile(p.client(), f));
                assertEquals("Transport is closing", closing.getMessage());
                assertEquals(0, f.position(), "nothing sent, the position is untouched");
            }
            p.peer().lost.await();
            p.server().close();
            p.server().waitClosed();
        });
    }

    @Test
    void aPipeTransportCannotSendFiles() throws Exception {
        // asyncio's _SendfileMode.UNSUPPORTED: "sendfile is not supported for transport"
        Asyncio.run(() -> {
            Subprocess cat = Subprocess.createSubprocessExec("cat");
            try (FileChannel f = FileChannel.open(file)) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> Network.sendfile(cat.stdin().transport(), f));
                assertTrue(e.getMessage().contains("sendfile is not supported"), e.getMessage());
            }
            cat.stdin().close();
            assertEquals(0, cat.stdout().read().length);
            assertEquals(0, cat.waitFor());
        });
    }

    @Test
    void sockSendfileSendsOverARawChannel() throws Exception {
        // asyncio's loop.sock_sendfile(sock, file): the receiving side reads on another task
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel out = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel in = listener.accept()) {
                out.configureBlocking(false);
                in.configureBlocking(false);
                Asyncio.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    Task<byte[]> receiving = Asyncio.createTask(() -> {
                        ByteArrayOutputStream got = new ByteArrayOutputStream();
                        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                        while (got.size() < SIZE) {
                            buf.clear();
                            int n = Sockets.sockRecvInto(in, buf);
                            got.write(buf.array(), 0, n);
                        }
                        return got.toByteArray();
                    });
                    try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                        assertEquals(SIZE, Sockets.sockSendfile(out, f));
                        assertEquals(SIZE, f.position());
                    }
                    assertArrayEquals(content, receiving.await());
                });
            }
        }
    }

    @Test
    void sockSendfileRefusesABlockingChannelAndOneATransportOwns() throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            try (FileChannel f = FileChannel.open(file); SocketChannel blocking = SocketChannel.open()) {
                assertThrows(IllegalArgumentException.class, () -> Sockets.sockSendfile(blocking, f));
                SocketChannel owned = (SocketChannel) p.client().getExtraInfo("socket");
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sockets.sockSendfile(owned, f));
                assertTrue(e.getMessage().contains("Network.sendfile(transport"), e.getMessage());
            }
            p.shutDown();
        });
    }

    @Test
    void aSecondSendfileOnTheSameTransportIsRefused() throws Exception {
        // asyncio: the second _make_empty_waiter raises RuntimeError('Empty waiter is already set')
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            try (FileChannel f1 = FileChannel.open(file); FileChannel f2 = FileChannel.open(file)) {
                Task<Long> first = sendfileToAStalledPeer(p, f1);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Network.sendfile(p.client(), f2));
                assertTrue(e.getMessage().contains("already in progress"), e.getMessage());
                assertEquals(0, f2.position());
                p.peer().transport.resumeReading();
                assertEquals(SIZE, first.await());
            }
            p.peer().awaitBytes(SIZE);
            assertArrayEquals(content, p.peer().got.toByteArray());
            p.shutDown();
        });
    }

    @Test
    void thePeerClosingMidTransferIsAConnectionReset() throws Exception {
        // test_sendfile_close_peer_in_the_middle_of_receiving: a ConnectionError, the position
        // after what was sent, and the transport ends up closed
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            p.peer().abortAfter = 1024;
            try (FileChannel f = FileChannel.open(file)) {
                assertThrows(ConnectionResetException.class, () -> Network.sendfile(p.client(), f));
                assertTrue(f.position() >= 1024 && f.position() < SIZE, "position " + f.position());
            }
            while (!p.client().isClosing()) {
                Asyncio.sleep(0.002);
            }
            p.peer().lost.await();
            p.server().close();
            p.server().waitClosed();
        });
    }

    @Test
    void closingTheTransportWhileItsBufferDrainsFailsTheSendfile() throws Exception {
        // close() flushes the buffer and then loses the connection: the waiting sendfile fails
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Pair p = connect();
            fillUntilBuffered(p);
            try (FileChannel f = FileChannel.open(file)) {
                Task<Long> sending = sendfileToAStalledPeer(p, f);
                p.client().close();
                p.peer().transport.resumeReading();
                ConnectionResetException e = assertThrows(ConnectionResetException.class, sending::await);
                assertTrue(e.getMessage().contains("sendfile"), e.getMessage());
                assertEquals(0, f.position(), "nothing of the file was sent");
            }
            p.peer().lost.await();
            p.server().close();
            p.server().waitClosed();
        });
    }

    @Test
    void sendfileWorksOverAUnixSocketTransport() throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Sink[] peer = new Sink[1];
            Server server = Network.createUnixServer(() -> peer[0] = new Sink(loop), dir.resolve("s.sock"));
            Transport client = Network.createUnixConnection(() -> new Protocol() { }, dir.resolve("s.sock")).transport();
            try (FileChannel f = FileChannel.open(file)) {
                assertEquals(SIZE, Network.sendfile(client, f));
            }
            while (peer[0] == null) {
                Asyncio.sleep(0.002);
            }
            peer[0].awaitBytes(SIZE);
            assertArrayEquals(content, peer[0].got.toByteArray());
            client.close();
            peer[0].lost.await();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void sockSendfileSendsASliceAndMixesWithSockSendall() throws Exception {
        // sock_sendfile(sock, file, offset, count) between sock_sendall calls; an empty file sends 0
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel out = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel in = listener.accept()) {
                out.configureBlocking(false);
                in.configureBlocking(false);
                Asyncio.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    try (FileChannel f = FileChannel.open(file); FileChannel e = FileChannel.open(empty)) {
                        Sockets.sockSendall(out, "head".getBytes());
                        assertEquals(2000, Sockets.sockSendfile(out, f, 1000, 2000));
                        assertEquals(3000, f.position());
                        assertEquals(0, Sockets.sockSendfile(out, e));
                        assertEquals(10, Sockets.sockSendfile(out, f, SIZE - 10));
                        Sockets.sockSendall(out, "tail".getBytes());
                    }
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    ByteBuffer buf = ByteBuffer.allocate(8192);
                    while (got.size() < 2018) {
                        buf.clear();
                        got.write(buf.array(), 0, Sockets.sockRecvInto(in, buf));
                    }
                    byte[] g = got.toByteArray();
                    assertEquals("head", new String(g, 0, 4));
                    assertArrayEquals(Arrays.copyOfRange(content, 1000, 3000), Arrays.copyOfRange(g, 4, 2004));
                    assertArrayEquals(Arrays.copyOfRange(content, SIZE - 10, SIZE), Arrays.copyOfRange(g, 2004, 2014));
                    assertEquals("tail", new String(g, 2014, 4));
                });
            }
        }
    }
}
