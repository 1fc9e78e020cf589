package org.jasyncio.examples.cookbook;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Future;
import org.jasyncio.TaskGroup;
import org.jasyncio.net.Server;
import org.jasyncio.net.ServerOptions;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamWriter;
import org.jasyncio.streams.Streams;

/**
 * Cookbook recipe: a server whose connection handlers live in a {@link TaskGroup}. Each line
 * a client sends comes back upper-cased. The group owns every handler, so cancelling the task
 * that serves tears all of them down (each closes its connection) before
 * {@link #serve} returns; and each handler catches its own client's failures (a reset
 * connection, a line over the limit), so one bad client never cancels the others, as a
 * failing child of a group otherwise would.
 *
 * <pre>
 * java ... org.jasyncio.examples.cookbook.LineServer [port]     (default 8890)
 * </pre>
 */
public final class LineServer {

    /** The longest line accepted, in bytes; a longer one drops its client. */
    public static final int MAX_LINE = 1024;

    private LineServer() {
    }

    /**
     * Serves on {@code host:port} until the calling task is cancelled; then stops accepting,
     * cancels every handler, waits for them to close their connections, and the
     * {@link CancelledError} propagates.
     *
     * @param host      the address to bind
     * @param port      the port, 0 for an ephemeral one
     * @param listening completed with the bound port once the server accepts
     * @param log       where connections, failures and shutdowns are reported, one line each
     * @throws IOException if the server cannot bind
     */
    public static void serve(String host, int port, Future<Integer> listening, PrintStream log) throws IOException {
        TaskGroup.run(handlers -> {
            Server server = Streams.startServer((reader, writer) -> spawn(handlers, reader, writer, log),
                    host, port, ServerOptions.DEFAULTS.withLimit(MAX_LINE));
            try {
                listening.setResult(server.port());
                new Future<Void>().await(); // nobody completes it: wait here until cancelled
            } finally {
                server.close(); // stop accepting; leaving the body makes the group cancel every handler
            }
        });
    }

    /**
     * Starts {@link #handle} for a new connection as a task of {@code handlers}. A connection
     * accepted just before the server closed may get here when the group already shuts down
     * and takes no new task: it is closed.
     *
     * @param handlers the group of handlers
     * @param reader   the client's lines
     * @param writer   the way back
     * @param log      where to report
     */
    static void spawn(TaskGroup handlers, StreamReader reader, StreamWriter writer, PrintStream log) {
        try {
            handlers.createTask(() -> handle(reader, writer, log), "client " + writer.getExtraInfo("peername"));
        } catch (IllegalStateException shuttingDown) {
            writer.close();
        }
    }

    /**
     * Serves one client: answers each line upper-cased until the client closes. A failure of
     * this client is logged and ends only this connection.
     *
     * @param reader the client's lines
     * @param writer the way back
     * @param log    where to report
     */
    static void handle(StreamReader reader, StreamWriter writer, PrintStream log) {
        Object peer = writer.getExtraInfo("peername");
        log.println("connected " + peer);
        try {
            while (true) {
                byte[] line = reader.readline();
                if (line.length == 0) {
                    break; // EOF: the client is done
                }
                String text = new String(line, StandardCharsets.UTF_8);
                writer.write(text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                writer.drain();
            }
            log.println("done " + peer);
        } catch (CancelledError e) {
            log.println("shut down " + peer);
            throw e; // an Error, not an Exception: the catch below never swallows it
        } catch (Exception e) {
            log.println("dropped " + peer + ": " + e);
        } finally {
            writer.close();
        }
    }

    /**
     * Serves on 127.0.0.1 until interrupted (Ctrl-C ends the JVM; an interrupt of the thread
     * cancels the main task, which tears the handlers down).
     *
     * @param args optional port
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8890;
        Asyncio.run(() -> {
            Future<Integer> listening = new Future<>();
            listening.addDoneCallback(f -> System.out.println("serving on 127.0.0.1:" + f.result()));
            serve("127.0.0.1", port, listening, System.out);
        });
    }
}
