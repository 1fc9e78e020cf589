package org.jasyncio.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.jasyncio.Asyncio;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.net.Server;
import org.junit.jupiter.api.Test;

/** What task dumps say about streams: handler tasks named for their peer, reads named. */
class StreamsIntrospectionTest {

    @Test
    void aHandlerTaskIsNamedForItsPeerAndItsReadIsNamed() {
        Asyncio.run(() -> {
            Future<String> handlerName = new Future<>();
            Server server = Asyncio.startServer((reader, writer) -> {
                handlerName.setResult(Asyncio.currentTask().getName());
                reader.readline();
                writer.close();
            }, "127.0.0.1", 0);
            Connection c = Asyncio.openConnection("127.0.0.1", server.port());
            InetSocketAddress local = (InetSocketAddress) c.writer().getExtraInfo("sockname");
            String name = handlerName.await();
            assertEquals("handler 127.0.0.1:" + local.getPort(), name);
            Asyncio.sleep(0);
            String table = Asyncio.getRunningLoop().dumpTasks();
            String row = table.lines().filter(l -> l.contains(" " + name + " ")).findFirst().orElseThrow(() ->
                    new AssertionError(table));
            assertTrue(row.contains(" StreamReader.readline"), table);

            Task<byte[]> reading = Asyncio.createTask(() -> c.reader().readexactly(4), "client-read");
            Asyncio.sleep(0);
            String again = Asyncio.getRunningLoop().dumpTasks();
            assertTrue(again.lines().anyMatch(l -> l.contains(" client-read ") && l.contains(" StreamReader.readexactly")),
                    again);
            c.writer().write("bye\n".getBytes());
            // The handler reads its line and closes: the client's read ends short.
            assertThrows(IncompleteReadException.class, reading::await);
            c.writer().close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
        });
    }
}
