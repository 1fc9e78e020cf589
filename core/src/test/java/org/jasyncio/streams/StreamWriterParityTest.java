package org.jasyncio.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.net.ConnectionResetException;
import org.jasyncio.net.Server;

/**
 * Parity with CPython 3.13's test_streams.py for StreamWriter and the flow-control half of
 * StreamReaderProtocol (asyncio's FlowControlMixin). Each test names what it mirrors.
 */
@Timeout(30)
class StreamWriterParityTest {

    /** A writer, its protocol and reader over a fake transport. */
    private record Fake(StreamReaderParityTest.FakeTransport transport, StreamReaderProtocol protocol,
                        StreamReader reader, StreamWriter writer) {
        static Fake connect() {
            EventLoop loop = Asyncio.getRunningLoop();
            StreamReader r = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
            StreamReaderProtocol p = new StreamReaderProtocol(r, loop);
            StreamReaderParityTest.FakeTransport t = new StreamReaderParityTest.FakeTransport();
            p.connectionMade(t);
            return new Fake(t, p, r, new StreamWriter(t, p, r, loop));
        }
    }

    @Test
    void drainAfterACleanConnectionLossRaisesConnectionLost() {
        // FlowControlMixin._drain_helper: ConnectionResetError('Connection lost') once connection_lost ran
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            f.writer().drain();
            f.protocol().connectionLost(null);
            ConnectionResetException e = assertThrows(ConnectionResetException.class, f.writer()::drain);
            assertEquals("Connection lost", e.getMessage());
        });
    }

    @Test
    void drainRaisesTheReadersErrorBeforeConnectionLost() {
        // StreamWriter.drain: reader.exception() is raised first
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            IOException broken = new IOException("Broken pipe");
            f.protocol().connectionLost(broken);
            assertSame(broken, assertThrows(IOException.class, f.writer()::drain));
        });
    }

    @Test
    void everyPausedDrainWakesOnResumeWriting() {
        // test_multiple_drain (gh-74116): several tasks may wait in drain() at once
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            f.protocol().pauseWriting();
            int[] drained = {0};
            List<Task<Void>> drainers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                drainers.add(Asyncio.createTask(() -> {
                    for (int j = 0; j < 16; j++) {
                        f.writer().drain();
                    }
                    drained[0]++;
                }));
            }
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertEquals(0, drained[0]);
            for (Task<Void> d : drainers) {
                assertFalse(d.done());
            }
            f.protocol().resumeWriting();
            for (Task<Void> d : drainers) {
                d.await();
            }
            assertEquals(3, drained[0]);
        });
    }

    @Test
    void pausedDrainReturnsWhenTheConnectionIsLostCleanly() {
        // FlowControlMixin.connection_lost(None): paused waiters get set_result(None)
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            f.protocol().pauseWriting();
            Task<Void> d = Asyncio.createTask(() -> f.writer().drain());
            Asyncio.sleep(0);
            assertFalse(d.done());
            f.protocol().connectionLost(null);
            d.await();
            assertThrows(ConnectionResetException.class, f.writer()::drain);
        });
    }

    @Test
    void pausedDrainRaisesTheErrorTheConnectionWasLostWith() {
        // FlowControlMixin.connection_lost(exc): paused waiters get set_exception(exc)
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            f.protocol().pauseWriting();
            Task<Void> d = Asyncio.createTask(() -> f.writer().drain());
            Asyncio.sleep(0);
            IOException reset = new IOException("reset by peer");
            f.protocol().connectionLost(reset);
            assertSame(reset, assertThrows(IOException.class, d::await));
        });
    }

    @Test
    void cancelledDrainLeavesNoWaiterBehind() {
        // _drain_helper: the waiter is removed in finally, so a later resume/lost wakes nothing stale
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            f.protocol().pauseWriting();
            Task<Void> d = Asyncio.createTask(() -> f.writer().drain());
            Asyncio.sleep(0);
            d.cancel();
            Asyncio.sleep(0);
            assertTrue(d.cancelled());
            Task<Void> d2 = Asyncio.createTask(() -> f.writer().drain());
            Asyncio.sleep(0);
            assertFalse(d2.done());
            f.protocol().resumeWriting();
            d2.await();
        });
    }

    @Test
    void waitClosedRaisesTheErrorTheConnectionWasLostWithAndNothingIsReported() {
        // StreamReaderProtocol._closed gets set_exception(exc); __del__ marks it retrieved (no "never retrieved")
        List<Object> reported = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            Fake f = Fake.connect();
            IOException reset = new IOException("reset");
            f.protocol().connectionLost(reset);
            assertSame(reset, assertThrows(IOException.class, f.writer()::waitClosed));
            Fake unwaited = Fake.connect();
            unwaited.protocol().connectionLost(new IOException("nobody waits"));
            Asyncio.sleep(0);
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void writeWritelinesAndWriteEofGoToTheTransport() {
        // StreamWriter.write / writelines / write_eof / can_write_eof delegate to the transport
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            f.writer().write(new byte[3]);
            f.writer().writelines(List.of(new byte[1], new byte[2]));
            assertTrue(f.writer().canWriteEof());
            f.writer().writeEof();
            assertEquals(List.of("write 3", "write 1", "write 2", "writeEof"), f.transport().calls);
            assertSame(f.transport(), f.writer().transport());
            assertFalse(f.writer().isClosing());
            f.writer().close();
            assertTrue(f.writer().isClosing());
        });
    }

    // ------------------------------------------------------------------ over real sockets

    @Test
    void closingTheWriterFeedsEofToTheReader() {
        // test_eof_feed_when_closing_writer (bpo-35065): after close() + wait_closed(), at_eof() and read() == b''
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                r.read();
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            c.writer().close();
            c.writer().waitClosed();
            assertTrue(c.reader().atEof());
            assertEquals(0, c.reader().read().length);
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void drainAfterCloseRaisesConnectionLost() {
        // StreamWriter.drain: on a closing transport it yields first so connection_lost runs, then raises
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                r.read();
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            c.writer().close();
            assertTrue(c.writer().isClosing());
            assertThrows(ConnectionResetException.class, c.writer()::drain);
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void writeEofHalfClosesAndThePeerCanStillAnswer() {
        // write_eof + StreamReaderProtocol.eof_received returning True: the transport stays open for the reply
        Asyncio.run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                byte[] all = r.read();
                assertTrue(r.atEof());
                w.write(("got " + new String(all)).getBytes());
                w.drain();
                w.close();
                w.waitClosed();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            assertTrue(c.writer().canWriteEof());
            c.writer().write("ping".getBytes());
            c.writer().writeEof();
            assertEquals("got ping", new String(c.reader().read()));
            assertTrue(c.reader().atEof());
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void drainRaisesOnceThePeerHasGoneAway() {
        // test_drain_raises (bpo-25441): write()+drain() in a loop must end with a connection error, not spin
        Asyncio.run(() -> {
            Future<Void> peerGone = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> {
                w.close();
                w.waitClosed();
                peerGone.setResult(null);
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            peerGone.await();
            // Java defers the real close of a channel still registered with a selector to the
            // next select (until then the peer only shut its output), so let the loop select once:
            // asyncio's close() is immediate. The write loop below never yields by itself.
            Asyncio.sleep(0.02);
            Throwable error = null;
            for (int i = 0; i < 1_000_000 && error == null; i++) {
                try {
                    c.writer().write("foo\n".getBytes());
                    c.writer().drain();
                } catch (Exception e) {
                    error = e;
                }
            }
            if (error == null) {
                fail("write()+drain() never failed after the peer closed");
            }
            assertTrue(error instanceof IOException, "a connection error, got " + error);
            c.writer().close();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void startTlsDrainsFirstSoALostConnectionRaisesConnectionLost() {
        // StreamWriter.start_tls begins with "await self.drain()": reader error, else ConnectionResetError
        Asyncio.run(() -> {
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getDefault();
            Fake clean = Fake.connect();
            clean.protocol().connectionLost(null);
            ConnectionResetException e = assertThrows(ConnectionResetException.class,
                    () -> clean.writer().startTls(ssl, null));
            assertEquals("Connection lost", e.getMessage());
            Fake broken = Fake.connect();
            IOException reset = new IOException("reset");
            broken.protocol().connectionLost(reset);
            assertSame(reset, assertThrows(IOException.class, () -> broken.writer().startTls(ssl, null)));
        });
    }

    @Test
    void startTlsWaitsWhileWritingIsPaused() {
        // StreamWriter.start_tls: drain() first, so no handshake starts while the plain-text buffer is over high water
        Asyncio.run(() -> {
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getDefault();
            Fake f = Fake.connect();
            f.protocol().pauseWriting();
            Task<Void> tls = Asyncio.createTask(() -> f.writer().startTls(ssl, "localhost"));
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(tls.done());
            assertEquals(List.of(), f.transport().calls, "no ClientHello before drain() returned");
            f.protocol().resumeWriting();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(tls.done(), "the handshake waits for a peer that never answers");
            assertTrue(f.transport().calls.stream().anyMatch(c -> c.startsWith("write ")), f.transport().calls.toString());
            tls.cancel();
            assertThrows(org.jasyncio.CancelledError.class, tls::await);
        });
    }

    @Test
    void getExtraInfoFallsBackToTheDefault() {
        // StreamWriter.get_extra_info(name, default)
        Asyncio.run(() -> {
            Fake f = Fake.connect();
            assertEquals("dflt", f.writer().getExtraInfo("no such info", "dflt"));
            assertEquals(null, f.writer().getExtraInfo("no such info"));
        });
    }

    @Test
    void cancelledClientHandlerClosesItsConnection() {
        // test_unhandled_cancel (3.12+): a cancelled client_connected_cb task closes the transport, reports nothing
        List<Object> reported = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            Future<Task<?>> handler = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> {
                w.write("test".getBytes());
                handler.setResult(Asyncio.currentTask());
                Asyncio.getRunningLoop().createFuture().await();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            handler.await().cancel();
            assertEquals("test", new String(c.reader().read()), "what was written, then EOF");
            assertTrue(c.reader().atEof());
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            Asyncio.sleep(0);
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void waitClosedWithUnreadDataReturns() {
        // test_wait_closed_on_close_with_unread_data
        Asyncio.run(() -> {
            Future<Void> done = Asyncio.getRunningLoop().createFuture();
            Server server = Asyncio.startServer((r, w) -> {
                w.write("HTTP/1.0 200 OK\r\n\r\nunread".getBytes());
                done.await();
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            assertEquals("HTTP/1.0 200 OK\r\n", new String(c.reader().readline()));
            assertFalse(c.writer().isClosing());
            c.writer().close();
            assertTrue(c.writer().isClosing());
            c.writer().waitClosed();
            done.setResult(null);
            server.close();
            server.waitClosed();
        });
    }
}
