package org.jasyncio.bench.echo;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jasyncio.Asyncio;
import org.jasyncio.net.ServerOptions;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.net.Protocol;
import org.jasyncio.net.Server;
import org.jasyncio.net.ServerGroup;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.Streams;
import org.jasyncio.streams.StreamWriter;
import org.jasyncio.net.Transport;
import org.jasyncio.net.Network;

/**
 * jasyncio's echo server, at either level: {@code protocol} (a {@link Protocol} whose
 * {@code dataReceived} writes the bytes back, asyncio's EchoServerProtocol) or {@code streams}
 * (a handler task per connection doing {@code read; write; drain}, asyncio's start_server echo);
 * on one loop thread, or on several loops sharing the port through a {@link ServerGroup}.
 */
final class JasyncioEchoPeer implements EchoPeer {

    private final boolean streams;
    private final int loops;
    private Thread thread;
    private volatile EventLoop loop;
    private volatile Future<Void> stop;
    private ServerGroup group;

    JasyncioEchoPeer(boolean streams, int loops) {
        this.streams = streams;
        this.loops = loops;
    }

    @Override
    public String name() {
        return (streams ? "jasyncio-streams" : "jasyncio-protocol") + (loops > 1 ? "-" + loops + "loops" : "");
    }

    /** asyncio's EchoServerProtocol. */
    static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }
    }

    static void echoStreams(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            while (true) {
                byte[] data = reader.read(65536);
                if (data.length == 0) {
                    break;
                }
                writer.write(data);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    @Override
    public int start(int backlog) throws Exception {
        if (loops > 1) {
            group = ServerGroup.start(loops, "127.0.0.1", 0, ServerOptions.DEFAULTS.withBacklog(backlog),
                    (host, port, options) -> streams
                            ? Streams.startServer(JasyncioEchoPeer::echoStreams, host, port, options)
                            : Network.createServer(EchoProtocol::new, host, port, options));
            return group.port();
        }
        CompletableFuture<Integer> port = new CompletableFuture<>();
        thread = Thread.ofPlatform().name("jasyncio-echo-loop").start(() -> {
            try {
                Asyncio.run(() -> {
                    EventLoop l = Asyncio.getRunningLoop();
                    ServerOptions options = ServerOptions.DEFAULTS.withBacklog(backlog);
                    Server server = streams
                            ? Streams.startServer(JasyncioEchoPeer::echoStreams, "127.0.0.1", 0, options)
                            : Network.createServer(EchoProtocol::new, "127.0.0.1", 0, options);
                    stop = l.createFuture();
                    loop = l;
                    port.complete(server.port());
                    stop.await();
                    server.close();
                    server.abortClients();
                    server.waitClosed();
                });
            } catch (Throwable t) {
                port.completeExceptionally(t);
            }
        });
        return port.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (group != null) {
            group.shutdown(java.time.Duration.ZERO); // as the one-loop server: abort the clients
            group.join();
            return;
        }
        loop.callSoonThreadsafe(() -> stop.setResult(null));
        thread.join(30_000);
    }
}
