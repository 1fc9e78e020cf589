package org.jasyncio.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Handle;
import org.jasyncio.LoopLocal;

/**
 * A stream transport over a non-blocking {@link SocketChannel} (TCP or Unix domain): asyncio's
 * {@code _SelectorSocketTransport}.
 */
final class SocketTransport extends BaseTransport<Transport, Protocol> implements Transport {
    /* Implementation overview:
     * Reading: a reader callback on the loop's selector reads once per
     * readiness into the loop thread's ReadBuffer and hands a copy to
     * dataReceived; -1 means EOF (eofReceived, then close unless it returns true).
     * Writing: write sends at once while nothing is queued; what the socket does not take
     * is queued and a writer callback flushes it (gathering writes), telling the protocol to pause
     * over the high-water mark and to resume at the low one.
     *
     * state     | closing | lost  | meaning
     * open      | false   | false | reading (unless paused), writing
     * closing   | true    | false | close() called: reading stopped, queued bytes still flushed
     * lost      | true    | true  | connectionLost is scheduled or done; channel closed after it
     * A read or write error sets lostWith, drops queued bytes, and goes straight to lost.
     */

    private static final int MAX_GATHER = 64;

    /**
     * Per loop, the channel of every transport of that loop not yet released, to its
     * transport: asyncio's {@code loop._transports}, which the sock_* calls check. Only the
     * loop's thread touches its map (transports are made and released there), so it needs no
     * locking; a transport adds its entry when it is made and removes it when it releases its
     * channel, and the map goes with its loop.
     */
    private static final LoopLocal<Map<SelectableChannel, SocketTransport>> TRANSPORTS =
            new LoopLocal<>(HashMap::new);

    private final SocketChannel channel;
    /** True while {@code loop.sendfile} writes to the channel directly: write() is refused. */
    private boolean sendfileInProgress;
    /** While sendfile waits (for the buffer to empty, or for writability): failed on loss. */
    private Future<Void> sendfileWait;
    private final SocketServer server;
    private final SocketAddress peername;
    private final SocketAddress sockname;
    private final Runnable readReady = this::readReady;
    private final Runnable writeReady = this::writeReady;

    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();

    private Handle reader;
    private Handle writer;
    private boolean readingPaused;
    private boolean eofRequested;
    private boolean eofReceived;

    /**
     * Wraps a connected channel; {@code connectionMade} and the first read are scheduled with
     * {@code callSoon}, then {@code waiter} (if any) gets its result, as in asyncio.
     */
    SocketTransport(EventLoop loop, SocketChannel channel, Protocol protocol, SocketServer server,
            Future<Void> waiter) throws IOException {
        super(loop, protocol);
        this.channel = channel;
        this.server = server;
        channel.configureBlocking(false);
        if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            // asyncio sets TCP_NODELAY on every TCP transport.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        this.peername = channel.getRemoteAddress();
        this.sockname = channel.getLocalAddress();
        if (server != null) {
            server.attach(this);
        }
        TRANSPORTS.get(loop).put(channel, this);
        loop.callSoon(this::connectionMadeSoon);
        loop.callSoon(() -> {
            if (!closing && !readingPaused) {
                addReader();
            }
        });
        if (waiter != null) {
            loop.callSoon(() -> {
                waiter.trySetResult(null);
            });
        }
        register();
    }

    /**
     * Calls {@code connectionMade} unless the transport is already lost. As in asyncio, where
     * it is a plain {@code call_soon(protocol.connection_made, self)}, an exception from it goes
     * to the loop's exception handler as a failed callback and the transport stays open.
     */
    private void connectionMadeSoon() {
        if (lost) {
            return;
        }
        callConnectionMade();
    }

    // ------------------------------------------------------------------ reading

    private void readReady() {
        if (lost) {
            return;
        }
        ByteBuffer buf = ReadBuffer.get();
        int n;
        try {
            n = channel.read(buf);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n > 0) {
            byte[] data = new byte[n];
            buf.flip().get(data);
            try {
                protocol.dataReceived(data);
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.dataReceived() call failed.");
            }
        } else if (n < 0) {
            readEof();
        }
    }

    private void readEof() {
        if (eofReceived) {
            removeReader();
            return;
        }
        eofReceived = true;
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        if (keepOpen) {
            // Nothing more will come: stop watching (an EOF stays readable for ever). As in
            // asyncio this only removes the reader: reading is not "paused", isReading() stays true.
            removeReader();
        } else {
            close();
        }
    }

    private void addReader() {
        reader = loop.addReader(channel, readReady);
    }

    private void removeReader() {
        if (reader != null) {
            // The handle may already be in this iteration's ready queue: cancelling it keeps
            // it from running after the transport stopped reading.
            reader.cancel();
            reader = null;
            loop.removeReader(channel);
        }
    }

    @Override
    public void pauseReading() {
        if (closing || readingPaused) {
            return;
        }
        readingPaused = true;
        removeReader();
    }

    @Override
    public void resumeReading() {
        if (closing || !readingPaused) {
            return;
        }
        readingPaused = false;
        if (!eofReceived) {
            // After EOF the socket stays readable for ever: nothing more to watch.
            addReader();
        }
    }

    @Override
    public boolean isReading() {
        return !readingPaused && !closing;
    }

    // ------------------------------------------------------------------ writing

