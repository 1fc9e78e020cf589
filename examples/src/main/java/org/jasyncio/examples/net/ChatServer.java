package org.jasyncio.examples.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jasyncio.Asyncio;
import org.jasyncio.net.Server;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamWriter;

/**
 * A small line-based chat server. A client's first line is its name; each later line goes to
 * every other client as {@code name: text}; {@code /quit} (or closing) leaves. Joins and
 * leaves are announced. All clients share one map, touched only by tasks of one loop, so it
 * needs no lock: asyncio's single-threaded model at work.
 *
 * <pre>
 * java ... org.jasyncio.examples.net.ChatServer [port]     (default 8889)
 * </pre>
 */
public final class ChatServer {

    /** Lines longer than this are refused, not buffered without end. */
    static final int MAX_LINE = 1024;

    private final Map<String, StreamWriter> clients = new LinkedHashMap<>();

    /**
     * Starts a chat server in the running loop.
     *
     * @param host the address to bind
     * @param port the port, 0 for an ephemeral one
     * @return the server, accepting
     */
    public static Server start(String host, int port) throws IOException {
        ChatServer chat = new ChatServer();
        return org.jasyncio.streams.Streams.startServer(chat::serve, host, port,
                org.jasyncio.net.ServerOptions.DEFAULTS.withLimit(MAX_LINE));
    }

    private void serve(StreamReader reader, StreamWriter writer) throws IOException {
        send(writer, "name?");
        String name = readLine(reader);
        if (name == null || name.isEmpty() || clients.containsKey(name)) {
            send(writer, "bad or taken name, bye");
            writer.close();
            return;
        }
        broadcast(name, "* " + name + " joined");
        clients.put(name, writer);
        send(writer, "welcome " + name + ", " + clients.size() + " here");
        try {
            while (true) {
                String line = readLine(reader);
                if (line == null || line.equals("/quit")) {
                    break;
                }
                if (!line.isEmpty()) {
                    broadcast(name, name + ": " + line);
                }
            }
        } finally {
            clients.remove(name);
            broadcast(name, "* " + name + " left");
            writer.close();
        }
    }

    /** The next line without its newline, or null at EOF; over-long lines are skipped. */
    private static String readLine(StreamReader reader) throws IOException {
        while (true) {
            try {
                byte[] line = reader.readline();
                return line.length == 0 ? null : new String(line, StandardCharsets.UTF_8).stripTrailing();
            } catch (IllegalArgumentException e) {
                // Over the limit (asyncio's readline raises ValueError): readline() discarded
                // the line, go on with the next one
            }
        }
    }

    private void broadcast(String from, String message) throws IOException {
        for (Map.Entry<String, StreamWriter> e : clients.entrySet()) {
            if (!e.getKey().equals(from) && !e.getValue().isClosing()) {
                send(e.getValue(), message);
            }
        }
    }

    private static void send(StreamWriter writer, String line) throws IOException {
        // No drain here: a slow reader must not hold up the sender; its transport buffers.
        writer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Serves on 127.0.0.1 until interrupted.
     *
     * @param args optional port
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8889;
        Asyncio.run(() -> {
            Server server = start("127.0.0.1", port);
            System.out.println("chat on 127.0.0.1:" + server.port());
            server.serveForever();
        });
    }
}
