package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application protocol that throws over TLS: as on a plain transport, and as asyncio's
 * sslproto does, the exception goes to the loop's exception handler and the connection is
 * closed with it; a call that creates a connection fails with it instead of waiting for ever.
 */
@Timeout(60)
class TlsProtocolErrorsTest {

    /** The application callback that throws. */
    enum Callback { CONNECTION_MADE, DATA_RECEIVED, EOF_RECEIVED, CONNECTION_LOST }

    /** A protocol that throws {@code boom} from {@code failing} and records its loss. */
    private static final class Failing implements Protocol {
        final Callback failing;
        final RuntimeException boom;
        final Future<Throwable> lost;

        Failing(EventLoop loop, Callback failing) {
            this.failing = failing;
            this.boom = new IllegalStateException("boom in " + failing);
            this.lost = loop.createFuture();
        }

        private void maybeThrow(Callback c) {
            if (c == failing) {
                throw boom;
            }
        }

        @Override
        public void connectionMade(Transport transport) {
            maybeThrow(Callback.CONNECTION_MADE);
        }

        @Override
        public void dataReceived(byte[] data) {
            maybeThrow(Callback.DATA_RECEIVED);
        }

        @Override
        public boolean eofReceived() {
            maybeThrow(Callback.EOF_RECEIVED);
            return false;
        }

        @Override
        public void connectionLost(Throwable exception) {
            lost.trySetResult(exception);
            maybeThrow(Callback.CONNECTION_LOST);
        }
    }

    /** Collects what reaches the loop's exception handler. */
    private static List<ExceptionContext> collectReports(EventLoop loop) {
        List<ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        return reported;
    }

    /** Waits (a bounded time) until {@code reported} holds a report of {@code boom}, and returns it. */
    private static ExceptionContext reportOf(List<ExceptionContext> reported, Throwable boom) {
        for (int i = 0; i < 500; i++) {
            for (ExceptionContext c : reported) {
                if (c.exception() == boom) {
                    return c;
                }
            }
            Asyncio.sleep(0.01);
        }
        throw new AssertionError("nothing reported " + boom + "; reports: " + reported);
    }