    @Override
    public void write(byte[] data) {
        if (data == null) {
            throw new NullPointerException("data");
        }
        if (eofRequested) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        throwIfBroken();
        if (closing) {
            throw new IllegalStateException("write() on a closed transport");
        }
        if (sendfileInProgress) {
            throw new IllegalStateException("unable to write; sendfile is in progress");
        }
        if (data.length == 0) {
            return;
        }
        if (pending.isEmpty()) {
            int n;
            try {
                n = channel.write(ByteBuffer.wrap(data));
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            if (n == data.length) {
                return;
            }
            // The caller keeps its array: queue a copy of the rest.
            pending.add(ByteBuffer.wrap(Arrays.copyOfRange(data, n, data.length)));
            bufferSize += data.length - n;
            writer = loop.addWriter(channel, writeReady);
        } else {
            pending.add(ByteBuffer.wrap(data.clone()));
            bufferSize += data.length;
        }
        maybePauseProtocol();
    }

    private void writeReady() {
        if (lost) {
            return;
        }
        try {
            ArrayDeque<ByteBuffer> q = pending;
            while (!q.isEmpty()) {
                long n;
                if (q.size() == 1) {
                    n = channel.write(q.peek());
                } else {
                    ByteBuffer[] batch = new ByteBuffer[Math.min(q.size(), MAX_GATHER)];
                    int i = 0;
                    for (ByteBuffer b : q) {
                        batch[i++] = b;
                        if (i == batch.length) {
                            break;
                        }
                    }
                    n = channel.write(batch);
                }
                bufferSize -= n;
                while (!q.isEmpty() && !q.peek().hasRemaining()) {
                    q.poll();
                }
                if (n == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            removeWriter();
            pending.clear();
            bufferSize = 0;
            fatalError(e, "Fatal write error on socket transport");
            return;
        }
        maybeResumeProtocol();
        if (pending.isEmpty()) {
            removeWriter();
            wakeSendfile(null);
            if (closing) {
                lost = true;
                callConnectionLost(null);
            } else if (eofRequested) {
                shutdownOutput();
            }
        }
    }

    private void removeWriter() {
        if (writer != null) {
            writer.cancel();
            writer = null;
            loop.removeWriter(channel);
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void writeEof() {
        if (closing || eofRequested) {
            return;
        }
        eofRequested = true;
        if (pending.isEmpty()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // The peer is gone already; the read side reports it.
        }
    }

    // ------------------------------------------------------------------ closing

    @Override
    void startClosing() {
        removeReader();
        if (pending.isEmpty()) {
            scheduleConnectionLost(null);
        }
    }

    private void fatalError(Throwable exc, String message) {
        if (!(exc instanceof IOException)) {
            reportError(message, exc);
        }
        if (exc instanceof IOException io && isReset(io)) {
            exc = new ConnectionResetException(io.getMessage(), io);
        }
        if (lostWith == null) {
            lostWith = exc;
        }
        forceClose(exc);
    }

    /** Whether {@code e} says the peer reset the connection or it broke (EPIPE). */
    static boolean isReset(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("reset") || m.contains("Broken pipe"));
    }

    @Override
    void dropBuffered() {
        if (!pending.isEmpty()) {
            pending.clear();
            removeWriter();
        }
    }

    @Override
    void stopReading() {
        removeReader();
    }

    // ------------------------------------------------------------------ sendfile (see Sendfile)

    /** The channel, for sendfile's direct transfers. */
    SocketChannel channel() {
        return channel;
    }

    /** Whether a sendfile runs on this transport now. */
    boolean sendfileInProgress() {
        return sendfileInProgress;
    }

    /** Starts or ends a sendfile: while one runs, write() is refused. */
    void sendfileInProgress(boolean inProgress) {
        sendfileInProgress = inProgress;
        if (!inProgress) {
            sendfileWait = null;
        }
    }

    /**
     * Registers the future a sendfile waits on: completed when the write buffer empties,
     * failed with {@link ConnectionResetException} when the connection is lost (asyncio's
     * {@code _empty_waiter}).
     */
    void sendfileWaitOn(Future<Void> waiter) {
        sendfileWait = waiter;
    }

    private void wakeSendfile(Throwable error) {
        Future<Void> w = sendfileWait;
        if (w != null && !w.done()) {
            sendfileWait = null;
            if (error == null) {
                w.setResult(null);
            } else {
                w.setException(error);
            }
        }
    }

    /**
     * The transport that uses {@code ch}, if it is not closing: asyncio's
     * {@code _ensure_fd_no_transport} refuses sock_* calls on such a channel.
     */
    static SocketTransport openOwner(EventLoop loop, SelectableChannel ch) {
        SocketTransport t = owner(loop, ch);
        return t == null || t.isClosing() ? null : t;
    }

    /**
     * The transport that uses {@code ch} and has not released it yet, even if it is closing
     * (it will close the channel when it is done), or null.
     */
    static SocketTransport owner(EventLoop loop, SelectableChannel ch) {
        return TRANSPORTS.get(loop).get(ch);
    }

    /** The transports of {@code loop} by channel, live: for the loop's thread only. */
    static Map<SelectableChannel, SocketTransport> transports(EventLoop loop) {
        return TRANSPORTS.get(loop);
    }

    @Override
    void freeAtLoopClose() {
        pending.clear();
        TRANSPORTS.get(loop).remove(channel, this);
        SocketServer.closeQuietly(channel);
    }

    @Override
    void releaseResources() {
        wakeSendfile(new ConnectionResetException("Connection lost during sendfile"));
        TRANSPORTS.get(loop).remove(channel, this);
        try {
            channel.close();
        } catch (IOException e) {
            // closing a socket fails only if it is already gone
        }
        if (server != null) {
            server.detach(this);
        }
    }

    // ------------------------------------------------------------------ info

    @Override
    public Object getExtraInfo(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return switch (name) {
            case "peername" -> peername;
            case "sockname" -> sockname;
            case "socket" -> channel;
            default -> null;
        };
    }

    @Override
    Transport self() {
        return this;
    }

    @Override
    public String toString() {
        return "SocketTransport[" + state() + " " + sockname + " -> "
                + peername + ", buffered=" + bufferSize + "]";
    }
}
