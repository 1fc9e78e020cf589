package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
                Task<SocketChannel> accepting = Asyncio.createTask(() -> loop.sockAccept(listener));
                try (SocketChannel client = SocketChannel.open()) {
                    client.configureBlocking(false);
                    loop.sockConnect(client, listener.getLocalAddress());
                    try (SocketChannel served = accepting.await()) {
                        assertFalse(served.isBlocking());
                        byte[] big = new byte[1 << 20];
                        for (int i = 0; i < big.length; i++) {
                            big[i] = (byte) i;
                        }
                        Task<Void> sending = Asyncio.createTask(() -> loop.sockSendall(client, big));
                        ByteBuffer got = ByteBuffer.allocate(big.length);
                        while (got.hasRemaining()) {
                            assertTrue(loop.sockRecvInto(served, got) > 0);
                        }
                        sending.await();
                        assertArrayEquals(big, got.array());
                        client.shutdownOutput();
                        assertEquals(0, loop.sockRecv(served, 10).length); // EOF: empty
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
                    loop.sockConnect(client, listener.getLocalAddress());
                    try (SocketChannel served = loop.sockAccept(listener)) {
                        Task<byte[]> recv = Asyncio.createTask(() -> loop.sockRecv(served, 100));
                        Asyncio.sleep(0.01);
                        assertFalse(recv.done());
                        loop.sockSendall(client, "hi".getBytes());
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
                    loop.sockConnect(client, listener.getLocalAddress());
                    try (SocketChannel served = loop.sockAccept(listener)) {
                        Task<byte[]> recv = Asyncio.createTask(() -> loop.sockRecv(served, 100));
                        Asyncio.sleep(0.01);
                        recv.cancel();
                        assertThrows(CancelledError.class, recv::await);
                        loop.sockSendall(client, "later".getBytes());
                        assertEquals("later", new String(loop.sockRecv(served, 100)));
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
                        () -> loop.sockConnect(client, new InetSocketAddress("127.0.0.1", port)));
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
                        () -> loop.sockRecv(ch, 10));
                assertTrue(e.getMessage().contains("non-blocking"));
            });
        }
    }
}
