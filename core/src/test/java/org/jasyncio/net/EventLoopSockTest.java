package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's sock_* methods on raw channels: asyncio's test_sock_lowlevel.py. */
@Timeout(30)
class EventLoopSockTest {

    @Test
    void acceptConnectSendallRecv() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.configureBlocking(false);
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<SocketChannel> accepting = Asyncio.createTask(() -> Sockets.sockAccept(listener));
                try (SocketChannel client = SocketChannel.open()) {
                    client.configureBlocking(false);
                    Sockets.sockConnect(client, listener.getLocalAddress());
                    try (SocketChannel served = accepting.await()) {
                        assertFalse(served.isBlocking());
                        byte[] big = new byte[1 << 20];
                        for (int i = 0; i < big.length; i++) {
                            big[i] = (byte) i;
                        }
                        Task<Void> sending = Asyncio.createTask(() -> Sockets.sockSendall(client, big));
                        ByteBuffer got = ByteBuffer.allocate(big.length);
                        while (got.hasRemaining()) {
                            assertTrue(Sockets.sockRecvInto(served, got) > 0);
                        }
                        sending.await();
                        assertArrayEquals(big, got.array());
                        client.shutdownOutput();
                        assertEquals(0, Sockets.sockRecv(served, 10).length); // EOF: empty
                    }
                }
            });
        }
    }

    @Test
    void sockRecvWaitsForData() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.configureBlocking(false);
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                try (SocketChannel client = SocketChannel.open()) {
                    client.configureBlocking(false);
                    Sockets.sockConnect(client, listener.getLocalAddress());
                    try (SocketChannel served = Sockets.sockAccept(listener)) {
                        Task<byte[]> recv = Asyncio.createTask(() -> Sockets.sockRecv(served, 100));
                        Asyncio.sleep(0.01);
                        assertFalse(recv.done());
                        Sockets.sockSendall(client, "hi".getBytes());
                        assertEquals("hi", new String(recv.await()));
                    }
                }
            });
        }
    }

    @Test
    void cancelledSockRecvLeavesTheChannelUsable() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.configureBlocking(false);
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                try (SocketChannel client = SocketChannel.open()) {
                    client.configureBlocking(false);
                    Sockets.sockConnect(client, listener.getLocalAddress());
                    try (SocketChannel served = Sockets.sockAccept(listener)) {
                        Task<byte[]> recv = Asyncio.createTask(() -> Sockets.sockRecv(served, 100));
                        Asyncio.sleep(0.01);
                        recv.cancel();
                        assertThrows(CancelledError.class, recv::await);
                        Sockets.sockSendall(client, "later".getBytes());
                        assertEquals("later", new String(Sockets.sockRecv(served, 100)));
                    }
                }
            });
        }
    }

    @Test
    void sockConnectToAClosedPortThrowsConnectException() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (SocketChannel client = SocketChannel.open()) {
                client.configureBlocking(false);
                Exception e = assertThrows(Exception.class,
                        () -> Sockets.sockConnect(client, new InetSocketAddress("127.0.0.1", port)));
                assertTrue(e instanceof ConnectException, e.toString());
            }
        });
    }

    @Test
    void blockingChannelIsRejected() throws Exception {
        // asyncio: "the socket must be non-blocking"
        try (SocketChannel ch = SocketChannel.open()) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Sockets.sockRecv(ch, 10));
                assertTrue(e.getMessage().contains("non-blocking"));
            });
        }
    }

    private static DatagramChannel udp() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        return ch;
    }

    @Test
    void sockSendtoAndRecvfromCarryDatagramsWithTheirSender() throws Exception {
        // asyncio 3.11's sock_sendto / sock_recvfrom: (data, address); a recvfrom waits for one
        try (DatagramChannel a = udp(); DatagramChannel b = udp()) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<Datagram> receiving = Asyncio.createTask(() -> Sockets.sockRecvfrom(b, 100));
                Asyncio.sleep(0.01);
                assertFalse(receiving.done(), "nothing sent yet: recvfrom waits");
                assertEquals(5, Sockets.sockSendto(a, "hello".getBytes(), b.getLocalAddress()));
                Datagram d = receiving.await();
                assertEquals("hello", new String(d.data()));
                assertEquals(a.getLocalAddress(), d.address());
            });
        }
    }

    @Test
    void sockRecvfromKeepsAtMostBufsizeAndRecvfromIntoFillsTheBuffer() throws Exception {
        // recvfrom(bufsize) truncates a longer datagram; recvfrom_into reports the sender
        try (DatagramChannel a = udp(); DatagramChannel b = udp()) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Sockets.sockSendto(a, "0123456789".getBytes(), b.getLocalAddress());
                assertEquals("0123", new String(Sockets.sockRecvfrom(b, 4).data()));
                Sockets.sockSendto(a, "xyz".getBytes(), b.getLocalAddress());
                ByteBuffer buf = ByteBuffer.allocate(16);
                assertEquals(a.getLocalAddress(), Sockets.sockRecvfromInto(b, buf));
                assertEquals(3, buf.position());
                assertEquals("xyz", new String(buf.array(), 0, 3));
            });
        }
    }

    @Test
    void sockSendtoWithoutAnAddressUsesTheConnectedPeer() throws Exception {
        try (DatagramChannel a = udp(); DatagramChannel b = udp()) {
            a.connect(b.getLocalAddress());
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Sockets.sockSendto(a, "to the peer".getBytes(), null);
                assertEquals("to the peer", new String(Sockets.sockRecvfrom(b, 64).data()));
            });
        }
    }

    @Test
    void datagramSockCallsRefuseABlockingChannel() throws Exception {
        try (DatagramChannel blocking = DatagramChannel.open()) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                assertThrows(IllegalArgumentException.class, () -> Sockets.sockRecvfrom(blocking, 10));
                assertThrows(IllegalArgumentException.class,
                        () -> Sockets.sockSendto(blocking, new byte[1], new InetSocketAddress("127.0.0.1", 9)));
            });
        }
    }
}
