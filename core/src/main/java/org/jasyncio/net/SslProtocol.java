package org.jasyncio.net;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;
import org.jasyncio.internal.Rethrow;

/**
 * TLS between a raw socket transport and an application protocol, on an {@link SSLEngine}:
 * asyncio's {@code sslproto.SSLProtocol}. It is the raw transport's protocol, and gives the
 * application a {@link Transport} of its own ({@link #appTransport()}).
 */
final class SslProtocol implements Protocol {
    /* Implementation overview:
     * Ciphertext from the raw transport accumulates in netIn;
     * pump() drives the engine: it runs delegated tasks inline, wraps handshake messages
     * out to the raw transport, and unwraps records, handing plaintext to the application once the
     * handshake is done. The application's writes before that are queued. Closing sends
     * close_notify and then closes the raw transport; a close_notify or EOF from the
     * peer is the application's eofReceived, followed by a close. A TLS error aborts the
     * raw transport and becomes the handshake waiter's exception, or the application's
     * connectionLost exception after the handshake. An exception thrown by the application
     * protocol (connectionMade, dataReceived, eofReceived) is appFailed(): reported to the
     * loop's exception handler with asyncio's message, then fatal like a TLS error; pump() stops
     * at once (error is set). connectionLost, pauseWriting and resumeWriting exceptions
     * propagate to the raw transport, which reports them as it does for a plain protocol. The
     * handshake future is completed on every path: fatal() and connectionLost() fail it if it is
     * still pending, whatever the state (connectionMade runs in WRAPPED, before it succeeds).
     *
     * Two state machines, asyncio's, say where things are; every change goes through the
     * transition tables below (transition()), so an impossible step fails loudly instead of
     * leaving the connection half-done.
     *   SslProtocolState, the TLS session:
     *     UNWRAPPED -connectionMade-> DO_HANDSHAKE -handshake done-> WRAPPED
     *       -application close()-> FLUSHING (its writes are already wrapped into the raw
     *       transport's buffer) -close_notify wrapped, raw transport closing-> SHUTDOWN;
     *     DO_HANDSHAKE -connection lost before the handshake-> UNWRAPPED.
     *     The handshake is done in WRAPPED, FLUSHING and SHUTDOWN, never again before.
     *   AppProtocolState, what the application protocol was told:
     *     STATE_INIT -connectionMade-> STATE_CON_MADE [-eofReceived-> STATE_EOF]
     *       -connectionLost-> STATE_CON_LOST.
     *     startTls hands over a protocol that is connected already: it starts in STATE_CON_MADE
     *     and gets no second connectionMade.
     * An abort() changes neither: the raw transport's connectionLost ends the connection. The
     * application transport's own closed flag is its isClosing(), as asyncio's
     * _SSLProtocolTransport._closed.
     */

    /** Where the TLS session is: asyncio's {@code SSLProtocolState}. */
    enum SslProtocolState {
        /** No TLS: not connected yet, or the connection ended before the handshake completed. */
        UNWRAPPED,
        /** The handshake runs. */
        DO_HANDSHAKE,
        /** The handshake is done: application data flows. */
        WRAPPED,
        /** The application closed its transport: what it wrote goes out first. */
        FLUSHING,
        /** close_notify is sent and the raw transport closes. */
        SHUTDOWN
    }

    /** What the application protocol was told: asyncio's {@code AppProtocolState}. */
    enum AppProtocolState {
        /** Nothing yet. */
        STATE_INIT,
        /** {@code connectionMade} was called (or, for startTls, had been on the plain transport). */
        STATE_CON_MADE,
        /** {@code eofReceived} was called. */
        STATE_EOF,
        /** {@code connectionLost} was called: nothing more. */
        STATE_CON_LOST
    }

