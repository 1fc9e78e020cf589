package org.jasyncio.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.net.SocketAddress;
import java.util.Objects;
import org.jasyncio.Asyncio;

/**
 * Reads, writes, accepts, connects and sends files on non-blocking NIO channels, suspending
 * the calling task until the operation can complete: asyncio's "working with socket objects
 * directly" loop methods ({@code loop.sock_recv}, {@code sock_recv_into},
 * {@code sock_sendall}, {@code sock_recvfrom}, {@code sock_recvfrom_into},
 * {@code sock_sendto}, {@code sock_sendfile}, {@code sock_accept}, {@code sock_connect}).
 *
 * <p>Every method acts on the event loop running the calling task; call them from a task on
 * the loop, never from another thread. A channel a transport owns is refused.
 */
public final class Sockets {

    private Sockets() {
    }

    /**
     * Reads up to {@code nbytes} from a non-blocking channel, waiting until some arrive; empty
     * at EOF. asyncio's {@code loop.sock_recv(sock, nbytes)}.
     *
     * @param channel a non-blocking connected channel
     * @param nbytes  the most bytes to read
     * @return the bytes read
     * @throws NullPointerException if {@code channel} is null
     * @throws IOException if reading fails (the connection was reset, say)
     */
    public static byte[] sockRecv(SocketChannel channel, int nbytes) throws IOException {
        Objects.requireNonNull(channel, "channel");
        return SocketOperations.recv(Asyncio.getRunningLoop(), channel, nbytes);
    }

