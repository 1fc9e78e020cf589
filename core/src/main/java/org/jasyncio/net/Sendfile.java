package org.jasyncio.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.internal.Rethrow;

/**
 * Sends a file: asyncio's {@code loop.sendfile(transport, file, offset, count)} and
 * {@code loop.sock_sendfile(sock, file, offset, count)}.
 */
final class Sendfile {
    /* Implementation overview:
     * On a plain socket transport (asyncio's TRY_NATIVE mode) the file goes straight from the
     * kernel's page cache to the socket with FileChannel#transferTo (sendfile(2) on
     * Linux): the transport stops reading, its write buffer is flushed first, write() is
     * refused while the file goes out, and the task waits for writability whenever the socket is
     * full. On a TLS transport (asyncio's FALLBACK mode) the file is read in 16 KiB chunks off the
     * loop and written through the transport, waiting while the transport has paused writing; a
     * stand-in protocol takes the transport's pause/resume calls meanwhile, like asyncio's
     * _SendfileFallbackProtocol. Either way the file's position ends at
     * offset + sent when anything was sent, even if the call fails or is cancelled (the
     * fallback, like asyncio's, moves it to offset first). One sendfile at a time runs on a
     * transport; a second is refused.
     */

    /** asyncio's fallback block size. */
    static final int CHUNK = 16 * 1024;
    /** The count that means "to the end of the file" (asyncio's {@code count=None}). */
    static final long TO_EOF = Long.MAX_VALUE;

    private Sendfile() {
    }

    /** asyncio's {@code loop.sendfile}: the number of bytes sent. */
    static long overTransport(EventLoop loop, Transport transport, FileChannel file, long offset, long count) {
        java.util.Objects.requireNonNull(transport, "transport");
        checkParameters(file, offset, count);
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        if (transport instanceof SocketTransport t) {
            return overSocketTransport(loop, t, file, offset, count);
        }
        SslProtocol tls = SslProtocol.behind(transport);
        if (tls == null) {
            // asyncio's UNSUPPORTED mode (pipe transports, for one).
            throw new UnsupportedOperationException("sendfile is not supported for transport " + transport);
        }
        return fallback(loop, transport, tls, file, offset, count);
    }

    /** asyncio's {@code loop.sock_sendfile}: the number of bytes sent. */
    static long overSocket(EventLoop loop, SocketChannel sock, FileChannel file, long offset, long count) {
        java.util.Objects.requireNonNull(sock, "channel");
        checkParameters(file, offset, count);
        SocketOperations.checkNonBlocking(sock);
        SocketTransport owner = SocketTransport.openOwner(loop, sock);
        if (owner != null) {
            throw new IllegalStateException("the channel is used by transport " + owner
                    + ": use Network.sendfile(transport, ...) instead");
        }
        return transfer(loop, sock, file, offset, count, null);
    }