    /** The TLS session's transition table: the states each state may switch to. */
    static final Map<SslProtocolState, Set<SslProtocolState>> SSL_TRANSITIONS = table(SslProtocolState.class, Map.of(
            SslProtocolState.UNWRAPPED, EnumSet.of(SslProtocolState.DO_HANDSHAKE),
            SslProtocolState.DO_HANDSHAKE, EnumSet.of(SslProtocolState.WRAPPED, SslProtocolState.UNWRAPPED),
            SslProtocolState.WRAPPED, EnumSet.of(SslProtocolState.FLUSHING),
            SslProtocolState.FLUSHING, EnumSet.of(SslProtocolState.SHUTDOWN)));

    /** The application protocol's transition table. */
    static final Map<AppProtocolState, Set<AppProtocolState>> APP_TRANSITIONS = table(AppProtocolState.class, Map.of(
            AppProtocolState.STATE_INIT, EnumSet.of(AppProtocolState.STATE_CON_MADE),
            AppProtocolState.STATE_CON_MADE, EnumSet.of(AppProtocolState.STATE_EOF, AppProtocolState.STATE_CON_LOST),
            AppProtocolState.STATE_EOF, EnumSet.of(AppProtocolState.STATE_CON_LOST)));

    /** A complete, read-only table: states {@code next} does not list may switch to none. */
    private static <S extends Enum<S>> Map<S, Set<S>> table(Class<S> type, Map<S, EnumSet<S>> next) {
        Map<S, Set<S>> t = new EnumMap<>(type);
        for (S s : type.getEnumConstants()) {
            t.put(s, Collections.unmodifiableSet(next.getOrDefault(s, EnumSet.noneOf(type))));
        }
        return Collections.unmodifiableMap(t);
    }

    /**
     * The checked transition of either state machine: {@code to} if {@code table} lets
     * {@code from} switch to it. asyncio's {@code _set_state}.
     *
     * @throws IllegalStateException naming both states, if the table forbids the step: a bug
     */
    static <S extends Enum<S>> S transition(S from, S to, Map<S, Set<S>> table) {
        if (!table.get(from).contains(to)) {
            throw new IllegalStateException("cannot switch " + from.getDeclaringClass().getSimpleName() + " from "
                    + from + " to " + to);
        }
        return to;
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final EventLoop loop;
    private final SSLContext context;
    /** How long the handshake may take, in seconds (asyncio's ssl_handshake_timeout). */
    private final double handshakeTimeout;
    private org.jasyncio.TimerHandle handshakeTimer;
    private final SSLEngine engine;
    private final Protocol app;
    private final Future<Void> handshake;
    private final AppTransport appTransport = new AppTransport();
    private final ArrayDeque<byte[]> pendingWrites = new ArrayDeque<>();
    private Protocol appProtocol;
    private Transport raw;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private SslProtocolState state = SslProtocolState.UNWRAPPED;
    private AppProtocolState appState;
    private Throwable error;

    /**
     * @param loop               the loop
     * @param context            the TLS context
     * @param serverSide         whether this end is the server
     * @param serverHostname     the name to check the server's certificate against (and send
     *                           as SNI); null for none (client) or on a server
     * @param handshakeTimeout   how long the handshake may take before the connection is
     *                           aborted with {@link javax.net.ssl.SSLHandshakeException}
     * @param app                the application protocol
     * @param callConnectionMade whether to call the application's {@code connectionMade}
     *                           after the handshake (not for {@code startTls})
     */
    SslProtocol(EventLoop loop, SSLContext context, boolean serverSide, String serverHostname,
            Duration handshakeTimeout, Protocol app, boolean callConnectionMade) {
        this.loop = loop;
        this.handshakeTimeout = handshakeTimeout.getSeconds() + handshakeTimeout.getNano() / 1e9;
        this.context = context;
        this.engine = serverHostname != null ? context.createSSLEngine(serverHostname, -1) : context.createSSLEngine();
        engine.setUseClientMode(!serverSide);
        if (!serverSide && serverHostname != null) {
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(serverHostname)) {
                p.setServerNames(List.of(new SNIHostName(serverHostname)));
            }
            engine.setSSLParameters(p);
        }
        this.app = app;
        this.appProtocol = app;
        this.appState = callConnectionMade ? AppProtocolState.STATE_INIT : AppProtocolState.STATE_CON_MADE;
        this.handshake = loop.createFuture();
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(packet);
    }

