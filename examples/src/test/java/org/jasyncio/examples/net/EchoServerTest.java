package org.jasyncio.examples.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.net.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The echo example: server and client together. */
@Timeout(30)
class EchoServerTest {

    @Test
    void clientGetsEveryLineBackAndPrintsIt() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Asyncio.run(() -> {
                Server server = EchoServer.start("127.0.0.1", 0);
                List<String> echoes = EchoClient.exchange("127.0.0.1", server.port(), List.of("Hello World!", "again"));
                assertEquals(List.of("Hello World!", "again"), echoes);
                server.close();
                server.waitClosed();
            });
        } finally {
            System.setOut(original);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), "printed: " + lines);
        assertTrue(lines.get(0).startsWith("connected: /127.0.0.1:"), lines.get(0));
        assertEquals("received: Hello World!", lines.get(1));
        assertEquals("received: again", lines.get(2));
        assertTrue(lines.get(3).startsWith("closed: /127.0.0.1:"), lines.get(3));
    }

    @Test
    void severalClientsAtOnce() {
        Asyncio.run(() -> {
            Server server = EchoServer.start("127.0.0.1", 0);
            var a = Asyncio.createTask(() -> EchoClient.exchange("127.0.0.1", server.port(), List.of("a1", "a2")));
            var b = Asyncio.createTask(() -> EchoClient.exchange("127.0.0.1", server.port(), List.of("b1", "b2")));
            assertEquals(List.of("a1", "a2"), a.await());
            assertEquals(List.of("b1", "b2"), b.await());
            server.close();
            server.waitClosed();
        });
    }
}
