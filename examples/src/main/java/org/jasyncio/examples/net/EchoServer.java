package org.jasyncio.examples.net;

import java.io.IOException;
import org.jasyncio.Asyncio;
import org.jasyncio.net.Server;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamWriter;

/**
 * A TCP echo server on streams: the asyncio docs' "TCP echo server using streams", in Java.
 * Every line a client sends comes back to it; the server runs until interrupted.
 *
 * <pre>
 * java ... org.jasyncio.examples.net.EchoServer [port]     (default 8888)
 * </pre>
 */
public final class EchoServer {

    private EchoServer() {
    }

    /**
     * Serves one client: echoes each line until EOF, then closes. A new task runs this per
     * connection.
     *
     * @param reader the client's bytes
     * @param writer the way back
     */
    static void handle(StreamReader reader, StreamWriter writer) throws IOException {
        Object peer = writer.getExtraInfo("peername");
        System.out.println("connected: " + peer);
        while (true) {
            byte[] line = reader.readline();
            if (line.length == 0) {
                break;
            }
            writer.write(line);
            writer.drain();
        }
        System.out.println("closed: " + peer);
        writer.close();
        writer.waitClosed();
    }

    /**
     * Starts the server on {@code host:port} (port 0: an ephemeral port) in the running loop.
     *
     * @param host the address to bind
     * @param port the port
     * @return the server, accepting
     */
    public static Server start(String host, int port) {
        return Asyncio.startServer(EchoServer::handle, host, port);
    }

    /**
     * Serves on 127.0.0.1 until interrupted.
     *
     * @param args optional port
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        Asyncio.run(() -> {
            Server server = start("127.0.0.1", port);
            System.out.println("serving on 127.0.0.1:" + server.port());
            server.serveForever();
        });
    }
}