    private static boolean isIpLiteral(String host) {
        try {
            java.net.InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void setState(SslProtocolState to) {
        state = transition(state, to, SSL_TRANSITIONS);
    }

    private void setAppState(AppProtocolState to) {
        appState = transition(appState, to, APP_TRANSITIONS);
    }

    /** Whether the handshake completed (it never undoes). */
    private boolean handshakeDone() {
        return state.compareTo(SslProtocolState.WRAPPED) >= 0;
    }

    /** The TLS session's state. */
    SslProtocolState state() {
        return state;
    }

    /** The application protocol's state. */
    AppProtocolState appState() {
        return appState;
    }

    /** The future done when the handshake succeeds, or failed with its error. */
    Future<Void> handshake() {
        return handshake;
    }

    /** The transport the application protocol sees. */
    Transport appTransport() {
        return appTransport;
    }

    // ------------------------------------------------------------ raw transport's protocol

    @Override
    public void connectionMade(Transport transport) {
        this.raw = transport;
        setState(SslProtocolState.DO_HANDSHAKE);
        handshakeTimer = loop.callLater(handshakeTimeout, () -> {
            if (!handshakeDone()) {
                fatal(new javax.net.ssl.SSLHandshakeException("TLS handshake did not complete in "
                        + handshakeTimeout + " s"));
            }
        });
        try {
            engine.beginHandshake();
            pump();
        } catch (Exception e) {
            fatal(e);
        }
    }

    @Override
    public void dataReceived(byte[] data) {
        if (netIn.remaining() < data.length) {
            ByteBuffer b = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, netIn.position() + data.length));
            netIn.flip();
            b.put(netIn);
            netIn = b;
        }
        netIn.put(data);
        try {
            pump();
        } catch (Exception e) {
            fatal(e);
        }
    }

    @Override
    public boolean eofReceived() {
        try {
            engine.closeInbound();
        } catch (SSLException truncated) {
            // EOF without close_notify: asyncio treats it as EOF too
        }
        if (!handshakeDone()) {
            error = new ConnectionResetException("Connection lost during the TLS handshake");
        } else {
            deliverEof();
        }
        return false;
    }

