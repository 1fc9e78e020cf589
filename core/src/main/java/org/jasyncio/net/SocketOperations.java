package org.jasyncio.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Handle;
import org.jasyncio.internal.Rethrow;

/**
 * The loop's low-level socket calls on raw non-blocking channels: asyncio's
 * {@code sock_recv}, {@code sock_recv_into}, {@code sock_sendall}, {@code sock_accept},
 * {@code sock_connect}. Each tries the operation at once and, when the channel is not ready,
 * waits for readiness through a one-shot reader or writer, removed again even when the
 * waiting task is cancelled (unless another call has taken its place). A channel that an open
 * transport uses is refused when the call would have to wait.
 */
final class SocketOperations {

    private SocketOperations() {
    }

    /** asyncio's {@code loop.sock_recv(sock, nbytes)}: up to n bytes, empty at EOF. */
    static byte[] recv(EventLoop loop, SocketChannel ch, int nbytes) {
        if (nbytes < 0) {
            throw new IllegalArgumentException("nbytes must be >= 0: " + nbytes);
        }
        ByteBuffer buf = ByteBuffer.allocate(nbytes);
        int n = recvInto(loop, ch, buf);
        return n <= 0 ? new byte[0] : Arrays.copyOf(buf.array(), n);
    }

    /** asyncio's {@code loop.sock_recv_into(sock, buf)}: bytes read, -1 at EOF. */
    static int recvInto(EventLoop loop, SocketChannel ch, ByteBuffer buf) {
        checkNonBlocking(ch);
        try {
            while (true) {
                int n = ch.read(buf);
                if (n != 0 || !buf.hasRemaining()) {
                    return n;
                }
                waitReady(loop, ch, true);
            }
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    /** asyncio's {@code loop.sock_sendall(sock, data)}. */
    static void sendall(EventLoop loop, SocketChannel ch, ByteBuffer data) {
        checkNonBlocking(ch);
        try {
            ch.write(data);
            while (data.hasRemaining()) {
                waitReady(loop, ch, false);
                ch.write(data);
            }
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    /**
     * asyncio's {@code loop.sock_recvfrom_into(sock, buf)}: waits for a datagram, puts it in
     * {@code buf} (what does not fit is discarded) and returns its sender.
     */
    static SocketAddress recvfromInto(EventLoop loop, DatagramChannel ch, ByteBuffer buf) {
        checkNonBlocking(ch);
        try {
            while (true) {
                SocketAddress from = ch.receive(buf);
                if (from != null) {
                    return from;
                }
                waitReady(loop, ch, true);
            }
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    /**
     * asyncio's {@code loop.sock_sendto(sock, data, address)}: waits until the datagram can be
     * sent, then sends it whole; returns its size.
     */
    static int sendto(EventLoop loop, DatagramChannel ch, ByteBuffer data, SocketAddress address) {
        checkNonBlocking(ch);
        int size = data.remaining();
        try {
            while (send(ch, data, address) == 0 && size > 0) {
                waitReady(loop, ch, false);
            }
            return size;
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    /** One try: to {@code address}, or with null to the connected peer. */
    private static int send(DatagramChannel ch, ByteBuffer data, SocketAddress address) throws IOException {
        return address == null ? ch.write(data) : ch.send(data, address);
    }

    /** asyncio's {@code loop.sock_accept(sock)}: the new channel, non-blocking. */
    static SocketChannel accept(EventLoop loop, ServerSocketChannel ch) {
        checkNonBlocking(ch);
        try {
            while (true) {
                SocketChannel c = ch.accept();
                if (c != null) {
                    c.configureBlocking(false);
                    return c;
                }
                waitReady(loop, ch, true);
            }
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    /** asyncio's {@code loop.sock_connect(sock, address)}; an unresolved host is resolved off the loop. */
    static void sockConnect(EventLoop loop, SocketChannel ch, SocketAddress address) {
        checkNonBlocking(ch);
        if (address instanceof InetSocketAddress i && i.isUnresolved()) {
            InetAddress a = HostResolver.resolve(loop, i.getHostString()).get(0);
            address = new InetSocketAddress(a, i.getPort());
        }
        try {
            connect(loop, ch, address);
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    static void connect(EventLoop loop, SocketChannel ch, SocketAddress address) throws IOException {
        if (ch.connect(address)) {
            return;
        }
        // finishConnect throws the connect error (ConnectException: Connection refused, ...),
        // and returns false if the readiness was not the connect's end after all.
        do {
            waitReady(loop, ch, false);
        } while (!ch.finishConnect());
    }

    /**
     * Waits until {@code ch} is readable (or writable). As asyncio's {@code _sock_read_done} /
     * {@code _sock_write_done}, the reader (writer) is removed afterwards only if it is still
     * this call's: another sock_* call that took the slot meanwhile cancelled our handle, and
     * keeps its own. A channel an open transport uses is refused, as asyncio's
     * {@code _ensure_fd_no_transport} does, before touching its reader or writer.
     */
    private static void waitReady(EventLoop loop, SelectableChannel ch, boolean read) {
        SocketTransport owner = SocketTransport.openOwner(loop, ch);
        if (owner != null) {
            throw new IllegalStateException("the channel is used by transport " + owner
                    + ": read and write through the transport, or close it first");
        }
        awaitReady(loop, ch, read, loop.createFuture());
    }

    /**
     * Waits on {@code ready} until {@code ch} is readable (or writable) or something else
     * completes {@code ready}; the reader (writer) is removed afterwards if it is still ours.
     * No ownership check: for the caller that owns the channel (sendfile).
     */
    static void awaitReady(EventLoop loop, SelectableChannel ch, boolean read, Future<Void> ready) {
        Runnable wake = () -> {
            ready.trySetResult(null);
        };
        Handle handle = read ? loop.addReader(ch, wake) : loop.addWriter(ch, wake);
        try {
            ready.await();
        } finally {
            if (ch.isOpen() && !handle.cancelled()) {
                if (read) {
                    loop.removeReader(ch);
                } else {
                    loop.removeWriter(ch);
                }
            }
        }
    }

    static void checkNonBlocking(SelectableChannel ch) {
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking: call configureBlocking(false) first");
        }
    }
}