    private static void checkParameters(FileChannel file, long offset, long count) {
        if (file == null) {
            throw new NullPointerException("file");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be a non-negative integer (got " + offset + ")");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be a positive integer (got " + count + ")");
        }
    }

    private static IllegalStateException alreadySending(Transport t) {
        // asyncio: RuntimeError('Empty waiter is already set')
        return new IllegalStateException("sendfile is already in progress on transport " + t);
    }

    private static long overSocketTransport(EventLoop loop, SocketTransport t, FileChannel file, long offset, long count) {
        if (t.sendfileInProgress()) {
            throw alreadySending(t);
        }
        boolean resumeReading = t.isReading();
        t.pauseReading();
        t.sendfileInProgress(true);
        try {
            if (t.getWriteBufferSize() > 0) {
                Future<Void> empty = loop.createFuture();
                t.sendfileWaitOn(empty);
                empty.await();
                if (t.isClosing()) {
                    // Closed while its buffer drained: the channel closes right after.
                    throw Rethrow.unchecked(new ConnectionResetException("Connection lost during sendfile"));
                }
            }
            return transfer(loop, t.channel(), file, offset, count, t);
        } finally {
            t.sendfileInProgress(false);
            if (resumeReading && !t.isClosing()) {
                t.resumeReading();
            }
        }
    }

    /** transferTo until {@code count} bytes (or EOF) went out; waits while the socket is full. */
    private static long transfer(EventLoop loop, SocketChannel ch, FileChannel file, long offset, long count,
            SocketTransport owner) {
        long sent = 0;
        try {
            while (true) {
                long position = offset + sent;
                long left = count - sent;
                if (left <= 0) {
                    break;
                }
                long n = file.transferTo(position, left, ch);
                if (n > 0) {
                    sent += n;
                    continue;
                }
                if (position >= file.size()) {
                    break; // EOF
                }
                Future<Void> writable = loop.createFuture();
                if (owner != null) {
                    owner.sendfileWaitOn(writable); // the connection's loss fails the wait
                }
                SocketOperations.awaitReady(loop, ch, false, writable);
            }
            return sent;
        } catch (IOException e) {
            // As the socket transport reports them: a reset or broken pipe is a ConnectionResetException.
            throw Rethrow.unchecked(SocketTransport.isReset(e) ? new ConnectionResetException(e.getMessage(), e) : e);
        } finally {
            updatePosition(file, offset, sent);
        }
    }

    /** asyncio's {@code _sendfile_fallback}: read a chunk off the loop, write it, wait while paused. */
    private static long fallback(EventLoop loop, Transport transport, SslProtocol tls, FileChannel file, long offset,
            long count) {
        if (transport.getProtocol() instanceof PausedWriting) {
            throw alreadySending(transport);
        }
        if (offset > 0) {
            updatePosition(file, 0, offset); // asyncio seeks to the offset first
        }
        PausedWriting stand = new PausedWriting(loop, transport, tls.writingPaused());
        long sent = 0;
        try {
            while (true) {
                int size = (int) Math.min(CHUNK, count - sent);
                if (size <= 0) {
                    return sent;
                }
                long position = offset + sent;
                byte[] chunk = readOffTheLoop(file, position, size);
                if (chunk.length == 0) {
                    return sent;
                }
                stand.drain();
                transport.write(chunk);
                sent += chunk.length;
            }
        } finally {
            updatePosition(file, offset, sent);
            stand.restore();
        }
    }

    /**
     * Reads a chunk on a virtual thread (a disk read must not block the loop; asyncio uses the
     * executor). Not through {@code runInExecutor}: cancelling that interrupts the reader, and an
     * interrupt closes a {@link FileChannel}, which is the caller's. A cancelled wait here
     * leaves the read to finish unseen.
     */
    private static byte[] readOffTheLoop(FileChannel file, long position, int size) {
        CompletableFuture<byte[]> chunk = new CompletableFuture<>();
        Thread.ofVirtual().name("jasyncio-sendfile-read").start(() -> {
            try {
                chunk.complete(read(file, position, size));
            } catch (Throwable t) {
                chunk.completeExceptionally(t);
            }
        });
        return Future.fromCompletionStage(chunk).await();
    }

    private static byte[] read(FileChannel file, long position, int size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(size);
        while (buf.hasRemaining()) {
            if (file.read(buf, position + buf.position()) < 0) {
                break;
            }
        }
        return buf.position() == size ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    private static void updatePosition(FileChannel file, long offset, long sent) {
        if (sent > 0) {
            try {
                file.position(offset + sent);
            } catch (IOException e) {
                // the file was closed meanwhile: nothing to update
            }
        }
    }

    /**
     * The transport's protocol while the fallback runs: takes pauseWriting/resumeWriting
     * (so the fallback can wait), passes connectionLost on, and gives everything back in
     * {@link #restore}. asyncio's {@code _SendfileFallbackProtocol}.
     */
    private static final class PausedWriting implements Protocol {
        private final EventLoop loop;
        private final Transport transport;
        private final Protocol original;
        private final boolean resumeReading;
        private final boolean wasPaused;
        private Future<Void> writeReady;
        private boolean lost;

        PausedWriting(EventLoop loop, Transport transport, boolean paused) {
            this.loop = loop;
            this.transport = transport;
            this.original = transport.getProtocol();
            this.resumeReading = transport.isReading();
            this.wasPaused = paused;
            transport.pauseReading();
            transport.setProtocol(this);
            if (paused) {
                writeReady = loop.createFuture();
            }
        }

        /** Waits while the transport has paused writing; throws once the connection is closed. */
        void drain() {
            if (transport.isClosing()) {
                throw Rethrow.unchecked(new ConnectionResetException("Connection closed by peer"));
            }
            Future<Void> f = writeReady;
            if (f != null) {
                f.await();
            }
        }

        @Override
        public void pauseWriting() {
            if (writeReady == null) {
                writeReady = loop.createFuture();
            }
        }

        @Override
        public void resumeWriting() {
            Future<Void> f = writeReady;
            writeReady = null;
            if (f != null && !f.done()) {
                f.setResult(null);
            }
        }

        /** Reading is paused, but bytes already decrypted may still come: they go on. */
        @Override
        public void dataReceived(byte[] data) {
            original.dataReceived(data);
        }

        @Override
        public boolean eofReceived() {
            return original.eofReceived();
        }

        @Override
        public void connectionLost(Throwable exception) {
            lost = true;
            Future<Void> f = writeReady;
            if (f != null && !f.done()) {
                f.setException(exception != null ? exception
                        : new ConnectionResetException("Connection is closed by peer"));
            }
            original.connectionLost(exception);
        }

        void restore() {
            transport.setProtocol(original);
            if (resumeReading && !transport.isClosing()) {
                transport.resumeReading();
            }
            Future<Void> f = writeReady;
            if (f != null && !f.done()) {
                f.cancel();
            }
            // Tell the protocol what changed while we stood in for it (nothing after its
            // connectionLost: that is its last call).
            boolean paused = f != null;
            if (lost) {
                return;
            }
            if (wasPaused && !paused) {
                original.resumeWriting();
            } else if (!wasPaused && paused) {
                original.pauseWriting();
            }
        }
    }
}