    @Override
    public void connectionLost(Throwable exception) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        Throwable e = exception != null ? exception : error;
        // Whatever the state, the waiter of the creating call learns the end (asyncio's
        // connection_lost always calls _wakeup_waiter(exc)).
        handshake.trySetException(e != null ? e
                : new ConnectionResetException("Connection lost during the TLS handshake"));
        if (!handshakeDone()) {
            if (state != SslProtocolState.UNWRAPPED) {
                setState(SslProtocolState.UNWRAPPED);
            }
            return;
        }
        setAppState(AppProtocolState.STATE_CON_LOST);
        appProtocol.connectionLost(e);
    }

    @Override
    public void pauseWriting() {
        appProtocol.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        appProtocol.resumeWriting();
    }

    // ------------------------------------------------------------ the engine

    private void pump() throws SSLException {
        while (error == null) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    if (wrap(EMPTY).getStatus() == SSLEngineResult.Status.CLOSED && engine.isOutboundDone()) {
                        return;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return;
                    }
                }
                default -> {
                    if (!handshakeDone()) {
                        onHandshakeDone();
                        if (error != null) {
                            return; // connectionMade failed
                        }
                    }
                    if (!unwrap()) {
                        return;
                    }
                }
            }
        }
    }

    /** One unwrap; false when nothing more can be done until more bytes arrive. */
    private boolean unwrap() throws SSLException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        deliverPlaintext();
        if (error != null) {
            return false; // dataReceived failed
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                int packet = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < packet) {
                    ByteBuffer b = ByteBuffer.allocate(packet);
                    netIn.flip();
                    b.put(netIn);
                    netIn = b;
                }
                return false;
            }
            case BUFFER_OVERFLOW -> {
                ByteBuffer b = ByteBuffer.allocate(appIn.capacity() * 2);
                appIn.flip();
                b.put(appIn);
                appIn = b;
                return true;
            }
            case CLOSED -> {
                // close_notify from the peer
                if (handshakeDone()) {
                    deliverEof();
                }
                appTransport.close();
                return false;
            }
            default -> {
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            }
        }
    }

    private void deliverPlaintext() {
        if (appIn.position() == 0 || !handshakeDone()) {
            return;
        }
        appIn.flip();
        byte[] data = new byte[appIn.remaining()];
        appIn.get(data);
        appIn.clear();
        if (!appTransport.closed) {
            try {
                appProtocol.dataReceived(data);
            } catch (Throwable t) {
                // asyncio's SSLProtocol._do_read: _fatal_error(ex, 'Fatal error on SSL protocol')
                appFailed("Fatal error on SSL protocol", t);
            }
        }
    }

    private void deliverEof() {
        if (appState != AppProtocolState.STATE_CON_MADE) {
            return;
        }
        setAppState(AppProtocolState.STATE_EOF);
        // asyncio ignores eof_received()'s "keep open" answer on TLS: the connection closes.
        try {
            appProtocol.eofReceived();
        } catch (Throwable t) {
            // asyncio's SSLProtocol._call_eof_received
            appFailed("Error calling eofReceived()", t);
        }
    }

    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        while (true) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining() && !raw.isClosing()) {
                byte[] out = new byte[netOut.remaining()];
                netOut.get(out);
                raw.write(out);
            }
            return r;
        }
    }

    private void onHandshakeDone() throws SSLException {
        setState(SslProtocolState.WRAPPED);
        handshakeTimer.cancel();
        if (appState == AppProtocolState.STATE_INIT) {
            setAppState(AppProtocolState.STATE_CON_MADE);
            try {
                app.connectionMade(appTransport);
            } catch (Throwable t) {
                // asyncio lets it reach the raw transport's _fatal_error, which reports it and
                // force-closes with it; the waiter, still pending, gets it (fatal() below).
                appFailed("Fatal error: protocol.connectionMade() call failed.", t);
                return;
            }
        }
        handshake.trySetResult(null);
        byte[] d;
        while ((d = pendingWrites.poll()) != null) {
            wrapAll(d);
        }
        if (appTransport.closed && state == SslProtocolState.WRAPPED) {
            // The application closed (or aborted) its transport in connectionMade.
            shutdown();
        }
    }

    /**
     * Sends close_notify, then closes the raw transport (which flushes what it holds first):
     * asyncio's {@code _start_shutdown} and {@code _do_shutdown}.
     */
    private void shutdown() {
        setState(SslProtocolState.FLUSHING);
        engine.closeOutbound();
        try {
            while (!engine.isOutboundDone() && !raw.isClosing()) {
                SSLEngineResult r = wrap(EMPTY);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            // the close_notify could not be sent: close anyway
        }
        setState(SslProtocolState.SHUTDOWN);
        raw.close();
    }

    private void wrapAll(byte[] data) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            if (wrap(src).getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS engine closed while writing");
            }
        }
    }

    /**
     * A TLS error, or the application's exception: aborts the raw transport, so
     * {@code connectionLost(e)} follows; a handshake future still pending (even after the
     * handshake, while connectionMade runs) fails with {@code e}. asyncio's
     * {@code SSLProtocol._fatal_error} without the report.
     */
    private void fatal(Throwable e) {
        if (error == null) {
            error = e;
        }
        handshake.trySetException(e);
        if (raw != null) {
            raw.abort();
        }
    }

    /**
     * The application protocol threw {@code t}: as asyncio's {@code SSLProtocol._fatal_error},
     * reports it to the loop's exception handler with {@code message} (not an
     * {@link java.io.IOException}, asyncio's {@code OSError}, nor a cancellation), then
     * {@link #fatal(Throwable)}: the connection closes with it.
     */
    private void appFailed(String message, Throwable t) {
        if (!(t instanceof java.io.IOException) && !(t instanceof org.jasyncio.CancelledError)) {
            loop.callExceptionHandler(new ExceptionContext(message, t, null, null, null));
        }
        fatal(t);
    }

    /** Whether the application protocol was told to pause writing (the raw transport's state). */
    boolean writingPaused() {
        return raw instanceof BaseTransport<?, ?> b && b.writingPaused();
    }

    /** The TLS layer under {@code t} if it is a TLS application transport, else null. */
    static SslProtocol behind(Transport t) {
        return t instanceof AppTransport a ? a.tls() : null;
    }

    /** The application's view of the connection. */
    private final class AppTransport implements Transport {

        /** close() or abort() was called: asyncio's {@code _SSLProtocolTransport._closed}. */
        private boolean closed;

        SslProtocol tls() {
            return SslProtocol.this;
        }


        @Override
        public void write(byte[] data) {
            java.util.Objects.requireNonNull(data, "data");
            if (closed || raw.isClosing()) {
                if (error != null) {
                    throw Rethrow.unchecked(new ConnectionResetException("Connection lost: " + error, error));
                }
                throw new IllegalStateException("write() on a closed transport");
            }
            if (data.length == 0) {
                return;
            }
            if (!handshakeDone()) {
                pendingWrites.add(data.clone());
                return;
            }
            try {
                wrapAll(data);
            } catch (SSLException e) {
                fatal(e);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (!handshakeDone()) {
                raw.close();
                return;
            }
            shutdown();
        }

        @Override
        public void abort() {
            closed = true;
            raw.abort();
        }

        @Override
        public boolean isClosing() {
            return closed || raw.isClosing();
        }

        @Override
        public Object getExtraInfo(String name) {
            java.util.Objects.requireNonNull(name, "name");
            return switch (name) {
                case "sslcontext" -> context;
                case "ssl_object", "sslsession" -> engine.getSession();
                case "cipher" -> engine.getSession().getCipherSuite();
                case "peercert" -> {
                    try {
                        yield engine.getSession().getPeerCertificates()[0];
                    } catch (SSLPeerUnverifiedException e) {
                        yield null;
                    }
                }
                default -> raw.getExtraInfo(name);
            };
        }

        @Override
        public void pauseReading() {
            raw.pauseReading();
        }

        @Override
        public void resumeReading() {
            raw.resumeReading();
        }

        @Override
        public boolean isReading() {
            return raw.isReading();
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            raw.setWriteBufferLimits(high, low);
        }

        @Override
        public long getWriteBufferSize() {
            return raw.getWriteBufferSize() + pendingWrites.stream().mapToLong(b -> b.length).sum();
        }

        @Override
        public int[] getWriteBufferLimits() {
            return raw.getWriteBufferLimits();
        }

        @Override
        public boolean canWriteEof() {
            return false; // TLS has no half-close here, as in asyncio
        }

        @Override
        public void writeEof() {
            throw new UnsupportedOperationException("a TLS transport cannot write EOF; close it instead");
        }

        @Override
        public Protocol getProtocol() {
            return appProtocol;
        }

        @Override
        public void setProtocol(Protocol protocol) {
            appProtocol = java.util.Objects.requireNonNull(protocol, "protocol");
        }

        @Override
        public String toString() {
            return "TlsTransport[" + raw + "]";
        }
    }
}
