package org.jasyncio.examples.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.streams.Connection;

/**
 * A TCP echo client on streams: the asyncio docs' "TCP echo client using streams". Sends each
 * message as a line and prints the echo.
 *
 * <pre>
 * java ... org.jasyncio.examples.net.EchoClient [port] [message...]
 * </pre>
 */
public final class EchoClient {

    private EchoClient() {
    }

    /**
     * Sends each message as a line to {@code host:port} and collects the echoes.
     *
     * @param host     the server
     * @param port     its port
     * @param messages the lines to send, without newlines
     * @return the echoed lines, without newlines
     */
    public static List<String> exchange(String host, int port, List<String> messages) throws IOException {
        Connection c = Asyncio.openConnection(host, port);
        List<String> echoes = new ArrayList<>();
        try {
            for (String m : messages) {
                c.writer().write((m + "\n").getBytes(StandardCharsets.UTF_8));
                c.writer().drain();
                String echo = new String(c.reader().readline(), StandardCharsets.UTF_8);
                echoes.add(echo.stripTrailing());
                System.out.println("received: " + echo.stripTrailing());
            }
        } finally {
            c.writer().close();
            c.writer().waitClosed();
        }
        return echoes;
    }

    /**
     * Sends the messages (default: "Hello World!") to 127.0.0.1.
     *
     * @param args port, then messages
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        List<String> messages = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("Hello World!");
        Asyncio.run(() -> {
            exchange("127.0.0.1", port, messages);
        });
    }
}
