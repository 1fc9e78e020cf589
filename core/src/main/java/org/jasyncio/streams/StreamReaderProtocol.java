package org.jasyncio.streams;

import java.util.ArrayDeque;
import java.util.Objects;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.internal.Rethrow;
import org.jasyncio.net.Protocol;
import org.jasyncio.net.ConnectionResetException;
import org.jasyncio.net.Transport;

/**
 * The protocol between a transport and a {@link StreamReader}/{@link StreamWriter} pair:
 * asyncio's {@code StreamReaderProtocol} (with {@code FlowControlMixin}). It feeds received
 * bytes and EOF to the reader, and tracks the transport's pause/resume-writing signals so that
 * {@link StreamWriter#drain()} can wait. {@link Streams} uses it for every connection; use it
 * yourself to put streams over another transport, a pipe say, as with asyncio:
 *
 * <pre>{@code
 * EventLoop loop = Asyncio.getRunningLoop();
 * StreamReader reader = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
 * StreamReaderProtocol protocol = new StreamReaderProtocol(reader, loop);
 * Network.connectReadPipe(() -> protocol, inputStream);
 * byte[] line = reader.readline();
 * }</pre>
 *
 * <p>Its callbacks run on the loop; use it there only.
 */
public class StreamReaderProtocol implements Protocol {

    private final EventLoop loop;
    private final StreamReader reader;
    private final ClientHandler handler;
    private final Future<Void> closed;
    private final ArrayDeque<Future<Void>> drainWaiters = new ArrayDeque<>();
    private Transport transport;
    private StreamWriter writer;
    private boolean writingPaused;
    private boolean lost;
    private Task<Void> handlerTask;

    /**
     * A protocol that feeds {@code reader}. asyncio's {@code StreamReaderProtocol(stream_reader)}.
     *
     * @param reader the reader to feed
     * @param loop   the loop
     * @throws NullPointerException if {@code reader} or {@code loop} is null
     */
    public StreamReaderProtocol(StreamReader reader, EventLoop loop) {
        this(reader, null, loop);
    }

    /**
     * A protocol for a server connection: feeds {@code reader} and runs {@code handler} as a
     * task once connected.
     *
     * @param reader  the reader to feed
     * @param handler the client handler, or null
     * @param loop    the loop
     */
    StreamReaderProtocol(StreamReader reader, ClientHandler handler, EventLoop loop) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.handler = handler;
        this.loop = Objects.requireNonNull(loop, "loop");
        this.closed = loop.createFuture();
    }

    @Override
    public void connectionMade(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        this.transport = transport;
        reader.setTransport(transport);
        if (handler != null) {
            writer = new StreamWriter(transport, this, reader, loop);
            StreamWriter w = writer;
            handlerTask = loop.createTask(() -> {
                handler.handle(reader, w);
                return null;
            }, handlerName(transport));
            Task<Void> task = handlerTask;
            task.addDoneCallback(t -> {
                if (t.cancelled()) {
                    transport.close();
                    return;
                }
                Throwable e = t.exception();
                if (e != null) {
                    // asyncio 3.12+: a failing handler is reported and its connection closed.
                    loop.callExceptionHandler(new ExceptionContext("Unhandled exception in client_connected_cb", e,
                            task, task, null));
                    transport.close();
                }
            });
        }
    }

    /**
     * A handler task's name says whom it serves, for task dumps: {@code "handler
     * 127.0.0.1:54321"} (the peer), or the server's socket for a Unix connection.
     */
    private static String handlerName(Transport transport) {
        Object peer = transport.getExtraInfo("peername");
        if (peer instanceof java.net.InetSocketAddress a && a.getAddress() != null) {
            String host = a.getAddress().getHostAddress();
            return "handler " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        if (peer != null && !peer.toString().isEmpty()) {
            return "handler " + peer;
        }
        Object local = transport.getExtraInfo("sockname");
        return local != null ? "handler of " + local : "handler";
    }

    @Override
    public void dataReceived(byte[] data) {
        Objects.requireNonNull(data, "data");
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        // Keep the transport open: the writer may still have things to say (half-close).
        return true;
    }

    @Override
    public void connectionLost(Throwable exception) {
        if (exception == null) {
            reader.feedEof();
        } else {
            reader.setException(exception);
        }
        if (exception == null) {
            closed.trySetResult(null);
        } else if (closed.trySetException(exception)) {
            // Nobody is obliged to wait for closing: don't report it as never retrieved.
            closed.exception();
        }
        lost = true;
        // Wake every drain() waiter: they raise "Connection lost".
        Future<Void> w;
        while ((w = drainWaiters.poll()) != null) {
            if (exception == null) {
                w.trySetResult(null);
            } else {
                w.trySetException(exception);
            }
        }
        transport = null;
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        Future<Void> w;
        while ((w = drainWaiters.poll()) != null) {
            w.trySetResult(null);
        }
    }

    /** Whether this is the server side of a connection (it has a client handler). */
    boolean isServerSide() {
        return handler != null;
    }

    /** After startTls: the reader pauses and resumes the TLS transport from now on. */
    void replaceTransport(Transport tls) {
        transport = tls;
        reader.replaceTransport(tls);
    }

    /** asyncio's {@code _drain_helper}: waits while writing is paused. */
    void drainHelper() {
        if (lost) {
            throw Rethrow.unchecked(new ConnectionResetException("Connection lost"));
        }
        if (!writingPaused) {
            return;
        }
        Future<Void> waiter = loop.createFuture();
        drainWaiters.add(waiter);
        try {
            waiter.await();
        } finally {
            drainWaiters.remove(waiter);
        }
    }

    /** The future done when the connection is lost (asyncio's {@code _get_close_waiter}). */
    Future<Void> closedFuture() {
        return closed;
    }
}