    /**
     * Reads into {@code buffer}, waiting until some bytes arrive. asyncio's
     * {@code loop.sock_recv_into(sock, buf)}.
     *
     * @param channel a non-blocking connected channel
     * @param buffer  where to put the bytes
     * @return the number read, -1 at EOF
     * @throws NullPointerException if {@code channel} or {@code buffer} is null
     * @throws IOException if reading fails (the connection was reset, say)
     */
    public static int sockRecvInto(SocketChannel channel, ByteBuffer buffer) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(buffer, "buffer");
        return SocketOperations.recvInto(Asyncio.getRunningLoop(), channel, buffer);
    }

    /**
     * Sends all of {@code data}, waiting while the socket is full. asyncio's
     * {@code loop.sock_sendall(sock, data)}.
     *
     * @param channel a non-blocking connected channel
     * @param data    the bytes
     * @throws NullPointerException if {@code channel} or {@code data} is null
     * @throws IOException if writing fails (the connection was reset, say)
     */
    public static void sockSendall(SocketChannel channel, byte[] data) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        SocketOperations.sendall(Asyncio.getRunningLoop(), channel, ByteBuffer.wrap(data));
    }

    /**
     * Receives one datagram of at most {@code bufsize} bytes (the rest of a longer one is
     * discarded), waiting until one arrives. asyncio's {@code loop.sock_recvfrom(sock, bufsize)}.
     *
     * @param channel a non-blocking datagram channel
     * @param bufsize the most bytes to return
     * @return the bytes and their sender
     * @throws NullPointerException if {@code channel} is null
     * @throws IOException if receiving fails
     */
    public static Datagram sockRecvfrom(DatagramChannel channel, int bufsize) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (bufsize < 0) {
            throw new IllegalArgumentException("bufsize must be >= 0: " + bufsize);
        }
        ByteBuffer buf = ByteBuffer.allocate(bufsize);
        SocketAddress from = SocketOperations.recvfromInto(Asyncio.getRunningLoop(), channel, buf);
        return new Datagram(java.util.Arrays.copyOf(buf.array(), buf.position()), from);
    }

    /**
     * Receives one datagram into {@code buffer} (from its position; what does not fit is
     * discarded), waiting until one arrives. asyncio's
     * {@code loop.sock_recvfrom_into(sock, buf)}, which returns {@code (nbytes, address)}: here
     * the byte count is how far the buffer's position moved.
     *
     * @param channel a non-blocking datagram channel
     * @param buffer  where to put the bytes
     * @return the sender
     * @throws NullPointerException if {@code channel} or {@code buffer} is null
     * @throws IOException if receiving fails
     */
    public static SocketAddress sockRecvfromInto(DatagramChannel channel, ByteBuffer buffer) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(buffer, "buffer");
        return SocketOperations.recvfromInto(Asyncio.getRunningLoop(), channel, buffer);
    }

    /**
     * Sends {@code data} as one datagram to {@code address} (null on a connected channel:
     * its peer), waiting while the socket cannot take it. asyncio's
     * {@code loop.sock_sendto(sock, data, address)}.
     *
     * @param channel a non-blocking datagram channel
     * @param data    the datagram
     * @param address where to send it, or null on a connected channel
     * @return the number of bytes sent
     * @throws NullPointerException if {@code channel} or {@code data} is null
     * @throws IOException if sending fails
     */
    public static int sockSendto(DatagramChannel channel, byte[] data, SocketAddress address) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        return SocketOperations.sendto(Asyncio.getRunningLoop(), channel, ByteBuffer.wrap(data), address);
    }


    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} over a non-blocking
     * connected channel, inside the kernel ({@link FileChannel#transferTo}),
     * waiting while the socket is full; returns how many were sent. The file's position ends
     * at {@code offset} plus the bytes sent (when any were). asyncio's
     * {@code loop.sock_sendfile(sock, file, offset, count)}.
     *
     * @param channel a non-blocking connected channel no open transport uses
     * @param file    the file, open for reading
     * @param offset  where to start in the file, at least 0
     * @param count   how many bytes, at least 1 (fewer are sent if the file ends first)
     * @return the number of bytes sent
     * @throws NullPointerException if {@code channel} or {@code file} is null
     * @throws IllegalArgumentException for a blocking channel, a negative offset or a count below 1
     * @throws IllegalStateException    if an open transport uses the channel
     * @throws IOException if reading the file or writing the socket fails
     *                     ({@link ConnectionResetException} for a reset)
     */
    public static long sockSendfile(SocketChannel channel, FileChannel file, long offset,
            long count) throws IOException {
        return Sendfile.overSocket(Asyncio.getRunningLoop(), channel, file, offset, count);
    }

    /**
     * {@link #sockSendfile(SocketChannel, FileChannel, long, long)}
     * from {@code offset} to the end of the file. asyncio's
     * {@code loop.sock_sendfile(sock, file, offset)}.
     *
     * @param channel a non-blocking connected channel no open transport uses
     * @param file    the file, open for reading
     * @param offset  where to start in the file, at least 0
     * @return the number of bytes sent
     * @throws NullPointerException if {@code channel} or {@code file} is null
     * @throws IOException if reading the file or writing the socket fails
     *                     ({@link ConnectionResetException} for a reset)
     */
    public static long sockSendfile(SocketChannel channel, FileChannel file, long offset) throws IOException {
        return Sendfile.overSocket(Asyncio.getRunningLoop(), channel, file, offset,
                Sendfile.TO_EOF);
    }

    /**
     * {@link #sockSendfile(SocketChannel, FileChannel, long, long)}
     * of the whole file. asyncio's {@code loop.sock_sendfile(sock, file)}.
     *
     * @param channel a non-blocking connected channel no open transport uses
     * @param file    the file, open for reading
     * @return the number of bytes sent
     * @throws NullPointerException if {@code channel} or {@code file} is null
     * @throws IOException if reading the file or writing the socket fails
     *                     ({@link ConnectionResetException} for a reset)
     */
    public static long sockSendfile(SocketChannel channel, FileChannel file) throws IOException {
        return sockSendfile(channel, file, 0);
    }

    /**
     * Accepts a connection, waiting for one. asyncio's {@code loop.sock_accept(sock)}.
     *
     * @param channel a non-blocking bound server channel
     * @return the accepted channel, non-blocking
     * @throws NullPointerException if {@code channel} is null
     * @throws IOException if accepting fails (out of file descriptors, say)
     */
    public static SocketChannel sockAccept(ServerSocketChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        return SocketOperations.accept(Asyncio.getRunningLoop(), channel);
    }

    /**
     * Connects a non-blocking channel, waiting until connected (an unresolved host name is
     * resolved off the loop). asyncio's {@code loop.sock_connect(sock, address)}.
     *
     * @param channel a non-blocking channel
     * @param address where to connect
     * @throws NullPointerException if {@code channel} or {@code address} is null
     * @throws IOException if the host cannot be resolved or the connection made
     *                     ({@link java.net.ConnectException}: refused, ...)
     */
    public static void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(address, "address");
        SocketOperations.sockConnect(Asyncio.getRunningLoop(), channel, address);
    }
}
