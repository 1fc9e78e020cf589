package org.jasyncio.examples.net;

import java.io.IOException;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.jasyncio.Asyncio;
import org.jasyncio.streams.Connection;
import org.jasyncio.net.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat example: joins, messages, over-long lines and leaves, as two clients see them. */
@Timeout(30)
class ChatServerTest {

    private static String line(Connection c) throws IOException {
        return new String(c.reader().readline(), StandardCharsets.UTF_8).stripTrailing();
    }

    private static void say(Connection c, String s) throws IOException {
        c.writer().write((s + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Connection join(int port, String name) throws IOException {
        Connection c = Asyncio.openConnection("127.0.0.1", port);
        assertEquals("name?", line(c));
        say(c, name);
        return c;
    }

    @Test
    void messagesGoToTheOthersWithTheSendersName() {
        Asyncio.run(() -> {
            Server server = ChatServer.start("127.0.0.1", 0);
            Connection ann = join(server.port(), "ann");
            assertEquals("welcome ann, 1 here", line(ann));
            Connection bob = join(server.port(), "bob");
            assertEquals("welcome bob, 2 here", line(bob));
            assertEquals("* bob joined", line(ann));
            say(ann, "hi bob");
            assertEquals("ann: hi bob", line(bob));
            say(bob, "x".repeat(ChatServer.MAX_LINE * 2)); // refused, skipped
            say(bob, "hi ann");
            assertEquals("bob: hi ann", line(ann));
            say(bob, "/quit");
            assertEquals("* bob left", line(ann));
            assertEquals(0, bob.reader().readline().length); // bob was disconnected
            bob.writer().close();
            ann.writer().close();
            ann.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aTakenNameIsRefused() {
        Asyncio.run(() -> {
            Server server = ChatServer.start("127.0.0.1", 0);
            Connection ann = join(server.port(), "ann");
            assertEquals("welcome ann, 1 here", line(ann));
            Connection other = join(server.port(), "ann");
            assertEquals("bad or taken name, bye", line(other));
            assertEquals(0, other.reader().readline().length);
            other.writer().close();
            ann.writer().close();
            server.close();
            server.waitClosed();
        });
    }
}
