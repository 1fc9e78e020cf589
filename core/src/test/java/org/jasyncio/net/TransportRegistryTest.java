package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry of the channels transports own, which the sock_* calls consult: asyncio's
 * {@code loop._transports}, one per loop.
 */
@Timeout(30)
class TransportRegistryTest {

    /** Completes {@code lost} when the connection is lost. */
    private static Protocol lostInto(Future<Void> lost) {
        return new Protocol() {
            @Override
            public void connectionLost(Throwable exception) {
                lost.trySetResult(null);
            }
        };
    }

    @Test
    void eachLoopSeesOnlyItsOwnTransportsAndAReleasedOneLeaves() throws Exception {
        CyclicBarrier bothConnected = new CyclicBarrier(2);
        CyclicBarrier bothChecked = new CyclicBarrier(2);
        AtomicReferenceArray<SocketChannel> clients = new AtomicReferenceArray<>(2);
        AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(2);
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            threads[i] = Thread.ofPlatform().name("registry-loop-" + i).start(() -> {
                try {
                    Asyncio.run(() -> {
                        EventLoop loop = Asyncio.getRunningLoop();
                        Future<Void> accepted = loop.createFuture();
                        Server server = Network.createServer(() -> new Protocol() {
                            @Override
                            public void connectionMade(Transport t) {
                                accepted.trySetResult(null);
                            }
                        }, "127.0.0.1", 0);
                        Future<Void> lost = loop.createFuture();
                        Transport client = Network.createConnection(() -> lostInto(lost), "127.0.0.1",
                                server.port()).transport();
                        accepted.await();
                        SocketChannel mine = (SocketChannel) client.getExtraInfo("socket");
                        clients.set(me, mine);
                        Asyncio.toThread(() -> bothConnected.await()).await();

                        Map<SelectableChannel, SocketTransport> seen = Map.copyOf(SocketTransport.transports(loop));
                        // This loop's client transport and the server's side of it; nothing of the other loop.
                        assertEquals(2, seen.size(), "transports of this loop: " + seen);
                        assertSame(client, seen.get(mine));
                        for (SocketTransport t : seen.values()) {
                            assertSame(loop, t.loop);
                        }
                        assertNull(SocketTransport.owner(loop, clients.get(1 - me)),
                                "the other loop's channel is not this loop's business");
                        Asyncio.toThread(() -> bothChecked.await()).await();

                        client.close();
                        lost.await();
                        server.close();
                        server.waitClosed();
                        assertTrue(SocketTransport.transports(loop).isEmpty(),
                                "released transports leave the registry: " + SocketTransport.transports(loop));
                    });
                } catch (Throwable t) {
                    failures.set(me, t);
                    bothConnected.reset();
                    bothChecked.reset();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < 2; i++) {
            if (failures.get(i) != null) {
                throw new AssertionError("loop " + i + " failed", failures.get(i));
            }
        }
    }
}
