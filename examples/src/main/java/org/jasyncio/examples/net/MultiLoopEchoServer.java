package org.jasyncio.examples.net;

import org.jasyncio.net.ServerGroup;
import org.jasyncio.net.ServerOptions;
import org.jasyncio.streams.Streams;

/**
 * The streams echo server of {@link EchoServer} on every core: one event loop per core, each
 * on its own thread, all serving one port through a {@link ServerGroup} ({@code SO_REUSEPORT}).
 * The system spreads the connections over the loops; each connection stays on the loop that
 * accepted it, so the handler is the same single-loop code as before, with no locks.
 *
 * <pre>
 * java ... org.jasyncio.examples.net.MultiLoopEchoServer [port] [loops]   (default 8888, one per core)
 * </pre>
 */
public final class MultiLoopEchoServer {

    private MultiLoopEchoServer() {
    }

    /**
     * Starts {@code loops} loops serving the line echo on {@code host:port}.
     *
     * @param loops how many loops and threads
     * @param host  the address to bind
     * @param port  the port, or 0 for an ephemeral one
     * @return the group, serving; close it to stop every loop
     */
    public static ServerGroup start(int loops, String host, int port) {
        return ServerGroup.start(loops, host, port, ServerOptions.DEFAULTS,
                (h, p, options) -> Streams.startServer(EchoServer::handle, h, p, options));
    }

    /**
     * Serves on 127.0.0.1 until the JVM is stopped (Ctrl-C closes every loop cleanly).
     *
     * @param args optional port and number of loops
     * @throws InterruptedException if the main thread is interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        ServerGroup group = start(loops, "127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(group::close));
        System.out.println("serving on 127.0.0.1:" + group.port() + " with " + group.size() + " loops");
        group.join();
    }
}
