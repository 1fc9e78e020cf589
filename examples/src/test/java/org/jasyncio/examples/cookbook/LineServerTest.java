package org.jasyncio.examples.cookbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.TaskGroup;
import org.jasyncio.net.Server;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TaskGroup server recipe with real clients on loopback: replies, a bad client contained,
 * and the whole server torn down by one cancellation.
 */
@Timeout(60)
class LineServerTest {

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    private List<String> log() {
        return logged.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Starts the server as a task and returns it once it accepts; {@code port[0]} gets its port. */
    private Task<Void> startServer(int[] port) {
        Future<Integer> listening = new Future<>();
        Task<Void> server = Asyncio.createTask(() -> LineServer.serve("127.0.0.1", 0, listening, log), "line server");
        port[0] = listening.await();
        return server;
    }

    private static String ask(Connection c, String line) throws IOException {
        c.writer().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        c.writer().drain();
        return new String(c.reader().readline(), StandardCharsets.UTF_8);
    }

    @Test
    void eachClientGetsItsLinesBackUpperCased() {
        Asyncio.run(() -> {
            int[] port = new int[1];
            Task<Void> server = startServer(port);
            Connection a = Asyncio.openConnection("127.0.0.1", port[0]);
            Connection b = Asyncio.openConnection("127.0.0.1", port[0]);
            assertEquals("HELLO\n", ask(a, "hello"));
            assertEquals("WORLD\n", ask(b, "world"));
            assertEquals("AGAIN\n", ask(a, "again"));
            a.writer().writeEof();                                 // this client is done...
            assertEquals(0, a.reader().read(10).length);           // ...and the server closed its side
            assertEquals("BYE\n", ask(b, "bye"));
            b.writer().writeEof();
            assertEquals(0, b.reader().read(10).length);
            a.writer().close();
            b.writer().close();
            server.cancel();
            assertThrows(CancelledError.class, server::await);
        });
        assertEquals(2, log().stream().filter(l -> l.startsWith("connected /127.0.0.1:")).count(), log().toString());
        assertEquals(2, log().stream().filter(l -> l.startsWith("done /127.0.0.1:")).count(), log().toString());
        assertEquals(4, log().size(), log().toString());
    }

    @Test
    void aBadClientIsDroppedAndTheOthersAreStillServed() {
        Asyncio.run(() -> {
            int[] port = new int[1];
            Task<Void> server = startServer(port);
            Connection good = Asyncio.openConnection("127.0.0.1", port[0]);
            Connection bad = Asyncio.openConnection("127.0.0.1", port[0]);
            assertEquals("FIRST\n", ask(good, "first"));
            byte[] tooLong = new byte[LineServer.MAX_LINE * 2];
            Arrays.fill(tooLong, (byte) 'x');
            bad.writer().write(tooLong);
            bad.writer().write("\n".getBytes(StandardCharsets.UTF_8));
            bad.writer().drain();
            assertEquals(0, bad.reader().read(100).length, "the bad client's connection is closed");
            assertEquals("SECOND\n", ask(good, "second"));
            assertTrue(!server.done(), "the server runs on");
            good.writer().close();
            bad.writer().close();
            server.cancel();
            assertThrows(CancelledError.class, server::await);
        });
        List<String> dropped = log().stream().filter(l -> l.startsWith("dropped /127.0.0.1:")).toList();
        assertEquals(1, dropped.size(), log().toString());
        assertTrue(dropped.get(0).contains("java.lang.IllegalArgumentException"), dropped.get(0));
    }

    @Test
    void cancellingTheServerClosesEveryConnectionBeforeItReturns() {
        Asyncio.run(() -> {
            int[] port = new int[1];
            Task<Void> server = startServer(port);
            Connection a = Asyncio.openConnection("127.0.0.1", port[0]);
            Connection b = Asyncio.openConnection("127.0.0.1", port[0]);
            assertEquals("A\n", ask(a, "a")); // both handlers are running
            assertEquals("B\n", ask(b, "b"));
            server.cancel();
            assertThrows(CancelledError.class, server::await);
            // The group waited for its handlers: none is left, and both clients see EOF.
            assertEquals(Set.of(Asyncio.currentTask()), Asyncio.allTasks());
            assertEquals(0, a.reader().read(10).length);
            assertEquals(0, b.reader().read(10).length);
            a.writer().close();
            b.writer().close();
            try {
                Connection late = Asyncio.openConnection("127.0.0.1", port[0]);
                late.writer().close();
                fail("the server still accepts");
            } catch (Exception e) {
                assertTrue(e instanceof IOException, e.toString()); // connection refused
            }
        });
        assertEquals(2, log().stream().filter(l -> l.startsWith("shut down /127.0.0.1:")).count(), log().toString());
    }

    @Test
    void aConnectionArrivingWhileTheGroupShutsDownIsClosed() {
        Asyncio.run(() -> {
            Future<Connection> accepted = new Future<>();
            Server plain = Streams.startServer((reader, writer) -> {
                accepted.setResult(new Connection(reader, writer));
                reader.read(10); // until the connection closes
            }, "127.0.0.1", 0);
            Connection client = Asyncio.openConnection("127.0.0.1", plain.port());
            Connection serverSide = accepted.await();
            TaskGroup.run(handlers -> {
                handlers.cancel(); // the group shuts down: it takes no new task
                LineServer.spawn(handlers, serverSide.reader(), serverSide.writer(), log);
            });
            assertTrue(serverSide.writer().isClosing());
            assertEquals(0, client.reader().read(10).length, "the client sees EOF");
            client.writer().close();
            plain.close();
            plain.waitClosed();
        });
        assertEquals(List.of(), log(), "no handler ran");
    }
}
