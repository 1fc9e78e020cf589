package org.jasyncio.bench.echo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The one load generator used for every echo server: C connections on 127.0.0.1, driven by a
 * single selector thread (the calling one). Each connection sends a 64-byte message, waits for
 * its whole echo, records the round trip, and sends the next. All connections connect first;
 * then a warm-up, then the measured window.
 *
 * <p>Server CPU time per message is the process's CPU time over the window minus this
 * thread's: it covers the server's threads plus the JVM's (JIT, GC), the same for every peer.
 */
final class EchoLoadGenerator {

    static final int MESSAGE_BYTES = 64;

    /** One measured window. */
    record Result(long messages, double seconds, long p50Nanos, long p99Nanos, double serverCpuSeconds) {
        double rate() {
            return messages / seconds;
        }
    }

    private static final class Conn {
        final SocketChannel channel;
        long sentAt;
        int received;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private EchoLoadGenerator() {
    }

    static Result run(int port, int connections, double warmupSeconds, double seconds) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        Conn[] conns = new Conn[connections];
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections; i++) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    conns[i] = new Conn(ch);
                    if (ch.connect(address)) {
                        ch.register(selector, 0, conns[i]);
                    } else {
                        ch.register(selector, SelectionKey.OP_CONNECT, conns[i]);
                    }
                }
                awaitConnected(selector, connections);
                for (Conn c : conns) {
                    c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
                    send(c, message);
                }
                long start = System.nanoTime();
                long measureFrom = start + (long) (warmupSeconds * 1e9);
                long measureUntil = measureFrom + (long) (seconds * 1e9);
                boolean measuring = false;
                long[] latencies = new long[1 << 20];
                int count = 0;
                long procCpu0 = 0;
                long myCpu0 = 0;
                long now = start;
                while (now < measureUntil) {
                    selector.select(100);
                    now = System.nanoTime();
                    if (!measuring && now >= measureFrom) {
                        measuring = true;
                        measureFrom = now;
                        procCpu0 = os.getProcessCpuTime();
                        myCpu0 = threads.getCurrentThreadCpuTime();
                    }
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        Conn c = (Conn) k.attachment();
                        in.clear();
                        int n = c.channel.read(in);
                        if (n < 0) {
                            throw new IOException("the server closed a connection during the run");
                        }
                        c.received += n;
                        if (c.received >= MESSAGE_BYTES) {
                            c.received -= MESSAGE_BYTES;
                            if (measuring && now < measureUntil) {
                                if (count == latencies.length) {
                                    latencies = Arrays.copyOf(latencies, count * 2);
                                }
                                latencies[count++] = now - c.sentAt;
                            }
                            send(c, message);
                        }
                    }
                }
                long procCpu = os.getProcessCpuTime() - procCpu0;
                long myCpu = threads.getCurrentThreadCpuTime() - myCpu0;
                double window = (now - measureFrom) / 1e9;
                Arrays.sort(latencies, 0, count);
                long p50 = count == 0 ? 0 : latencies[(int) (count * 0.50)];
                long p99 = count == 0 ? 0 : latencies[Math.min(count - 1, (int) (count * 0.99))];
                return new Result(count, window, p50, p99, (procCpu - myCpu) / 1e9);
            } finally {
                for (Conn c : conns) {
                    if (c != null) {
                        c.channel.close();
                    }
                }
            }
        }
    }

    private static void awaitConnected(Selector selector, int connections) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int connected = 0;
        for (SelectionKey k : selector.keys()) {
            if (((SocketChannel) k.channel()).isConnected()) {
                connected++;
            }
        }
        while (connected < connections) {
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + connected + " of " + connections + " connections were made in 60 s");
            }
            selector.select(100);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (k.isConnectable() && ((SocketChannel) k.channel()).finishConnect()) {
                    k.interestOps(0);
                    connected++;
                }
            }
        }
    }

    private static void send(Conn c, ByteBuffer message) throws IOException {
        message.clear();
        c.sentAt = System.nanoTime();
        while (message.hasRemaining()) {
            // 64 bytes into a socket with nothing in flight: never partial in practice.
            c.channel.write(message);
        }
    }
}
