package org.jasyncio.examples.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.net.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The echo example: server and client together. */
@Timeout(30)
class EchoServerTest {

    @Test
    void clientGetsEveryLineBack() {
        Asyncio.run(() -> {
            Server server = EchoServer.start("127.0.0.1", 0);
            List<String> echoes = EchoClient.exchange("127.0.0.1", server.port(), List.of("Hello World!", "again"));
            assertEquals(List.of("Hello World!", "again"), echoes);
            server.close();
            server.waitClosed();
        });
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
