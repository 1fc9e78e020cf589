package org.jasyncio.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Handle;
import org.jasyncio.internal.Rethrow;

/**
 * A UDP endpoint over a non-blocking {@link DatagramChannel}: asyncio's
 * {@code _SelectorDatagramTransport}. One datagram is received per readiness; an I/O error on
 * receive or send goes to {@code errorReceived} and the endpoint stays open, as in asyncio.
 * Datagrams the socket cannot take are queued with their address and flushed by a writer.
 */
final class DatagramSocketTransport extends BaseTransport<DatagramTransport, DatagramProtocol> implements DatagramTransport {

    private record Queued(ByteBuffer data, SocketAddress address) {
    }

    private final DatagramChannel channel;
    private final SocketAddress remote;
    private final ArrayDeque<Queued> pending = new ArrayDeque<>();
    private Handle reader;
    private Handle writer;

    private DatagramSocketTransport(EventLoop loop, DatagramChannel channel, DatagramProtocol protocol,
            SocketAddress remote, Future<Void> waiter) {
        super(loop, protocol);
        this.channel = channel;
        this.remote = remote;
        loop.callSoon(() -> {
            if (!lost) {
                callConnectionMade();
            }
        });
        loop.callSoon(() -> {
            if (!closing) {
                reader = loop.addReader(channel, this::readReady);
            }
        });
        loop.callSoon(() -> {
            waiter.trySetResult(null);
        });
        register();
    }

    /** asyncio's {@code loop.create_datagram_endpoint(factory, local_addr=, remote_addr=)}. */
    static <P extends DatagramProtocol> DatagramTransportAndProtocol<P> create(EventLoop loop,
            Supplier<P> factory, SocketAddress local, SocketAddress remote) {
        java.util.Objects.requireNonNull(factory, "protocolFactory");
        local = resolve(loop, local);
        remote = resolve(loop, remote);
        DatagramChannel ch = null;
        DatagramSocketTransport t = null;
        try {
            ch = DatagramChannel.open();
            ch.configureBlocking(false);
            ch.bind(local);
            if (remote != null) {
                ch.connect(remote);
            }
            P protocol = factory.get();
            Future<Void> waiter = loop.createFuture();
            t = new DatagramSocketTransport(loop, ch, protocol, remote, waiter);
            waiter.await();
            return new DatagramTransportAndProtocol<>(t, protocol);
        } catch (Throwable e) {
            if (t != null) {
                t.abort();
            } else if (ch != null) {
                SocketServer.closeQuietly(ch);
            }
            throw Rethrow.unchecked(e);
        }
    }

    private static SocketAddress resolve(EventLoop loop, SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.isUnresolved()) {
            List<java.net.InetAddress> all = HostResolver.resolve(loop, i.getHostString());
            return new InetSocketAddress(all.get(0), i.getPort());
        }
        return a;
    }

    private void readReady() {
        if (lost) {
            return;
        }
        ByteBuffer buf = ReadBuffer.get();
        SocketAddress from;
        try {
            from = channel.receive(buf);
        } catch (IOException e) {
            protocol.errorReceived(e);
            return;
        } catch (Throwable t) {
            fatal(t);
            return;
        }
        if (from == null) {
            return;
        }
        byte[] data = new byte[buf.flip().remaining()];
        buf.get(data);
        try {
            protocol.datagramReceived(data, from);
        } catch (Throwable t) {
            fatal(t);
        }
    }

    @Override
    public void sendto(byte[] data) {
        java.util.Objects.requireNonNull(data, "data");
        if (remote == null) {
            throw new IllegalStateException("sendto(data) needs a connected endpoint: give an address");
        }
        sendto(data, null);
    }

    @Override
    public void sendto(byte[] data, SocketAddress address) {
        java.util.Objects.requireNonNull(data, "data");
        if (remote != null) {
            if (address != null && !address.equals(remote)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + remote);
            }
            address = remote;
        } else if (address == null) {
            throw new IllegalArgumentException("an unconnected endpoint needs a destination address");
        }
        if (closing) {
            throw new IllegalStateException("sendto() on a closed datagram transport");
        }
        if (pending.isEmpty()) {
            try {
                int n = remote != null ? channel.write(ByteBuffer.wrap(data)) : channel.send(ByteBuffer.wrap(data),
                        address);
                if (n > 0 || data.length == 0) {
                    return;
                }
            } catch (IOException e) {
                protocol.errorReceived(e);
                return;
            }
            writer = loop.addWriter(channel, this::writeReady);
        }
        pending.add(new Queued(ByteBuffer.wrap(data.clone()), address));
        bufferSize += data.length;
        maybePauseProtocol();
    }

    private void writeReady() {
        if (lost) {
            return;
        }
        while (!pending.isEmpty()) {
            Queued q = pending.peek();
            int len = q.data().remaining();
            try {
                int n = remote != null ? channel.write(q.data()) : channel.send(q.data(), q.address());
                if (n == 0 && len > 0) {
                    return; // still full: wait for the next writable event
                }
            } catch (IOException e) {
                protocol.errorReceived(e);
            }
            pending.poll();
            bufferSize -= len;
        }
        maybeResumeProtocol();
        removeWriter();
        if (closing) {
            lost = true;
            callConnectionLost(null);
        }
    }

    private void removeWriter() {
        if (writer != null) {
            writer.cancel();
            writer = null;
            loop.removeWriter(channel);
        }
    }

    private void removeReader() {
        if (reader != null) {
            reader.cancel();
            reader = null;
            loop.removeReader(channel);
        }
    }

    @Override
    void startClosing() {
        removeReader();
        if (pending.isEmpty()) {
            scheduleConnectionLost(null);
        }
    }

    private void fatal(Throwable t) {
        reportError("Fatal error on datagram transport", t);
        forceClose(t);
    }

    @Override
    void dropBuffered() {
        pending.clear();
        removeWriter();
    }

    @Override
    void stopReading() {
        removeReader();
    }

    @Override
    void releaseResources() {
        SocketServer.closeQuietly(channel);
    }

    @Override
    void freeAtLoopClose() {
        pending.clear();
        SocketServer.closeQuietly(channel);
    }

    @Override
    public Object getExtraInfo(String name) {
        java.util.Objects.requireNonNull(name, "name");
        try {
            return switch (name) {
                case "sockname" -> channel.isOpen() ? channel.getLocalAddress() : null;
                case "peername" -> remote;
                case "socket" -> channel;
                default -> null;
            };
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    DatagramTransport self() {
        return this;
    }

    @Override
    public String toString() {
        return "DatagramSocketTransport[" + state() + ", remote=" + remote + "]";
    }
}
