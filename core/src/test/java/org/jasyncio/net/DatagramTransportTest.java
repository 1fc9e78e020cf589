package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UDP endpoints: asyncio's create_datagram_endpoint and DatagramProtocol. */
@Timeout(30)
class DatagramTransportTest {

    record Datagram(String text, SocketAddress from) {
    }

    /** Echoes every datagram back to its sender. */
    static final class EchoUdp implements DatagramProtocol {
        DatagramTransport transport;

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress address) {
            transport.sendto(data, address);
        }
    }

    /** Records datagrams and errors as futures, one at a time. */
    static final class Client implements DatagramProtocol {
        final EventLoop loop;
        Future<Datagram> next;
        Future<Exception> error;
        Future<Throwable> lost;

        Client(EventLoop loop) {
            this.loop = loop;
            next = loop.createFuture();
            error = loop.createFuture();
            lost = loop.createFuture();
        }

        @Override
        public void datagramReceived(byte[] data, SocketAddress address) {
            next.setResult(new Datagram(new String(data), address));
        }

        @Override
        public void errorReceived(Exception exception) {
            if (!error.done()) {
                error.setResult(exception);
            }
        }

        @Override
        public void connectionLost(Throwable exception) {
            lost.setResult(exception);
        }
    }

    @Test
    void unconnectedEndpointsExchangeDatagrams() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramTransport server = Network.createDatagramEndpoint(EchoUdp::new,
                    new InetSocketAddress("127.0.0.1", 0), null).transport();
            SocketAddress serverAddr = (SocketAddress) server.getExtraInfo("sockname");
            DatagramTransportAndProtocol<Client> c = Network.createDatagramEndpoint(() -> new Client(loop),
                    new InetSocketAddress("127.0.0.1", 0), null);
            c.transport().sendto("ping".getBytes(), serverAddr);
            Datagram d = c.protocol().next.await();
            assertEquals("ping", d.text());
            assertEquals(serverAddr, d.from());
            assertThrows(IllegalStateException.class, () -> c.transport().sendto("x".getBytes()));
            c.transport().close();
            assertNull(c.protocol().lost.await());
            server.close();
        });
    }

    @Test
    void connectedEndpointSendsToItsRemoteAndChecksAddresses() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramTransport server = Network.createDatagramEndpoint(EchoUdp::new,
                    new InetSocketAddress("127.0.0.1", 0), null).transport();
            SocketAddress serverAddr = (SocketAddress) server.getExtraInfo("sockname");
            DatagramTransportAndProtocol<Client> c = Network.createDatagramEndpoint(() -> new Client(loop), null,
                    serverAddr);
            assertEquals(serverAddr, c.transport().getExtraInfo("peername"));
            c.transport().sendto("hello".getBytes());
            assertEquals("hello", c.protocol().next.await().text());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.transport().sendto("x".getBytes(), new InetSocketAddress("127.0.0.1", 9)));
            assertTrue(e.getMessage().contains("Invalid address"));
            c.transport().close();
            assertThrows(IllegalStateException.class, () -> c.transport().sendto("x".getBytes()));
            server.close();
        });
    }

    @Test
    void portUnreachableOnAConnectedEndpointGoesToErrorReceived() throws Exception {
        SocketAddress closed;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = probe.getLocalAddress();
        }
        SocketAddress target = closed;
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramTransportAndProtocol<Client> c = Network.createDatagramEndpoint(() -> new Client(loop), null, target);
            c.transport().sendto("anyone?".getBytes());
            Exception e = c.protocol().error.await();
            assertTrue(e instanceof PortUnreachableException, e.toString());
            assertTrue(!c.transport().isClosing(), "an error on a datagram endpoint does not close it");
            c.transport().close();
            c.protocol().lost.await();
        });
    }

    @Test
    void hostNamesAreResolvedForDatagramEndpoints() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            DatagramTransport server = Network.createDatagramEndpoint(EchoUdp::new,
                    InetSocketAddress.createUnresolved("localhost", 0), null).transport();
            int port = ((InetSocketAddress) server.getExtraInfo("sockname")).getPort();
            DatagramTransportAndProtocol<Client> c = Network.createDatagramEndpoint(() -> new Client(loop), null,
                    InetSocketAddress.createUnresolved("localhost", port));
            c.transport().sendto("by name".getBytes());
            assertEquals("by name", c.protocol().next.await().text());
            c.transport().close();
            server.close();
        });
    }
}
