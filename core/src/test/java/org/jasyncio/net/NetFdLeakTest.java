package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.StreamsTest;

/**
 * Every channel is closed when its transport or server is: the process holds no more file
 * descriptors after a run of network work than before it (counted in /proc/self/fd).
 */
@Timeout(60)
class NetFdLeakTest {

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Streams echo, aborts, refusals, protocol servers and datagram endpoints: every path that closes a channel. */
    static void networkWork() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server server = Asyncio.startServer(StreamsTest::echoLines, "127.0.0.1", 0);
            List<Task<Void>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                clients.add(Asyncio.createTask(() -> {
                    Connection c = Asyncio.openConnection("127.0.0.1", server.port());
                    c.writer().write(("msg" + n + "\n").getBytes());
                    c.reader().readline();
                    if (n % 3 == 0) {
                        c.writer().transport().abort();
                    } else {
                        c.writer().close();
                    }
                    c.writer().waitClosed();
                }));
            }
            Asyncio.gather(clients).await();
            int port = server.port();
            server.close();
            server.waitClosed();
            try {
                Asyncio.openConnection("127.0.0.1", port); // refused
            } catch (Exception expected) {
                // the failed channel must be closed too
            }
            Server protocolServer = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            Transport t = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", protocolServer.port())
                    .transport();
            Asyncio.sleep(0.01);
            protocolServer.closeClients();
            protocolServer.close();
            protocolServer.waitClosed();
            t.close();
            DatagramTransport udp = Network.createDatagramEndpoint(() -> new DatagramProtocol() { },
                    new java.net.InetSocketAddress("127.0.0.1", 0), null).transport();
            DatagramTransport udpClient = Network.createDatagramEndpoint(() -> new DatagramProtocol() { }, null,
                    (java.net.SocketAddress) udp.getExtraInfo("sockname")).transport();
            udpClient.sendto("x".getBytes());
            udpClient.close();
            udp.abort();
            Asyncio.sleep(0.01);
        });
    }

    @Test
    void networkWorkLeavesNoFileDescriptorOpen() throws Exception {
        networkWork(); // warm up: class loading opens jars once and keeps them open
        long before = openFds();
        networkWork();
        networkWork();
        long after = openFds();
        assertTrue(after <= before, "file descriptors leaked: " + before + " before, " + after + " after");
    }
}
