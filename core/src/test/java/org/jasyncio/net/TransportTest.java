package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transport/protocol layer: asyncio's test_events / test_selector_events socket transport behaviour. */
@Timeout(30)
class TransportTest {

    /** Records every callback, and completes futures on EOF and loss. */
    static class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Future<Void> made;
        final Future<Void> eof;
        final Future<Throwable> lost;
        Transport transport;
        boolean keepOpenOnEof;

        Recorder(EventLoop loop) {
            made = loop.createFuture();
            eof = loop.createFuture();
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport t) {
            events.add("made");
            transport = t;
            made.setResult(null);
        }

        @Override
        public void dataReceived(byte[] data) {
            if (events.isEmpty() || !events.getLast().equals("data")) {
                events.add("data");
            }
            received.writeBytes(data);
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            eof.setResult(null);
            return keepOpenOnEof;
        }

        @Override
        public void connectionLost(Throwable exception) {
            events.add("lost");
            lost.setResult(exception);
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }
    }

    /** Echoes what it receives and closes on EOF. */
    static final class Echo implements Protocol {
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }
    }

    @Test
    void createConnectionCallsConnectionMadeBeforeReturning() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            TransportAndProtocol<Recorder> tp = Network.createConnection(() -> new Recorder(loop), "127.0.0.1",
                    server.port());
            assertTrue(tp.protocol().made.done());
            assertEquals(tp.transport(), tp.protocol().transport);
            tp.transport().close();
            tp.protocol().lost.await();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void echoRoundTripThenCloseGivesEofAndLostInOrder() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Recorder r = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).protocol();
            r.transport.write("hello ".getBytes());
            r.transport.writelines(List.of("wor".getBytes(), "ld".getBytes()));
            while (r.received.size() < 11) {
                Asyncio.sleep(0.005);
            }
            assertEquals("hello world", r.received.toString());
            // The server side closes on our EOF (Protocol.eofReceived defaults to false).
            r.keepOpenOnEof = true;
            r.transport.writeEof();
            r.eof.await();
            r.transport.close();
            assertNull(r.lost.await());
            assertEquals(List.of("made", "data", "eof", "lost"), r.events);
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void eofIsReportedOnceEvenIfReadingResumes() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new ServerTest.Keeper(accepted, null), "127.0.0.1", 0);
            Recorder r = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).protocol();
            r.keepOpenOnEof = true;
            while (accepted.isEmpty()) {
                Asyncio.sleep(0.005);
            }
            accepted.get(0).close();
            r.eof.await();
            r.transport.resumeReading();
            Asyncio.sleep(0.02);
            assertEquals(List.of("made", "eof"), r.events);
            r.transport.close();
            r.lost.await();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void extraInfoGivesPeernameAndSockname() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Transport t = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).transport();
            InetSocketAddress peer = (InetSocketAddress) t.getExtraInfo("peername");
            InetSocketAddress sock = (InetSocketAddress) t.getExtraInfo("sockname");
            assertEquals(server.port(), peer.getPort());
            assertEquals("127.0.0.1", sock.getAddress().getHostAddress());
            assertNull(t.getExtraInfo("no-such-thing"));
            t.close();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void writeAfterCloseThrows() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            TransportAndProtocol<Recorder> tp = Network.createConnection(() -> new Recorder(loop), "127.0.0.1",
                    server.port());
            tp.transport().close();
            assertTrue(tp.transport().isClosing());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tp.transport().write(new byte[] {1}));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            tp.protocol().lost.await();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void writeAfterWriteEofThrows() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Transport t = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).transport();
            assertTrue(t.canWriteEof());
            t.writeEof();
            assertThrows(IllegalStateException.class, () -> t.write(new byte[] {1}));
            t.close();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void pauseReadingStopsDataUntilResumed() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Recorder r = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).protocol();
            r.transport.pauseReading();
            assertFalse(r.transport.isReading());
            r.transport.write("ping".getBytes());
            Asyncio.sleep(0.05);
            assertEquals(0, r.received.size());
            r.transport.resumeReading();
            assertTrue(r.transport.isReading());
            while (r.received.size() < 4) {
                Asyncio.sleep(0.005);
            }
            assertEquals("ping", r.received.toString());
            r.transport.close();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void writeBufferOverHighWaterPausesProtocolAndResumesWhenDrained() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Transport> accepted = new ArrayList<>();
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    accepted.add(t);
                    t.pauseReading(); // the peer does not read: our buffer must fill
                }
            }, "127.0.0.1", 0);
            Recorder r = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).protocol();
            r.transport.setWriteBufferLimits(1000, 100);
            assertArrayEquals(new int[] {100, 1000}, r.transport.getWriteBufferLimits());
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 200 && !r.events.contains("pause"); i++) {
                r.transport.write(chunk);
            }
            assertTrue(r.events.contains("pause"), "pauseWriting was never called");
            assertTrue(r.transport.getWriteBufferSize() > 1000);
            while (accepted.isEmpty()) {
                Asyncio.sleep(0.005);
            }
            accepted.get(0).resumeReading();
            while (!r.events.contains("resume")) {
                Asyncio.sleep(0.005);
            }
            assertTrue(r.transport.getWriteBufferSize() <= 100);
            r.transport.close();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void bufferedBytesAreSentBeforeCloseCompletes() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Integer> total = loop.createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                int n;

                @Override
                public void dataReceived(byte[] data) {
                    n += data.length;
                }

                @Override
                public boolean eofReceived() {
                    total.setResult(n);
                    return false;
                }
            }, "127.0.0.1", 0);
            Recorder r = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).protocol();
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 16; i++) {
                r.transport.write(chunk);
            }
            r.transport.close();
            assertEquals(16 * 256 * 1024, total.await());
            assertNull(r.lost.await());
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void abortDropsBufferAndCallsConnectionLost() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Recorder r = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).protocol();
            r.transport.abort();
            assertTrue(r.transport.isClosing());
            assertNull(r.lost.await());
            assertEquals(0, r.transport.getWriteBufferSize());
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void exceptionInDataReceivedIsReportedAndClosesTransport() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<Throwable> reported = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx.exception()));
            Future<Throwable> lost = loop.createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void dataReceived(byte[] data) {
                    throw new IllegalArgumentException("boom");
                }

                @Override
                public void connectionLost(Throwable exception) {
                    lost.setResult(exception);
                }
            }, "127.0.0.1", 0);
            Recorder r = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port()).protocol();
            r.transport.write("x".getBytes());
            assertInstanceOf(IllegalArgumentException.class, lost.await());
            assertEquals(1, reported.size());
            r.lost.await();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void setProtocolSwitchesTheCallbacks() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            TransportAndProtocol<Recorder> tp = Network.createConnection(() -> new Recorder(loop), "127.0.0.1",
                    server.port());
            Recorder second = new Recorder(loop);
            tp.transport().setProtocol(second);
            assertEquals(second, tp.transport().getProtocol());
            tp.transport().write("abc".getBytes());
            while (second.received.size() < 3) {
                Asyncio.sleep(0.005);
            }
            assertEquals(0, tp.protocol().received.size());
            tp.transport().close();
            server.close();
            server.waitClosed(); // the accepted side closes too: no fd outlives the test
        });
    }

    @Test
    void channelsConnectedOutsideTheLoopBecomeTransports() throws Exception {
        // asyncio's create_connection(sock=) for the client and connect_accepted_socket for the server
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress()); // blocking connect
            SocketChannel accepted = listener.accept();
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                TransportAndProtocol<Echo> server = Network.connectAcceptedSocket(Echo::new, accepted);
                TransportAndProtocol<Recorder> tp = Network.createConnection(() -> new Recorder(loop), client);
                assertFalse(client.isBlocking(), "the loop switched the channel to non-blocking mode");
                assertEquals(accepted.getLocalAddress(), tp.transport().getExtraInfo("peername"));
                tp.transport().write("ping".getBytes());
                tp.transport().writeEof();
                tp.protocol().eof.await();
                assertEquals("ping", tp.protocol().received.toString());
                tp.protocol().lost.await();
                server.transport().close();
            });
            assertFalse(client.isOpen(), "the transport closed the channel it was given");
        }
    }

    @Test
    void wrappingAChannelThatIsNotConnectedOrAlreadyUsedIsRefused() throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (SocketChannel unconnected = SocketChannel.open()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Network.createConnection(() -> new Recorder(loop), unconnected));
                assertTrue(e.getMessage().contains("must be connected"), e.getMessage());
            }
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            TransportAndProtocol<Recorder> tp = Network.createConnection(() -> new Recorder(loop), "127.0.0.1",
                    server.port());
            SocketChannel used = (SocketChannel) tp.transport().getExtraInfo("socket");
            assertThrows(IllegalStateException.class, () -> Network.createConnection(() -> new Recorder(loop), used));
            tp.transport().close();
            // Closing, not yet released: the old transport would close the channel under a new one.
            assertThrows(IllegalStateException.class, () -> Network.createConnection(() -> new Recorder(loop), used));
            tp.protocol().lost.await();
            IllegalArgumentException closed = assertThrows(IllegalArgumentException.class,
                    () -> Network.createConnection(() -> new Recorder(loop), used));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
            server.close();
            server.waitClosed();
        });
    }
}
