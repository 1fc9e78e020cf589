package org.jasyncio.examples.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;
import org.jasyncio.net.ServerGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The multi-loop echo example: the single-loop handler, served by two loops on one port. */
@Timeout(60)
class MultiLoopEchoServerTest {

    @Test
    void everyClientGetsItsLinesBackWhicheverLoopServesIt() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<EventLoop> loops;
        try (ServerGroup group = MultiLoopEchoServer.start(2, "127.0.0.1", 0)) {
            loops = group.loops();
            // The clients run on a loop of their own, on this thread.
            Asyncio.run(() -> {
                List<Task<List<String>>> clients = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    List<String> lines = List.of("c" + i + " one", "c" + i + " two");
                    clients.add(Asyncio.createTask(() -> EchoClient.exchange("127.0.0.1", group.port(), lines)));
                }
                for (int i = 0; i < 8; i++) {
                    assertEquals(List.of("c" + i + " one", "c" + i + " two"), clients.get(i).await());
                }
            });
        } finally {
            System.setOut(original);
        }
        for (EventLoop loop : loops) {
            assertTrue(loop.isClosed(), "close() ends every loop");
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(8, lines.stream().filter(l -> l.startsWith("connected: ")).count(), "printed: " + lines);
        assertEquals(8, lines.stream().filter(l -> l.startsWith("closed: ")).count(), "printed: " + lines);
    }
}
