package org.jasyncio.examples.cookbook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;
import org.jasyncio.net.Server;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamWriter;
import org.jasyncio.sync.Event;

/**
 * A graceful server shutdown on SIGTERM, the signal systemd, Docker and Kubernetes send to
 * stop a service: stop accepting connections, let the requests in flight finish within a
 * grace period, cancel those still running after it, then exit normally. asyncio's
 * {@code loop.add_signal_handler(signal.SIGTERM, stop.set)} pattern.
 *
 * <p>Each connection is one request: a line holding how many seconds the work takes; the reply
 * is {@code done in N s}. Try it:
 *
 * <pre>
 * ./jasyncio run org.jasyncio.examples.cookbook.GracefulShutdown [port [grace seconds]]   (8890, 10)
 * echo 3 | nc 127.0.0.1 8890 &amp;   kill -TERM &lt;the server's pid&gt;
 * </pre>
 */
public final class GracefulShutdown {

    private final Set<Task<?>> inFlight = new LinkedHashSet<>();

    private GracefulShutdown() {
    }

    /**
     * Serves on 127.0.0.1 until SIGTERM, then shuts down gracefully.
     *
     * @param args optional port (0: an ephemeral one) and grace period in seconds
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8890;
        double grace = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Asyncio.run(() -> new GracefulShutdown().serve("127.0.0.1", port, grace));
        System.out.println("bye");
    }

    /** Serves until SIGTERM; returns once every connection is closed. */
    void serve(String host, int port, double graceSeconds) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        Event terminate = new Event();
        // The handler runs on the loop, as a callback, never on the JVM's signal thread.
        loop.addSignalHandler("SIGTERM", terminate::set);
        Server server = Asyncio.startServer(this::handle, host, port);
        System.out.println("listening on " + host + ":" + server.port());

        terminate.await();
        server.close(); // stops accepting; the connections already accepted stay open
        System.out.println("SIGTERM: no new connections; " + inFlight.size() + " request(s) in flight");
        try {
            Asyncio.timeout(Duration.ofMillis(Math.round(graceSeconds * 1000)), () -> {
                server.waitClosed(); // until every accepted connection is closed
                return null;
            });
            System.out.println("all requests finished");
        } catch (AsyncTimeoutException e) {
            System.out.println("grace period over: cancelling " + inFlight.size() + " request(s)");
            for (Task<?> t : List.copyOf(inFlight)) {
                t.cancel("shutting down");
            }
            server.waitClosed();
        }
        loop.removeSignalHandler("SIGTERM"); // a second SIGTERM now ends the process at once, as usual
    }

    /** One request, in a task of its own: read how long to work, work, answer, close. */
    private void handle(StreamReader reader, StreamWriter writer) throws IOException {
        Task<?> me = Asyncio.currentTask();
        inFlight.add(me);
        try {
            String line = new String(reader.readline(), StandardCharsets.UTF_8).trim();
            System.out.println("request: " + line + " s");
            Asyncio.sleep(Double.parseDouble(line)); // the work; a cancellation lands here
            writer.write(("done in " + line + " s\n").getBytes(StandardCharsets.UTF_8));
            writer.drain();
        } finally {
            inFlight.remove(me);
            writer.close();
        }
    }
}
