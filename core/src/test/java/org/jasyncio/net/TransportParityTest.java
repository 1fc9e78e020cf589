package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.net.TransportTest.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Parity with CPython 3.13's selector_events._SelectorSocketTransport and _FlowControlMixin:
 * what {@link TransportTest} does not already pin (close and write_eof with bytes still
 * buffered, abort, write-buffer limits, connection_lost's order and timing).
 */
@Timeout(30)
class TransportParityTest {

    /**
     * The server side: does not read until {@link #resume()} (so the client's buffer fills),
     * keeps everything it receives, completes {@code eof} on EOF and then, if {@code reply} is
     * set, writes it and closes (half-close: eofReceived returns true).
     */
    static final class Peer implements Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final Future<Integer> eof;
        final Future<Boolean> lostWithSocketOpen;
        byte[] reply;
        Transport transport;

        Peer(EventLoop loop) {
            eof = loop.createFuture();
            lostWithSocketOpen = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            t.pauseReading();
        }

        void resume() {
            transport.resumeReading();
        }

        @Override
        public void dataReceived(byte[] data) {
            got.writeBytes(data);
        }

        @Override
        public boolean eofReceived() {
            eof.setResult(got.size());
            if (reply != null) {
                transport.write(reply);
                transport.close();
            }
            return true;
        }

        @Override
        public void connectionLost(Throwable exception) {
            lostWithSocketOpen.setResult(((SocketChannel) transport.getExtraInfo("socket")).isOpen());
        }
    }

    /** A connected pair: the client's Recorder and the server's Peer, and the server. */
    record Pair(Server server, Transport client, Recorder recorder, Peer peer) {
        void shutDown() {
            client.abort();
            peer.transport.abort();
            server.close();
            server.waitClosed();
        }
    }

    private static Pair connect() throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        List<Peer> peers = new ArrayList<>();
        Server server = Network.createServer(() -> {
            Peer p = new Peer(loop);
            peers.add(p);
            return p;
        }, "127.0.0.1", 0);
        TransportAndProtocol<Recorder> c = Network.createConnection(() -> new Recorder(loop), "127.0.0.1", server.port());
        while (peers.isEmpty() || peers.get(0).transport == null) {
            Asyncio.sleep(0.005);
        }
        return new Pair(server, c.transport(), c.protocol(), peers.get(0));
    }

    /** Writes distinct bytes until the transport buffers more than the default high-water mark. */
    private static byte[] fillBuffer(Transport t) {
        return fillBuffer(t, 64 * 1024);
    }

    /** Writes distinct bytes until the transport buffers more than {@code over}; returns everything written. */
    private static byte[] fillBuffer(Transport t, long over) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 400 && t.getWriteBufferSize() <= over; i++) {
            byte[] chunk = new byte[256 * 1024];
            for (int j = 0; j < chunk.length; j++) {
                chunk[j] = (byte) (i * 31 + j / 7);
            }
            t.write(chunk);
            all.writeBytes(chunk);
        }
        assertTrue(t.getWriteBufferSize() > over, "the kernel took everything");
        return all.toByteArray();
    }

    private static long count(List<String> events, String e) {
        return events.stream().filter(e::equals).count();
    }

    @Test
    void closeWithBytesBufferedStopsReadingAtOnceFlushesThemThenCallsConnectionLost() {
        // selector_events close(): remove_reader now; _write_ready calls connection_lost once the buffer drains
        Asyncio.run(() -> {
            Pair p = connect();
            byte[] sent = fillBuffer(p.client());
            p.client().close();
            assertTrue(p.client().isClosing());
            assertFalse(p.client().isReading());
            assertTrue(p.client().getWriteBufferSize() > 0);
            Asyncio.sleep(0.02);
            assertFalse(p.recorder().lost.done(), "connection_lost before the buffer was sent");
            p.peer().resume();
            assertEquals(sent.length, p.peer().eof.await());
            assertArrayEquals(sent, p.peer().got.toByteArray());
            assertNull(p.recorder().lost.await());
            // pause at the high-water mark, resume as the buffer drains, then connection_lost
            assertEquals(List.of("made", "pause", "resume", "lost"), p.recorder().events);
            p.shutDown();
        });
    }

    @Test
    void writeEofWithBytesBufferedShutsDownOnlyOnceTheyAreSentAndTheReadSideStaysOpen() {
        // selector_events write_eof(): shutdown(SHUT_WR) now if the buffer is empty, else from _write_ready;
        // the peer's eof_received returning true keeps its side open (half-close)
        Asyncio.run(() -> {
            Pair p = connect();
            p.peer().reply = "bye".getBytes();
            p.recorder().keepOpenOnEof = true;
            byte[] sent = fillBuffer(p.client());
            p.client().writeEof();
            assertFalse(p.client().isClosing());
            Asyncio.sleep(0.02);
            assertFalse(p.peer().eof.done(), "EOF before the buffered bytes");
            p.peer().resume();
            assertEquals(sent.length, p.peer().eof.await());
            p.recorder().eof.await();
            assertEquals("bye", p.recorder().received.toString());
            // _read_ready__on_eof with keep_open only removes the reader: is_reading() stays true
            assertTrue(p.client().isReading());
            p.client().close();
            assertNull(p.recorder().lost.await());
            assertEquals(List.of("made", "pause", "resume", "data", "eof", "lost"), p.recorder().events);
            p.shutDown();
        });
    }

    @Test
    void writeEofIsIdempotentAndANoOpOnceClosing() {
        // selector_events write_eof(): "if self._closing or self._eof: return"
        Asyncio.run(() -> {
            Pair p = connect();
            p.client().writeEof();
            p.client().writeEof();
            p.client().close();
            p.client().writeEof();
            assertNull(p.recorder().lost.await());
            p.shutDown();
        });
    }

    @Test
    void abortWithBytesBufferedDropsThemAndCallsConnectionLostOnTheNextIteration() {
        // selector_events abort() -> _force_close(None): buffer cleared, connection_lost via call_soon,
        // and no resume_writing for the dropped bytes
        Asyncio.run(() -> {
            Pair p = connect();
            fillBuffer(p.client());
            p.client().abort();
            assertEquals(0, p.client().getWriteBufferSize());
            assertTrue(p.client().isClosing());
            assertFalse(p.client().isReading());
            assertFalse(p.recorder().lost.done(), "connection_lost called inline");
            Asyncio.sleep(0);
            assertTrue(p.recorder().lost.done());
            assertNull(p.recorder().lost.await());
            assertEquals(List.of("made", "pause", "lost"), p.recorder().events);
            p.shutDown();
        });
    }

    @Test
    void closeWithAnEmptyBufferCallsConnectionLostOnTheNextIteration() {
        // selector_events close(): with nothing buffered, call_soon(_call_connection_lost, None)
        Asyncio.run(() -> {
            Pair p = connect();
            p.client().close();
            assertFalse(p.recorder().lost.done(), "connection_lost called inline");
            Asyncio.sleep(0);
            assertTrue(p.recorder().lost.done());
            p.shutDown();
        });
    }

    @Test
    void closeThenAbortWithBytesBufferedCallsConnectionLostOnce() {
        // _force_close after close(): _conn_lost is still 0, so the buffer goes and connection_lost runs once
        Asyncio.run(() -> {
            Pair p = connect();
            fillBuffer(p.client());
            p.client().close();
            p.client().abort();
            p.client().abort();
            p.client().close();
            assertEquals(0, p.client().getWriteBufferSize());
            assertNull(p.recorder().lost.await());
            Asyncio.sleep(0.02);
            assertEquals(1, count(p.recorder().events, "lost"));
            p.shutDown();
        });
    }

    @Test
    void abortThenCloseCallsConnectionLostOnce() {
        Asyncio.run(() -> {
            Pair p = connect();
            p.client().abort();
            p.client().close();
            p.client().abort();
            assertNull(p.recorder().lost.await());
            Asyncio.sleep(0.02);
            assertEquals(1, count(p.recorder().events, "lost"));
            p.shutDown();
        });
    }

    @Test
    void connectionLostRunsWithTheSocketStillOpenAndTheSocketIsClosedAfter() {
        // selector_events _call_connection_lost: protocol.connection_lost(exc), then sock.close(), then server._detach
        Asyncio.run(() -> {
            Pair p = connect();
            SocketChannel served = (SocketChannel) p.peer().transport.getExtraInfo("socket");
            p.peer().transport.close();
            assertTrue(p.peer().lostWithSocketOpen.await());
            assertFalse(served.isOpen());
            p.client().close();
            p.server().close();
            p.server().waitClosed();
        });
    }

    @Test
    void defaultWriteBufferLimitsAre64KiBAndAQuarterAndBadLimitsAreRejected() {
        // _FlowControlMixin._set_write_buffer_limits: high 64 KiB, low high // 4; "high must be >= low must be >= 0"
        Asyncio.run(() -> {
            Pair p = connect();
            assertArrayEquals(new int[] {16 * 1024, 64 * 1024}, p.client().getWriteBufferLimits());
            assertThrows(IllegalArgumentException.class, () -> p.client().setWriteBufferLimits(10, 20));
            assertThrows(IllegalArgumentException.class, () -> p.client().setWriteBufferLimits(10, -1));
            assertArrayEquals(new int[] {16 * 1024, 64 * 1024}, p.client().getWriteBufferLimits());
            p.client().setWriteBufferLimits(0, 0);
            assertArrayEquals(new int[] {0, 0}, p.client().getWriteBufferLimits());
            assertFalse(p.recorder().events.contains("pause"), "paused with nothing buffered");
            p.shutDown();
        });
    }

    @Test
    void loweringTheLimitsUnderTheBufferedSizePausesAtOnceRaisingThemDoesNotResume() {
        // set_write_buffer_limits() calls _maybe_pause_protocol() only
        Asyncio.run(() -> {
            Pair p = connect();
            p.client().setWriteBufferLimits(1 << 30, 1 << 28);
            fillBuffer(p.client(), 1024);
            assertFalse(p.recorder().events.contains("pause"));
            p.client().setWriteBufferLimits(1, 0);
            assertEquals(List.of("made", "pause"), p.recorder().events);
            p.client().setWriteBufferLimits(1 << 30, 1 << 28);
            assertEquals(List.of("made", "pause"), p.recorder().events);
            p.peer().resume();
            while (!p.recorder().events.contains("resume")) {
                Asyncio.sleep(0.005);
            }
            assertEquals(List.of("made", "pause", "resume"), p.recorder().events);
            p.shutDown();
        });
    }

    @Test
    void pauseWritingAndResumeWritingAreCalledOncePerCrossing() {
        // _maybe_pause_protocol / _maybe_resume_protocol guard on _protocol_paused
        Asyncio.run(() -> {
            Pair p = connect();
            fillBuffer(p.client());
            for (int i = 0; i < 10; i++) {
                p.client().write(new byte[100 * 1024]);
            }
            assertEquals(1, count(p.recorder().events, "pause"));
            p.peer().resume();
            while (p.client().getWriteBufferSize() > 0) {
                Asyncio.sleep(0.005);
            }
            assertEquals(List.of("made", "pause", "resume"), p.recorder().events);
            p.peer().transport.pauseReading();
            Asyncio.sleep(0.01);
            fillBuffer(p.client());
            assertEquals(List.of("made", "pause", "resume", "pause"), p.recorder().events);
            p.shutDown();
        });
    }

    @Test
    void queuedWritesKeepTheirOrderAndAnEmptyWriteIsANoOp() {
        // write(): "if not data: return"; otherwise bytes are sent or appended to the buffer in order
        Asyncio.run(() -> {
            Pair p = connect();
            byte[] first = fillBuffer(p.client());
            long buffered = p.client().getWriteBufferSize();
            p.client().write(new byte[0]);
            assertEquals(buffered, p.client().getWriteBufferSize());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(first);
            for (int i = 0; i < 3000; i++) {
                byte[] small = ("<" + i + ">").getBytes();
                p.client().write(small);
                expected.writeBytes(small);
            }
            p.client().writeEof();
            p.peer().resume();
            assertEquals(expected.size(), p.peer().eof.await());
            assertArrayEquals(expected.toByteArray(), p.peer().got.toByteArray());
            p.shutDown();
        });
    }

    @Test
    void anExceptionFromConnectionMadeGoesToTheHandlerAndTheTransportStaysOpen() {
        // selector_events: connection_made is call_soon'd like any callback ("Exception in callback ..."),
        // then the reader is added and the waiter woken as usual
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<org.jasyncio.ExceptionContext> reported = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            Server server = Network.createServer(TransportTest.Echo::new, "127.0.0.1", 0);
            TransportAndProtocol<Recorder> tp = Network.createConnection(() -> new Recorder(loop) {
                @Override
                public void connectionMade(Transport t) {
                    super.connectionMade(t);
                    throw new IllegalStateException("made failed");
                }
            }, "127.0.0.1", server.port());
            assertEquals(1, reported.size());
            assertTrue(reported.get(0).exception() instanceof IllegalStateException);
            assertTrue(reported.get(0).message().startsWith("Exception in callback"), reported.get(0).message());
            assertFalse(tp.transport().isClosing());
            tp.transport().write("still open".getBytes());
            while (tp.protocol().received.size() < 10) {
                Asyncio.sleep(0.005);
            }
            assertEquals("still open", tp.protocol().received.toString());
            tp.transport().close();
            assertNull(tp.protocol().lost.await());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void pauseAndResumeReadingAreIdempotentAndNoOpsOnceClosing() {
        // 3.7+: pause_reading()/resume_reading() are idempotent; is_reading() is false once closing
        Asyncio.run(() -> {
            Pair p = connect();
            p.client().pauseReading();
            p.client().pauseReading();
            assertFalse(p.client().isReading());
            p.client().resumeReading();
            p.client().resumeReading();
            assertTrue(p.client().isReading());
            // bytes waiting in the socket when close() comes are never handed to data_received
            p.client().pauseReading();
            p.peer().transport.write("unread".getBytes());
            Asyncio.sleep(0.02);
            p.client().close();
            assertFalse(p.client().isReading());
            p.client().resumeReading();
            p.client().pauseReading();
            assertFalse(p.client().isReading());
            assertNull(p.recorder().lost.await());
            assertEquals(List.of("made", "lost"), p.recorder().events);
            p.shutDown();
        });
    }
}