    /**
     * A TLS server whose protocol throws from {@code failing}; a client connects, sends a line
     * and closes (close_notify: the server's eofReceived). The exception must be reported.
     */
    private static void serverCallbackThrows(Callback failing, String expectedMessage) throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<ExceptionContext> reported = collectReports(loop);
            List<Failing> made = new ArrayList<>();
            Server server = Network.createServer(() -> {
                Failing f = new Failing(loop, failing);
                made.add(f);
                return f;
            }, "127.0.0.1", 0, ServerOptions.DEFAULTS.withSsl(TlsContexts.server()));
            Future<Void> clientLost = loop.createFuture();
            try {
                Transport client = Network.createConnection(() -> new Protocol() {
                    @Override
                    public void connectionLost(Throwable exception) {
                        clientLost.trySetResult(null);
                    }
                }, "127.0.0.1", server.port(), ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client())).transport();
                if (failing != Callback.CONNECTION_MADE) {
                    client.write("hello\n".getBytes());
                }
                if (failing == Callback.EOF_RECEIVED || failing == Callback.CONNECTION_LOST) {
                    Asyncio.sleep(0.05);
                    client.close();
                }
            } catch (java.io.IOException lostDuringTheHandshake) {
                // a server that fails in connectionMade may abort before the client is done
                clientLost.trySetResult(null);
            }
            ExceptionContext report = reportOf(reported, made.get(0).boom);
            if (expectedMessage != null) {
                assertEquals(expectedMessage, report.message());
            }
            Throwable lostWith = made.get(0).lost.await();
            if (failing != Callback.CONNECTION_LOST) {
                // The connection closes with the application's exception, as asyncio's
                // _fatal_error(exc) force-closes with it.
                assertSame(made.get(0).boom, lostWith);
            }
            Asyncio.waitFor(clientLost, 10);
            assertEquals(1, reported.stream().filter(c -> c.exception() == made.get(0).boom).count(), reported.toString());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void dataReceivedThrowingOnATlsServerIsReportedAndClosesTheConnection() throws Exception {
        // sslproto.SSLProtocol._do_read: "except Exception as ex: self._fatal_error(ex,
        // 'Fatal error on SSL protocol')", which calls the loop's exception handler.
        serverCallbackThrows(Callback.DATA_RECEIVED, "Fatal error on SSL protocol");
    }

    @Test
    void eofReceivedThrowingOnATlsServerIsReportedAndClosesTheConnection() throws Exception {
        // sslproto.SSLProtocol._call_eof_received: _fatal_error(ex, 'Error calling eof_received()').
        serverCallbackThrows(Callback.EOF_RECEIVED, "Error calling eofReceived()");
    }

    @Test
    void connectionMadeThrowingOnATlsServerIsReportedAndClosesTheConnection() throws Exception {
        // sslproto.SSLProtocol._on_handshake_complete lets it propagate to the transport's
        // _fatal_error ("Fatal error: protocol.buffer_updated() call failed."), which reports it.
        serverCallbackThrows(Callback.CONNECTION_MADE, "Fatal error: protocol.connectionMade() call failed.");
    }

    @Test
    void connectionLostThrowingOnATlsServerIsReported() throws Exception {
        // asyncio calls the application's connection_lost with call_soon: an exception from it
        // goes to the exception handler as a failed callback.
        serverCallbackThrows(Callback.CONNECTION_LOST, null);
    }

    @Test
    void connectionMadeThrowingOnATlsClientFailsCreateConnectionWithIt() throws Exception {
        // asyncio: the exception from connection_made in _on_handshake_complete force-closes
        // the transport with it, SSLProtocol.connection_lost wakes the waiter with it, and
        // create_connection raises it; never a waiter left pending.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<ExceptionContext> reported = collectReports(loop);
            Future<Void> serverLost = loop.createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionLost(Throwable exception) {
                    serverLost.trySetResult(null);
                }
            }, "127.0.0.1", 0, ServerOptions.DEFAULTS.withSsl(TlsContexts.server()));
            Failing app = new Failing(loop, Callback.CONNECTION_MADE);
            Exception e = assertThrows(Exception.class, () -> Asyncio.waitFor(Asyncio.createTask(
                    () -> Network.createConnection(() -> app, "127.0.0.1", server.port(),
                            ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client()))), 10));
            assertSame(app.boom, e);
            ExceptionContext report = reportOf(reported, app.boom);
            assertEquals("Fatal error: protocol.connectionMade() call failed.", report.message());
            assertSame(app.boom, app.lost.await());
            Asyncio.waitFor(serverLost, 10); // the connection was closed
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void pauseWritingThrowingOnATlsClientIsReported() throws Exception {
        // sslproto.SSLProtocol._control_app_writing: 'protocol.pause_writing() failed'.
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<ExceptionContext> reported = collectReports(loop);
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.pauseReading(); // the client's writes back up
                }
            }, "127.0.0.1", 0, ServerOptions.DEFAULTS.withSsl(TlsContexts.server()));
            RuntimeException boom = new IllegalStateException("boom in pauseWriting");
            Transport t = Network.createConnection(() -> new Protocol() {
                @Override
                public void pauseWriting() {
                    throw boom;
                }
            }, "127.0.0.1", server.port(), ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client())).transport();
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 400 && t.getWriteBufferSize() <= t.getWriteBufferLimits()[1]; i++) {
                t.write(chunk);
                Asyncio.sleep(0.001);
            }
            ExceptionContext report = reportOf(reported, boom);
            assertEquals("protocol.pauseWriting() failed", report.message());
            t.abort();
            server.close();
            server.abortClients();
            server.waitClosed();
        });
    }

    @Test
    void theHandshakeOfAConnectionLostBeforeItEndsFailsTheCreatingCall() throws Exception {
        // The waiter of create_connection is woken by connection_lost whatever the state.
        Asyncio.run(() -> {
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    t.abort();
                }
            }, "127.0.0.1", 0);
            Exception e = assertThrows(Exception.class, () -> Asyncio.waitFor(Asyncio.createTask(
                    () -> Network.createConnection(() -> new Protocol() { }, "127.0.0.1", server.port(),
                            ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client()))), 10));
            assertTrue(e instanceof java.io.IOException, e.toString());
            server.close();
            server.waitClosed();
        });
    }
}
