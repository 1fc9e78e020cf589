package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.junit.jupiter.api.Test;

/** asyncio's _UnixWritePipeTransport: test_asyncio/test_unix_events.py UnixWritePipeTransportTests. */
class PipeWriteTransportTest {

    private static final class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final Future<Throwable> lost;
        final Future<Void> resumed;

        Recorder(EventLoop loop) {
            lost = loop.createFuture();
            resumed = loop.createFuture();
        }

        @Override
        public void connectionMade(Transport t) {
            events.add("made");
        }

        @Override
        public void connectionLost(Throwable e) {
            events.add("lost:" + e);
            lost.setResult(e);
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
            if (!resumed.done()) {
                resumed.setResult(null);
            }
        }
    }

    /** Collects what is written; each write waits for the gate; notices close(). */
    private static final class Gated extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch gate;
        final AtomicBoolean closed = new AtomicBoolean();

        Gated(boolean open) {
            gate = new CountDownLatch(open ? 0 : 1);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
        }

        String written() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesArriveInOrderAndCloseEndsInConnectionLost() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop);
            Gated out = new Gated(true);
            PipeWriteTransport t = PipeWriteTransport.open(loop, out, r, "test-pipe");
            assertEquals(List.of("made"), r.events);
            assertSame(out, t.getExtraInfo("pipe"));
            byte[] data = b("one ");
            t.write(data);
            data[0] = 'X'; // the transport copied it
            t.writelines(List.of(b("two "), b("three")));
            t.close();
            assertTrue(t.isClosing());
            assertEquals(null, r.lost.await());
            assertEquals("one two three", out.written());
            assertTrue(out.closed.get());
            assertEquals(List.of("made", "lost:null"), r.events);
            assertEquals(0, t.getWriteBufferSize());
        });
    }

    @Test
    void writeAfterCloseOrWriteEofIsAnIllegalState() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop);
            PipeWriteTransport t = PipeWriteTransport.open(loop, new Gated(true), r, "test-pipe");
            assertTrue(t.canWriteEof());
            t.writeEof(); // a pipe's write_eof is its close
            assertTrue(t.isClosing());
            assertThrows(IllegalStateException.class, () -> t.write(b("late")));
            r.lost.await();
            assertThrows(IllegalStateException.class, () -> t.write(b("later")));
        });
    }

    @Test
    void pauseWritingOverTheHighMarkAndResumeAtTheLowOne() {
        // asyncio: pause_writing when the buffer goes over high, resume_writing at or under low.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop);
            Gated out = new Gated(false);
            PipeWriteTransport t = PipeWriteTransport.open(loop, out, r, "test-pipe");
            assertArrayEquals(new int[] {PipeWriteTransport.DEFAULT_HIGH_WATER / 4, PipeWriteTransport.DEFAULT_HIGH_WATER},
                    t.getWriteBufferLimits());
            t.setWriteBufferLimits(10, 5);
            t.write(b("0123456789")); // 10: not over
            assertEquals(List.of("made"), r.events);
            t.write(b("a"));
            assertEquals(List.of("made", "pause"), r.events);
            assertEquals(11, t.getWriteBufferSize());
            out.gate.countDown();
            r.resumed.await();
            assertTrue(t.getWriteBufferSize() <= 5);
            t.close();
            r.lost.await();
            assertEquals("0123456789a", out.written());
            assertEquals(List.of("made", "pause", "resume", "lost:null"), r.events);
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(5, 10));
        });
    }

    @Test
    void aWriteErrorLosesTheConnectionAndLaterWritesThrow() {
        // asyncio: a BrokenPipeError goes to connection_lost; the transport is done.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop);
            IOException broken = new IOException("Broken pipe");
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw broken;
                }
            };
            PipeWriteTransport t = PipeWriteTransport.open(loop, out, r, "test-pipe");
            t.write(b("x"));
            assertSame(broken, r.lost.await());
            assertTrue(t.isClosing());
            assertEquals(0, t.getWriteBufferSize());
            Throwable e = null;
            try {
                t.write(b("y"));
            } catch (Exception thrown) {
                e = thrown;
            }
            assertTrue(e instanceof ConnectionResetException, "got " + e);
            assertSame(broken, e.getCause());
            t.close(); // no effect now
            Asyncio.sleep(0.01);
            assertEquals(1, r.events.stream().filter(s -> s.startsWith("lost")).count());
        });
    }

    @Test
    void abortDropsWhatIsQueued() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop);
            Gated out = new Gated(false);
            PipeWriteTransport t = PipeWriteTransport.open(loop, out, r, "test-pipe");
            t.write(b("first"));
            Asyncio.sleep(0.02); // the writer has taken "first" and waits at the gate
            t.write(b("second"));
            t.abort();
            assertTrue(t.isClosing());
            assertEquals(0, t.getWriteBufferSize());
            assertEquals(null, r.lost.await());
            out.gate.countDown();
            for (int i = 0; i < 500 && !out.closed.get(); i++) {
                Asyncio.sleep(0.01);
            }
            assertTrue(out.closed.get(), "the pipe was not closed");
            assertFalse(out.written().contains("second"), out.written());
            assertEquals(List.of("made", "lost:null"), r.events);
        });
    }

    @Test
    void itCannotBeRead() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Recorder r = new Recorder(loop);
            PipeWriteTransport t = PipeWriteTransport.open(loop, new Gated(true), r, "test-pipe");
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, t::pauseReading);
            assertTrue(e.getMessage().contains("write end of a pipe"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, t::resumeReading);
            assertFalse(t.isReading());
            t.close();
            r.lost.await();
        });
    }
}
