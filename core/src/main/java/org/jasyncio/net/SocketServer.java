package org.jasyncio.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;

/**
 * A listening server on the loop's selector: asyncio's {@code Server} with
 * {@code _accept_connection}. Each listening channel has a reader that accepts up to
 * {@code backlog} connections per readiness and wraps each in a {@link SocketTransport}. The
 * server counts its live transports; {@code waitClosed} waits for {@code close()} and for that
 * count to reach zero.
 */
final class SocketServer implements Server {

    /** asyncio's ACCEPT_RETRY_DELAY: pause accepting this long after e.g. running out of fds. */
    private static final double ACCEPT_RETRY_DELAY = 1.0;

    private final EventLoop loop;
    private final Supplier<? extends Protocol> protocolFactory;
    private final int backlog;
    private final Path unixPath;
    /** The identity (device and inode) of the socket file the server bound, or null if unknown. */
    private final Object unixFileKey;
    private final SSLContext ssl;
    private final Duration sslHandshakeTimeout;
    private final boolean keepAlive;
    private List<ServerSocketChannel> channels;
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    private List<Future<Void>> waiters = new ArrayList<>();
    private boolean serving;
    private Future<Void> servingForever;

    SocketServer(EventLoop loop, List<ServerSocketChannel> channels, Supplier<? extends Protocol> protocolFactory,
            ServerOptions options, Path unixPath) {
        this.ssl = options.ssl();
        this.sslHandshakeTimeout = options.sslHandshakeTimeout();
        this.keepAlive = options.keepAlive();
        this.loop = loop;
        this.channels = channels;
        this.protocolFactory = protocolFactory;
        this.backlog = options.backlog();
        this.unixPath = unixPath;
        this.unixFileKey = unixPath == null ? null : fileKey(unixPath);
        OpenResources.of(loop).add(this);
    }

    /** The file's identity (device and inode on Unix), or null if it is gone or has none. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    void attach(SocketTransport t) {
        clients.add(t);
    }

    void detach(SocketTransport t) {
        clients.remove(t);
        if (clients.isEmpty() && channels == null) {
            wakeup();
        }
    }

    private void wakeup() {
        List<Future<Void>> w = waiters;
        waiters = null;
        if (w != null) {
            for (Future<Void> f : w) {
                f.trySetResult(null);
            }
        }
    }

    @Override
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public void startServing() {
        if (serving || channels == null) {
            return;
        }
        serving = true;
        for (ServerSocketChannel ch : channels) {
            loop.addReader(ch, () -> acceptReady(ch));
        }
    }

    private void acceptReady(ServerSocketChannel ch) {
        for (int i = 0; i < backlog && serving; i++) {
            SocketChannel conn;
            try {
                conn = ch.accept();
            } catch (IOException e) {
                // Out of file descriptors or similar: stop accepting for a while, then retry.
                loop.callExceptionHandler(ExceptionContext.of("socket.accept() out of system resource", e));
                loop.removeReader(ch);
                loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                    if (serving && ch.isOpen()) {
                        loop.addReader(ch, () -> acceptReady(ch));
                    }
                });
                return;
            }
            if (conn == null) {
                return;
            }
            accepted(conn);
        }
    }

    private void accepted(SocketChannel conn) {
        try {
            if (keepAlive) {
                conn.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            }
            Protocol protocol = protocolFactory.get();
            if (ssl != null) {
                SslProtocol tls = new SslProtocol(loop, ssl, true, null, sslHandshakeTimeout, protocol, true);
                // A failed handshake only closes that connection (asyncio logs it in debug mode).
                tls.handshake().addDoneCallback(f -> {
                    if (!f.cancelled()) {
                        f.exception();
                    }
                });
                protocol = tls;
            }
            new SocketTransport(loop, conn, protocol, this, null);
        } catch (Throwable t) {
            closeQuietly(conn);
            loop.callExceptionHandler(ExceptionContext.of("Error on transport creation for incoming connection", t));
        }
    }

    @Override
    public void close() {
        List<ServerSocketChannel> chs = channels;
        if (chs == null) {
            return;
        }
        channels = null;
        OpenResources.of(loop).remove(this);
        for (ServerSocketChannel ch : chs) {
            if (serving) {
                loop.removeReader(ch);
            }
            closeQuietly(ch);
        }
        serving = false;
        removeSocketFile();
        if (servingForever != null && !servingForever.done()) {
            servingForever.cancel();
            servingForever = null;
        }
        if (clients.isEmpty()) {
            wakeup();
        }
    }

    /**
     * asyncio 3.13's {@code cleanup_socket}: the server removes the socket file it created, but
     * only while the path still names that file (same inode), never a successor's.
     */
    private void removeSocketFile() {
        if (unixPath != null && unixFileKey != null && unixFileKey.equals(fileKey(unixPath))) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException e) {
                // gone meanwhile, or not ours to remove
            }
        }
    }

    /**
     * The loop closes with this server open: its channels are closed and its socket file
     * removed at once, without calling the loop (it may be closed already); nobody waits on
     * it any more, since the loop's tasks are done.
     */
    void closeAtLoopClose() {
        List<ServerSocketChannel> chs = channels;
        if (chs == null) {
            return;
        }
        channels = null;
        serving = false;
        servingForever = null;
        for (ServerSocketChannel ch : chs) {
            closeQuietly(ch);
        }
        removeSocketFile();
    }

    @Override
    public void waitClosed() {
        if (waiters == null) {
            return;
        }
        Future<Void> waiter = loop.createFuture();
        waiters.add(waiter);
        waiter.await();
    }

    @Override
    public void serveForever() {
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        if (channels == null) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        startServing();
        servingForever = loop.createFuture();
        try {
            servingForever.await();
        } catch (CancelledError e) {
            try {
                close();
                waitClosed();
            } catch (CancelledError again) {
                // cancelled while closing: as in asyncio, the first cancellation propagates
            }
            throw e;
        } finally {
            servingForever = null;
        }
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public void closeClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    @Override
    public void abortClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    @Override
    public List<NetworkChannel> sockets() {
        return channels == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(channels));
    }

    @Override
    public int port() {
        if (channels == null || channels.isEmpty()) {
            return -1;
        }
        try {
            SocketAddress a = channels.get(0).getLocalAddress();
            return a instanceof InetSocketAddress i ? i.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The address the first listening socket is bound to, or null. */
    SocketAddress address() {
        try {
            return channels == null || channels.isEmpty() ? null : channels.get(0).getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        List<String> addrs = new ArrayList<>();
        if (channels != null) {
            for (ServerSocketChannel ch : channels) {
                try {
                    SocketAddress a = ch.getLocalAddress();
                    addrs.add(a instanceof UnixDomainSocketAddress u ? u.getPath().toString() : String.valueOf(a));
                } catch (IOException e) {
                    addrs.add("?");
                }
            }
        }
        return "Server[" + (channels == null ? "closed" : addrs) + ", clients=" + clients.size() + "]";
    }
}
