package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * asyncio.BaseProtocol: the lifecycle and flow-control callbacks shared by stream and datagram
 * protocols, written once against BaseProtocol and reached from every kind of transport.
 */
@Timeout(30)
class BaseProtocolTest {

    /** Records the BaseProtocol callbacks, whatever the transport kind. */
    abstract static class Lifecycle<T> implements BaseProtocol<T> {
        final List<String> events = new ArrayList<>();
        final Future<Void> lost;
        T transport;

        Lifecycle(EventLoop loop) {
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(T t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }

        @Override
        public void connectionLost(Throwable exception) {
            events.add("lost:" + exception);
            lost.setResult(null);
        }
    }

    static final class StreamLifecycle extends Lifecycle<Transport> implements Protocol {
        StreamLifecycle(EventLoop loop) {
            super(loop);
        }
    }

    static final class DatagramLifecycle extends Lifecycle<DatagramTransport> implements DatagramProtocol {
        DatagramLifecycle(EventLoop loop) {
            super(loop);
        }
    }

    /** An output stream whose writes wait until it is opened. */
    private static final class Gate extends OutputStream {
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aStreamTransportCallsTheBaseCallbacksInOrder() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Gate gate = new Gate();
            StreamLifecycle p = Network.connectWritePipe(() -> new StreamLifecycle(loop), gate).protocol();
            assertEquals(List.of("made"), p.events);
            // Over the 64 KiB high-water mark at once, since the writer thread cannot write yet.
            p.transport.write(new byte[100_000]);
            assertEquals(List.of("made", "pause"), p.events);
            gate.open.countDown();
            while (!p.events.contains("resume")) {
                Asyncio.sleep(0.005);
            }
            p.transport.close();
            p.lost.await();
            assertEquals(List.of("made", "pause", "resume", "lost:null"), p.events);
        });
    }

    @Test
    void aDatagramTransportCallsTheSameBaseCallbacks() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramTransportAndProtocol<DatagramLifecycle> tp = Network.createDatagramEndpoint(
                    () -> new DatagramLifecycle(loop), new InetSocketAddress("127.0.0.1", 0), null);
            DatagramLifecycle p = tp.protocol();
            assertSame(tp.transport(), p.transport);
            tp.transport().close();
            p.lost.await();
            assertEquals(List.of("made", "lost:null"), p.events);
        });
    }
}
