package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;
import org.junit.jupiter.api.Test;

/** asyncio's _UnixReadPipeTransport: test_asyncio/test_unix_events.py UnixReadPipeTransportTests. */
class PipeReadTransportTest {

    /** Records the callbacks in order; optionally pauses reading after each chunk. */
    private static final class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final Future<Void> lost;
        final boolean pauseEachChunk;
        Transport transport;
        int chunks;

        Recorder(EventLoop loop, boolean pauseEachChunk) {
            this.lost = loop.createFuture();
            this.pauseEachChunk = pauseEachChunk;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void dataReceived(byte[] data) {
            chunks++;
            events.add("data:" + new String(data, StandardCharsets.UTF_8));
            if (pauseEachChunk) {
                transport.pauseReading();
            }
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable e) {
            events.add("lost:" + e);
            lost.setResult(null);
        }
    }

    /** An endless stream of 'x', counting its reads and noticing close(). */
    private static final class Endless extends InputStream {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public int read() {
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads.incrementAndGet();
            int n = Math.min(len, 3);
            for (int i = 0; i < n; i++) {
                b[off + i] = 'x';
            }
            return n;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void connectionMadeThenDataThenEofThenConnectionLost() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop, false);
            InputStream in = new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8));
            PipeReadTransport t = PipeReadTransport.open(loop, in, r, "test-pipe");
            assertEquals(List.of("made"), r.events); // connectionMade runs at once
            assertSame(in, t.getExtraInfo("pipe"));
            r.lost.await();
            assertEquals(List.of("made", "data:hello", "eof", "lost:null"), r.events);
            assertTrue(t.isClosing());
            assertFalse(t.isReading());
            assertEquals(5, t.delivered());
        });
    }

    @Test
    void pausedReadingStopsThePumpUntilResumed() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop, true);
            Endless in = new Endless();
            PipeReadTransport t = PipeReadTransport.open(loop, in, r, "test-pipe");
            while (r.chunks == 0) {
                Asyncio.sleep(0.005);
            }
            Asyncio.sleep(0.05);
            assertFalse(t.isReading());
            assertEquals(1, r.chunks, "no chunk is delivered while paused");
            assertEquals(PipeReadTransport.CHUNKS_IN_FLIGHT, in.reads.get(), "the pump read ahead too far");
            t.resumeReading();
            while (r.chunks == 1) {
                Asyncio.sleep(0.005);
            }
            Asyncio.sleep(0.05);
            assertEquals(2, r.chunks);
            t.close();
            r.lost.await();
        });
    }

    @Test
    void closeStopsDeliveryClosesThePipeAndCallsConnectionLostOnce() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop, false);
            Endless in = new Endless();
            PipeReadTransport t = PipeReadTransport.open(loop, in, r, "test-pipe");
            while (r.chunks == 0) {
                Asyncio.sleep(0.005);
            }
            t.close();
            t.close(); // idempotent
            assertTrue(t.isClosing());
            int seen = r.chunks;
            r.lost.await();
            Asyncio.sleep(0.05);
            assertEquals(seen, r.chunks, "data after close() was delivered");
            assertEquals("lost:null", r.events.get(r.events.size() - 1));
            assertEquals(1, r.events.stream().filter(e -> e.startsWith("lost")).count());
            for (int i = 0; i < 500 && !in.closed.get(); i++) {
                Asyncio.sleep(0.01);
            }
            assertTrue(in.closed.get(), "the pipe was not closed");
        });
    }

    /** Gives {@code data} once, then throws {@code error} on every read. */
    private static InputStream failingAfter(String data, IOException error) {
        return new InputStream() {
            private final InputStream first = new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                throw error;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = first.read(b, off, len);
                if (n > 0) {
                    return n;
                }
                throw error;
            }
        };
    }

    @Test
    void aReadErrorIsReportedAndEndsTheConnectionWithIt() {
        // test_unix_events.py UnixReadPipeTransportTests.test__read_ready_error: an OSError
        // from os.read is _fatal_error(exc, 'Fatal read error on pipe transport'): the loop's
        // exception handler gets it, then _close(exc): connection_lost(exc), no eof_received.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<ExceptionContext> reported = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reported.add(context));
            Recorder r = new Recorder(loop, false);
            IOException error = new IOException("Bad file descriptor");
            PipeReadTransport t = PipeReadTransport.open(loop, failingAfter("before", error), r, "test-pipe");
            r.lost.await();
            assertEquals(List.of("made", "data:before", "lost:" + error), r.events);
            assertEquals(1, reported.size(), reported.toString());
            assertEquals("Fatal read error on pipe transport", reported.get(0).message());
            assertSame(error, reported.get(0).exception());
            assertTrue(t.isClosing());
            assertFalse(t.isReading());
        });
    }

    @Test
    void anIoErrorReadErrorEndsTheConnectionWithoutAReport() {
        // unix_events._UnixReadPipeTransport._fatal_error: an EIO (a pty whose other end
        // closed) is only logged in debug mode; connection_lost(exc) still follows.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<ExceptionContext> reported = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reported.add(context));
            Recorder r = new Recorder(loop, false);
            IOException eio = new IOException("Input/output error");
            PipeReadTransport.open(loop, failingAfter("", eio), r, "test-pipe");
            r.lost.await();
            assertEquals(List.of("made", "lost:" + eio), r.events);
            assertEquals(List.of(), reported);
        });
    }

    @Test
    void theErrorOfAClosedStreamUnderAReadAfterCloseIsNotReported() throws Exception {
        // close() closes the stream under the pump's blocked read: that read's IOException is
        // the transport's own doing, not a fatal error (asyncio removes the reader instead).
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<ExceptionContext> reported = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reported.add(context));
            Recorder r = new Recorder(loop, false);
            InputStream blocking = new InputStream() {
                private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

                @Override
                public int read() throws IOException {
                    reading.countDown();
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    throw new IOException("Stream closed");
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
            PipeReadTransport t = PipeReadTransport.open(loop, blocking, r, "test-pipe");
            while (reading.getCount() > 0) {
                Asyncio.sleep(0.005);
            }
            t.close();
            r.lost.await();
            Asyncio.sleep(0.05); // time for a stray report to arrive
            assertEquals(List.of("made", "lost:null"), r.events);
            assertEquals(List.of(), reported);
        });
    }

    @Test
    void itCannotBeWritten() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop, false);
            PipeReadTransport t = PipeReadTransport.open(loop, new ByteArrayInputStream(new byte[0]), r, "test-pipe");
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> t.write(new byte[1]));
            assertTrue(e.getMessage().contains("read end of a pipe"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, t::writeEof);
            assertThrows(UnsupportedOperationException.class, () -> t.setWriteBufferLimits(10, 5));
            assertFalse(t.canWriteEof());
            assertEquals(0, t.getWriteBufferSize());
            r.lost.await();
        });
    }
}
