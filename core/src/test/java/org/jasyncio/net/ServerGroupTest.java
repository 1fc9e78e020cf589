package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.streams.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ServerGroup: several loops on several threads serving one port with SO_REUSEPORT (asyncio's
 * {@code reuse_port=True} servers, one per loop), each loop owning the connections it accepts.
 * Clients are plain blocking sockets on the test thread, which is no loop's.
 */
@Timeout(60)
class ServerGroupTest {

    /** Echoes, and records the loop each of its callbacks ran on. */
    static final class Recorder implements Protocol {
        final List<EventLoop> ranOn = new CopyOnWriteArrayList<>();
        final CountDownLatch lost = new CountDownLatch(1);
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            ranOn.add(Asyncio.getRunningLoop());
        }

        @Override
        public void dataReceived(byte[] data) {
            ranOn.add(Asyncio.getRunningLoop());
            transport.write(data);
        }

        @Override
        public void connectionLost(Throwable exception) {
            ranOn.add(Asyncio.getRunningLoop());
            lost.countDown();
        }
    }

    /** A group of {@code loops} echo loops on 127.0.0.1, each connection's protocol kept in {@code made}. */
    private static ServerGroup echoGroup(int loops, Queue<Recorder> made, List<ExceptionContext> reported) {
        return ServerGroup.start(loops, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reported.add(context));
            return Network.createServer(() -> {
                Recorder r = new Recorder();
                made.add(r);
                return r;
            }, host, port, options);
        });
    }

    /** Sends {@code text} and reads its echo, blocking. */
    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(out);
        byte[] in = s.getInputStream().readNBytes(out.length);
        return new String(in, StandardCharsets.UTF_8);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void connectionsSpreadOverEveryLoop() throws Exception {
        // Linux picks the listening socket by a hash of each connection's ports: with 32
        // connections, all on one of two loops has a probability of 2^-31.
        Queue<Recorder> made = new ConcurrentLinkedQueue<>();
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        try (ServerGroup group = echoGroup(2, made, reported)) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 32; i++) {
                    Socket s = connect(group.port());
                    clients.add(s);
                    assertEquals("hello " + i, roundTrip(s, "hello " + i));
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            Set<EventLoop> serving = new HashSet<>();
            for (Recorder r : made) {
                serving.add(r.ranOn.get(0));
            }
            assertEquals(Set.copyOf(group.loops()), serving, "connections went to only some of the loops");
        }
        assertEquals(List.of(), reported);
    }

    @Test
    void eachConnectionIsServedByTheLoopThatAcceptedItFromStartToEnd() throws Exception {
        Queue<Recorder> made = new ConcurrentLinkedQueue<>();
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        try (ServerGroup group = echoGroup(2, made, reported)) {
            for (int i = 0; i < 16; i++) {
                try (Socket s = connect(group.port())) {
                    for (int k = 0; k < 5; k++) {
                        assertEquals("m" + i + "." + k, roundTrip(s, "m" + i + "." + k));
                    }
                }
            }
            assertEquals(16, made.size());
            for (Recorder r : made) {
                assertTrue(r.lost.await(10, TimeUnit.SECONDS), "connectionLost never came");
                // connectionMade, at least one dataReceived, connectionLost: all on one loop.
                assertTrue(r.ranOn.size() >= 3, "callbacks seen: " + r.ranOn.size());
                assertEquals(Set.of(r.ranOn.get(0)), Set.copyOf(r.ranOn), "a connection moved between loops");
                assertTrue(group.loops().contains(r.ranOn.get(0)), "served by a loop outside the group");
            }
        }
        assertEquals(List.of(), reported);
    }

    @Test
    void portZeroMakesTheFirstLoopPickThePortAndTheOthersShareIt() {
        List<Integer> ports = new CopyOnWriteArrayList<>();
        List<Boolean> reusePort = new CopyOnWriteArrayList<>();
        try (ServerGroup group = ServerGroup.start(3, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) -> {
            Server server = Network.createServer(() -> new Protocol() { }, host, port, options);
            ports.add(server.port());
            reusePort.add(options.reusePort());
            return server;
        })) {
            assertEquals(3, group.size());
            assertTrue(group.port() > 0);
            assertEquals(List.of(group.port(), group.port(), group.port()), ports);
            assertEquals(List.of(true, true, true), reusePort);
            assertEquals(3, Set.copyOf(group.loops()).size(), "each server has a loop of its own");
        }
    }

    @Test
    void oneLoopNeedsNoReusePort() {
        List<Boolean> reusePort = new CopyOnWriteArrayList<>();
        try (ServerGroup group = ServerGroup.start(1, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) -> {
            reusePort.add(options.reusePort());
            return Network.createServer(() -> new Protocol() { }, host, port, options);
        })) {
            assertEquals(1, group.size());
        }
        assertEquals(List.of(false), reusePort);
    }

    @Test
    void closeClosesEveryConnectionEndsEveryLoopAndFreesThePort() throws Exception {
        Queue<Recorder> made = new ConcurrentLinkedQueue<>();
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        ServerGroup group = echoGroup(2, made, reported);
        int port = group.port();
        List<EventLoop> loops = group.loops();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = connect(port);
                clients.add(s);
                assertEquals("x", roundTrip(s, "x"));
            }
            group.close();
            for (Socket s : clients) {
                assertEquals(-1, s.getInputStream().read(), "the server should have closed the connection");
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        for (EventLoop loop : loops) {
            assertTrue(loop.isClosed(), "a loop was left open");
        }
        for (Recorder r : made) {
            assertEquals(0, r.lost.getCount(), "connectionLost did not run before the loop closed");
        }
        assertEquals(List.of(), reported, "clean shutdown reports nothing");
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(new InetSocketAddress("127.0.0.1", port)); // no SO_REUSEPORT: the group's sockets are gone
        }
        group.close(); // idempotent
    }

    @Test
    void streamsHandlersRunOnTheLoopThatAcceptedAndShutdownEndsThem() throws Exception {
        Set<EventLoop> handlerLoops = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger moved = new AtomicInteger();
        ServerGroup group = ServerGroup.start(2, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) ->
                Streams.startServer((reader, writer) -> {
                    EventLoop mine = Asyncio.getRunningLoop();
                    handlerLoops.add(mine);
                    while (true) {
                        byte[] line = reader.readline();
                        if (line.length == 0) {
                            break;
                        }
                        if (Asyncio.getRunningLoop() != mine) {
                            moved.incrementAndGet();
                        }
                        writer.write(line);
                        writer.drain();
                    }
                    writer.close();
                }, host, port, options));
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = connect(group.port());
                clients.add(s);
                assertEquals("line\n", roundTrip(s, "line\n"));
            }
            group.shutdown();
            group.join();
            for (Socket s : clients) {
                assertEquals(-1, s.getInputStream().read());
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        assertTrue(group.loops().containsAll(handlerLoops));
        assertFalse(handlerLoops.isEmpty());
        assertEquals(0, moved.get(), "a handler task resumed on another loop");
    }

    @Test
    void shutdownFromAHandlerEndsTheGroupAndJoinThereIsRefused() throws Exception {
        AtomicReference<ServerGroup> self = new AtomicReference<>();
        AtomicReference<Throwable> joinInHandler = new AtomicReference<>();
        AtomicReference<Boolean> inGroupInHandler = new AtomicReference<>();
        ServerGroup group = ServerGroup.start(2, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) ->
                Network.createServer(() -> new Protocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                        ServerGroup g = self.get();
                        inGroupInHandler.set(g.inGroup());
                        try {
                            g.join();
                        } catch (Throwable t) {
                            joinInHandler.set(t);
                        }
                        g.shutdown();
                    }
                }, host, port, options));
        self.set(group);
        assertFalse(group.inGroup());
        try (Socket s = connect(group.port())) {
            s.getOutputStream().write('q');
            group.join();
            assertEquals(-1, s.getInputStream().read());
        }
        assertEquals(Boolean.TRUE, inGroupInHandler.get());
        assertTrue(joinInHandler.get() instanceof IllegalStateException, "join() on a group loop: " + joinInHandler.get());
        assertTrue(joinInHandler.get().getMessage().contains("wait for itself"), joinInHandler.get().getMessage());
        for (EventLoop loop : group.loops()) {
            assertTrue(loop.isClosed());
        }
    }

    @Test
    void shutdownAbortsConnectionsStillOpenAfterTheGrace() throws Exception {
        // The server writes 32 MB the client never reads: a graceful close would wait for the
        // flush forever, so after the grace the connection is aborted.
        int big = 32 << 20;
        CountDownLatch written = new CountDownLatch(1);
        ServerGroup group = ServerGroup.start(2, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) ->
                Network.createServer(() -> new Protocol() {
                    private Transport t;

                    @Override
                    public void connectionMade(Transport transport) {
                        t = transport;
                    }

                    @Override
                    public void dataReceived(byte[] data) {
                        t.write(new byte[big]);
                        written.countDown();
                    }
                }, host, port, options));
        try (Socket s = connect(group.port())) {
            s.getOutputStream().write('g');
            assertTrue(written.await(10, TimeUnit.SECONDS));
            group.shutdown(Duration.ofMillis(100));
            group.join();
            long got = 0;
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got += n;
                }
            } catch (IOException e) {
                // connection reset by the abort
            }
            assertTrue(got < big, "the whole reply arrived, so nothing was aborted: " + got);
        }
    }

    @Test
    void aLoopFailingLaterShutsTheOthersDownAndJoinRethrowsItsError() throws Exception {
        // A VirtualMachineError thrown by a callback ends that loop's Asyncio.run (asyncio's
        // SystemExit); the group fails fast.
        ServerGroup group = ServerGroup.start(2, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) ->
                Network.createServer(() -> new Protocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                        Asyncio.getRunningLoop().callSoon(() -> {
                            throw new InternalError("fatal in a handler");
                        });
                    }
                }, host, port, options));
        try (Socket s = connect(group.port())) {
            s.getOutputStream().write('!');
            InternalError e = assertThrows(InternalError.class, group::join);
            assertEquals("fatal in a handler", e.getMessage());
        }
        for (EventLoop loop : group.loops()) {
            assertTrue(loop.isClosed(), "the other loop should have been shut down");
        }
    }

    @Test
    void aFactoryFailureIsRethrownUnchangedAfterTheStartedLoopsEnd() {
        AtomicInteger calls = new AtomicInteger();
        List<EventLoop> started = new CopyOnWriteArrayList<>();
        IOException failure = new IOException("no server on this loop");
        IOException thrown = assertThrows(IOException.class, () -> ServerGroup.start(3, "127.0.0.1", 0,
                ServerOptions.DEFAULTS, (host, port, options) -> {
                    if (calls.incrementAndGet() == 2) {
                        throw failure;
                    }
                    started.add(Asyncio.getRunningLoop());
                    return Network.createServer(() -> new Protocol() { }, host, port, options);
                }));
        assertSame(failure, thrown);
        assertEquals(3, calls.get());
        assertEquals(2, started.size());
        for (EventLoop loop : started) {
            assertTrue(loop.isClosed(), "a loop that had started was left running");
        }
    }

    @Test
    void aPortInUseFailsWithBindException() throws Exception {
        try (ServerSocketChannel taken = ServerSocketChannel.open()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0)); // without SO_REUSEPORT: nobody may share it
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            assertThrows(BindException.class, () -> ServerGroup.start(2, "127.0.0.1", port, ServerOptions.DEFAULTS,
                    (host, p, options) -> Network.createServer(() -> new Protocol() { }, host, p, options)));
        }
    }

    @Test
    void aFactoryIgnoringTheGivenPortIsRefused() {
        List<EventLoop> started = new CopyOnWriteArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerGroup.start(2, "127.0.0.1", 0,
                ServerOptions.DEFAULTS, (host, port, options) -> {
                    started.add(Asyncio.getRunningLoop());
                    return Network.createServer(() -> new Protocol() { }, host, 0, options);
                }));
        assertTrue(e.getMessage().contains("must bind the port it is given"), e.getMessage());
        for (EventLoop loop : started) {
            assertTrue(loop.isClosed());
        }
    }

    @Test
    void aFactoryReturningNullIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ServerGroup.start(1, "127.0.0.1", 0, ServerOptions.DEFAULTS, (host, port, options) -> null));
        assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyThreadStarts() {
        ServerGroup.ServerFactory none = (host, port, options) -> {
            throw new AssertionError("no loop should start");
        };
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ServerGroup.start(0, "127.0.0.1", 0, ServerOptions.DEFAULTS, none)).getMessage().contains("loops"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ServerGroup.start(1, "127.0.0.1", 65536, ServerOptions.DEFAULTS, none)).getMessage().contains("port"));
        assertEquals("options", assertThrows(NullPointerException.class,
                () -> ServerGroup.start(1, "127.0.0.1", 0, null, none)).getMessage());
        assertEquals("factory", assertThrows(NullPointerException.class,
                () -> ServerGroup.start(1, "127.0.0.1", 0, ServerOptions.DEFAULTS, null)).getMessage());
    }

    @Test
    void startOnALoopThreadIsRefused() {
        Asyncio.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerGroup.start(2, "127.0.0.1",
                    0, ServerOptions.DEFAULTS, (host, port, options) -> {
                        throw new AssertionError("no loop should start");
                    }));
            assertTrue(e.getMessage().contains("cannot run on an event loop's thread"), e.getMessage());
        });
    }

    @Test
    void aNegativeGraceIsRefused() {
        try (ServerGroup group = ServerGroup.start(1, "127.0.0.1", 0, ServerOptions.DEFAULTS,
                (host, port, options) -> Network.createServer(() -> new Protocol() { }, host, port, options))) {
            assertThrows(IllegalArgumentException.class, () -> group.shutdown(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> group.shutdown(null));
        }
    }
}
