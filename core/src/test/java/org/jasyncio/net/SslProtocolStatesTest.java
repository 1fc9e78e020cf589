package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.net.SslProtocol.AppProtocolState;
import org.jasyncio.net.SslProtocol.SslProtocolState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SslProtocol's two state machines, asyncio's SSLProtocolState and AppProtocolState: the
 * transition tables, and the states a real connection goes through.
 */
@Timeout(60)
class SslProtocolStatesTest {

    private static final Map<SslProtocolState, Set<SslProtocolState>> SSL_EXPECTED = Map.of(
            SslProtocolState.UNWRAPPED, Set.of(SslProtocolState.DO_HANDSHAKE),
            SslProtocolState.DO_HANDSHAKE, Set.of(SslProtocolState.WRAPPED, SslProtocolState.UNWRAPPED),
            SslProtocolState.WRAPPED, Set.of(SslProtocolState.FLUSHING),
            SslProtocolState.FLUSHING, Set.of(SslProtocolState.SHUTDOWN),
            SslProtocolState.SHUTDOWN, Set.of());

    private static final Map<AppProtocolState, Set<AppProtocolState>> APP_EXPECTED = Map.of(
            AppProtocolState.STATE_INIT, Set.of(AppProtocolState.STATE_CON_MADE),
            AppProtocolState.STATE_CON_MADE, Set.of(AppProtocolState.STATE_EOF, AppProtocolState.STATE_CON_LOST),
            AppProtocolState.STATE_EOF, Set.of(AppProtocolState.STATE_CON_LOST),
            AppProtocolState.STATE_CON_LOST, Set.of());

    /** Every pair of states: allowed exactly when expected; a refusal names both states. */
    private static <S extends Enum<S>> void checkTable(Class<S> type, Map<S, Set<S>> table, Map<S, Set<S>> expected) {
        for (S from : type.getEnumConstants()) {
            for (S to : type.getEnumConstants()) {
                if (expected.get(from).contains(to)) {
                    assertSame(to, SslProtocol.transition(from, to, table));
                } else {
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> SslProtocol.transition(from, to, table), from + " -> " + to);
                    assertTrue(e.getMessage().contains("from " + from + " to " + to), e.getMessage());
                }
            }
        }
    }

    @Test
    void theTlsSessionMovesOnlyForward() {
        checkTable(SslProtocolState.class, SslProtocol.SSL_TRANSITIONS, SSL_EXPECTED);
    }

    @Test
    void theApplicationProtocolIsToldThingsOnceInOrder() {
        checkTable(AppProtocolState.class, SslProtocol.APP_TRANSITIONS, APP_EXPECTED);
    }

    @Test
    void aConnectionGoesThroughHandshakeWrappedAndShutdownWhileItsPeerSeesEof() throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<SslProtocol> serverTls = loop.createFuture();
            Future<Void> serverLost = loop.createFuture();
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    SslProtocol tls = SslProtocol.behind(t);
                    assertEquals(SslProtocolState.WRAPPED, tls.state());
                    assertEquals(AppProtocolState.STATE_CON_MADE, tls.appState());
                    serverTls.setResult(tls);
                }

                @Override
                public boolean eofReceived() {
                    assertEquals(AppProtocolState.STATE_EOF, serverTls.result().appState());
                    return false;
                }

                @Override
                public void connectionLost(Throwable exception) {
                    serverLost.setResult(null);
                }
            }, "127.0.0.1", 0, ServerOptions.DEFAULTS.withSsl(TlsContexts.server()));
            Transport client = Network.createConnection(() -> new Protocol() {
            }, "127.0.0.1", server.port(), ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client())).transport();
            SslProtocol tls = SslProtocol.behind(client);
            assertEquals(SslProtocolState.WRAPPED, tls.state());
            assertEquals(AppProtocolState.STATE_CON_MADE, tls.appState());
            client.close();
            assertEquals(SslProtocolState.SHUTDOWN, tls.state());
            serverLost.await();
            assertEquals(AppProtocolState.STATE_CON_LOST, serverTls.result().appState());
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aConnectionLostDuringTheHandshakeEndsUnwrappedWithTheApplicationNeverTold() throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            // A plain server that hangs up at once: no TLS ever answers.
            Server server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    t.close();
                }
            }, "127.0.0.1", 0);
            SslProtocol tls = new SslProtocol(loop, TlsContexts.client(), false, "localhost",
                    ConnectionOptions.DEFAULT_SSL_HANDSHAKE_TIMEOUT, new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    throw new AssertionError("connectionMade without a handshake");
                }
            }, true);
            Network.createConnection(() -> tls, "127.0.0.1", server.port());
            assertEquals(SslProtocolState.DO_HANDSHAKE, tls.state());
            Exception e = assertThrows(Exception.class, () -> tls.handshake().await());
            assertInstanceOf(java.io.IOException.class, e);
            assertEquals(SslProtocolState.UNWRAPPED, tls.state());
            assertEquals(AppProtocolState.STATE_INIT, tls.appState());
            server.close();
            server.waitClosed();
        });
    }
}
