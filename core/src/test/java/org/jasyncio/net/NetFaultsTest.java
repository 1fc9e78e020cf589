package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.Streams;

/** Faults and cancellation on streams: each raises a precise exception and loses no byte. */
@Timeout(30)
class NetFaultsTest {

    private static int closedPort() throws Exception {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    @Test
    void refusedConnectionThrowsConnectException() throws Exception {
        int port = closedPort();
        Asyncio.run(() -> {
            Exception e = assertThrows(Exception.class, () -> Asyncio.openConnection("127.0.0.1", port));
            assertTrue(e instanceof ConnectException, e.toString());
        });
    }

    @Test
    void theDeclaredIoExceptionsCanBeCaughtByTheirOwnTypes() throws Exception {
        int port = closedPort();
        Asyncio.run(() -> {
            // These catch clauses compile only because the calls declare IOException.
            int refused = 0;
            try {
                Network.createConnection(() -> new Protocol() { }, "127.0.0.1", port);
            } catch (ConnectException e) {
                refused++;
            }
            try {
                Streams.openConnection("127.0.0.1", port);
            } catch (ConnectException e) {
                refused++;
            }
            try (SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                Sockets.sockConnect(ch, new InetSocketAddress("127.0.0.1", port));
            } catch (ConnectException e) {
                refused++;
            }
            assertEquals(3, refused);
            Server server = Streams.startServer((r, w) -> {
                ((SocketChannel) w.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_LINGER, 0);
                w.transport().abort(); // a reset
            }, "127.0.0.1", 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            Asyncio.sleep(0.1);
            boolean reset = false;
            try {
                c.reader().read(10);
            } catch (ConnectionResetException e) {
                reset = true;
            }
            assertTrue(reset, "read after a reset");
            reset = false;
            try {
                c.writer().drain();
            } catch (ConnectionResetException e) {
                reset = true;
            }
            assertTrue(reset, "drain after a reset");
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void unknownHostThrowsUnknownHostException() {
        Asyncio.run(() -> {
            Exception e = assertThrows(Exception.class, () -> Asyncio.openConnection("no-such-host.invalid", 80));
            assertTrue(e instanceof UnknownHostException, e.toString());
        });
    }

    @Test
    void peerResetRaisesConnectionResetAfterTheBytesAlreadyReceived() {
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                w.write("last words\n".getBytes());
                w.drain();
                Asyncio.sleep(0.02);
                // SO_LINGER 0 makes close() send a reset.
                ((SocketChannel) w.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_LINGER, 0);
                w.transport().abort();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            Asyncio.sleep(0.1); // both the bytes and the reset have arrived
            assertEquals("last words\n", new String(c.reader().readline()));
            Exception e = assertThrows(Exception.class, () -> c.reader().read(10));
            assertTrue(e instanceof ConnectionResetException, e.toString());
            Exception w = assertThrows(Exception.class, () -> c.writer().write("x".getBytes()));
            assertTrue(w instanceof ConnectionResetException, w.toString());
            Exception d = assertThrows(Exception.class, () -> c.writer().drain());
            assertTrue(d instanceof ConnectionResetException, d.toString());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void writeAfterCloseThrowsIllegalState() {
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            c.writer().close();
            assertTrue(c.writer().isClosing());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> c.writer().write("late".getBytes()));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void drainAfterCloseRaisesConnectionLost() {
        // asyncio: drain() after close() lets connection_lost run, then raises ConnectionResetError.
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            c.writer().close();
            Exception e = assertThrows(Exception.class, () -> c.writer().drain());
            assertTrue(e instanceof ConnectionResetException, e.toString());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void lineOverTheLimitThrowsTheValueErrorKindAndTheStreamGoesOn() {
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                w.write(("x".repeat(100) + "\nshort\n").getBytes());
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port(), ConnectionOptions.DEFAULTS.withLimit(50));
            assertThrows(IllegalArgumentException.class, () -> c.reader().readline()); // asyncio: ValueError
            assertEquals("short\n", new String(c.reader().readline()));
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void cancelledReadLeavesTheStreamUsable() {
        Asyncio.run(() -> {
            Future<Void> go = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> {
                go.await();
                w.write("after cancel\n".getBytes());
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            Task<byte[]> reading = Asyncio.createTask(() -> c.reader().readline());
            Asyncio.sleep(0.01);
            reading.cancel();
            assertThrows(CancelledError.class, reading::await);
            go.setResult(null);
            assertEquals("after cancel\n", new String(c.reader().readline()));
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void cancelledDrainLeavesTheStreamUsable() {
        Asyncio.run(() -> {
            Future<Void> startReading = Asyncio.getRunningLoop().createFuture();
            Future<Integer> total = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> {
                startReading.await();
                total.setResult(r.read(-1).length);
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            byte[] chunk = new byte[4 << 20];
            int written = 0;
            Task<Void> draining = null;
            // Until a drain stays pending: loopback socket buffers may grow to take several MiB.
            for (int i = 0; i < 8 && (draining == null || draining.done()); i++) {
                c.writer().write(chunk);
                written += chunk.length;
                draining = Asyncio.createTask(() -> c.writer().drain());
                Asyncio.sleep(0.02);
            }
            assertFalse(draining.done());
            draining.cancel();
            assertThrows(CancelledError.class, draining::await);
            c.writer().write(chunk); // still usable: the bytes queue behind the first ones
            written += chunk.length;
            startReading.setResult(null);
            c.writer().drain();
            c.writer().writeEof();
            assertEquals(written, total.await()); // every byte arrived, in one piece
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void connectingToAnOutOfRangePortIsRejected() {
        Asyncio.run(() -> {
            assertThrows(IllegalArgumentException.class, () -> Asyncio.openConnection("127.0.0.1", -1));
        });
    }
}
