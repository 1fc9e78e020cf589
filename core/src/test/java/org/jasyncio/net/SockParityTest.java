package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;

/**
 * Parity with CPython 3.13's test_sock_lowlevel.py and selector_events' sock_* calls: what
 * {@link EventLoopSockTest} does not already pin.
 */
@Timeout(30)
class SockParityTest {

    private static ServerSocketChannel listener() throws Exception {
        ServerSocketChannel l = ServerSocketChannel.open();
        l.bind(new InetSocketAddress("127.0.0.1", 0));
        l.configureBlocking(false);
        return l;
    }

    private static SocketChannel nonBlocking() throws Exception {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        return ch;
    }

    @Test
    void everySockCallRejectsABlockingChannel() throws Exception {
        // test_sock_client_ops: each sock_* call on a blocking socket raises ValueError
        try (ServerSocketChannel l = ServerSocketChannel.open(); SocketChannel ch = SocketChannel.open()) {
            l.bind(new InetSocketAddress("127.0.0.1", 0));
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                assertThrows(IllegalArgumentException.class, () -> Sockets.sockConnect(ch, l.getLocalAddress()));
                assertThrows(IllegalArgumentException.class, () -> Sockets.sockSendall(ch, "x".getBytes()));
                assertThrows(IllegalArgumentException.class, () -> Sockets.sockRecv(ch, 10));
                assertThrows(IllegalArgumentException.class, () -> Sockets.sockRecvInto(ch, ByteBuffer.allocate(10)));
                assertThrows(IllegalArgumentException.class, () -> Sockets.sockAccept(l));
            });
        }
    }

    @Test
    void sockAcceptGivesANonBlockingChannelWhosePeerIsTheClient() throws Exception {
        // test_sock_accept: conn.gettimeout() == 0 and addr == client.getsockname()
        try (ServerSocketChannel l = listener(); SocketChannel client = SocketChannel.open()) {
            client.connect(l.getLocalAddress()); // blocking connect: the backlog takes it
            Asyncio.run(() -> {
                try (SocketChannel conn = Sockets.sockAccept(l)) {
                    assertFalse(conn.isBlocking());
                    assertEquals(client.getLocalAddress(), conn.getRemoteAddress());
                    assertEquals(l.getLocalAddress(), client.getRemoteAddress());
                }
            });
        }
    }

    @Test
    void cancelSockAcceptLeavesNothingRegisteredSoTheListenerCanClose() throws Exception {
        // test_cancel_sock_accept: wait_for(sock_accept, 0.1) times out; the listener closes; connecting is refused
        ServerSocketChannel l = listener();
        InetSocketAddress addr = (InetSocketAddress) l.getLocalAddress();
        try (l) {
          Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Task<SocketChannel> accepting = Asyncio.createTask(() -> Sockets.sockAccept(l));
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(accepting, 0.02));
            l.close();
            // A channel once registered with a selector is really closed at the selector's next
            // select (Java defers it; asyncio's close is immediate): let the loop select once.
            Asyncio.sleep(0.02);
            try (SocketChannel client = nonBlocking()) {
                Exception e = assertThrows(Exception.class, () -> Sockets.sockConnect(client, addr));
                assertTrue(e instanceof ConnectException, e.toString());
            }
          });
        }
    }

    @Test
    void sockAcceptAfterACancelledOneStillAccepts() throws Exception {
        try (ServerSocketChannel l = listener()) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<SocketChannel> first = Asyncio.createTask(() -> Sockets.sockAccept(l));
                Asyncio.sleep(0.01);
                first.cancel();
                assertThrows(CancelledError.class, first::await);
                Task<SocketChannel> second = Asyncio.createTask(() -> Sockets.sockAccept(l));
                try (SocketChannel client = nonBlocking()) {
                    Sockets.sockConnect(client, l.getLocalAddress());
                    try (SocketChannel conn = second.await()) {
                        assertEquals(client.getLocalAddress(), conn.getRemoteAddress());
                    }
                }
            });
        }
    }

    @Test
    void cancelledBlockedSockSendallSendsNothingAndTheNextOneGoesThrough() throws Exception {
        // test_sock_client_racing / _basetest_sock_send_racing
        try (ServerSocketChannel l = listener(); SocketChannel sock = nonBlocking()) {
            sock.setOption(StandardSocketOptions.SO_SNDBUF, 1024);
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<SocketChannel> accepting = Asyncio.createTask(() -> Sockets.sockAccept(l));
                Sockets.sockConnect(sock, l.getLocalAddress());
                try (SocketChannel server = accepting.await()) {
                    // fill the buffers until sending 4 bytes would block
                    for (int size = 8192; size >= 4; size /= 2) {
                        ByteBuffer spaces = ByteBuffer.wrap(" ".repeat(size).getBytes());
                        while (sock.write(spaces.rewind()) > 0) {
                            // keep filling
                        }
                    }
                    Task<Void> blocked = Asyncio.createTask(() -> Sockets.sockSendall(sock, "hello".getBytes()));
                    Asyncio.sleep(0);
                    blocked.cancel();
                    Task<String> receiving = Asyncio.createTask(() -> {
                        ByteArrayOutputStream rv = new ByteArrayOutputStream();
                        while (true) {
                            byte[] buf = Sockets.sockRecv(server, 8192);
                            if (buf.length == 0) {
                                return rv.toString().replace(" ", "");
                            }
                            rv.writeBytes(buf);
                        }
                    });
                    Sockets.sockSendall(sock, "world".getBytes());
                    sock.shutdownOutput();
                    assertEquals("world", receiving.await());
                    assertThrows(CancelledError.class, blocked::await);
                }
            });
        }
    }

    @Test
    void cancelledSockRecvIntoLeavesTheChannelUsable() throws Exception {
        // test_sock_client_racing / _basetest_sock_recv_into_racing
        try (ServerSocketChannel l = listener(); SocketChannel sock = nonBlocking()) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Sockets.sockConnect(sock, l.getLocalAddress());
                try (SocketChannel server = Sockets.sockAccept(l)) {
                    ByteBuffer buf = ByteBuffer.allocate(1024);
                    Task<Integer> recv = Asyncio.createTask(() -> Sockets.sockRecvInto(sock, buf));
                    Asyncio.sleep(0);
                    recv.cancel();
                    assertThrows(CancelledError.class, recv::await);
                    Task<Void> send = Asyncio.createTask(() -> Sockets.sockSendall(server, "GET /".getBytes()));
                    int n = Sockets.sockRecvInto(sock, buf);
                    assertEquals("GET /", new String(buf.array(), 0, n));
                    send.await();
                }
            });
        }
    }

    @Test
    void sockSendallAndSockRecvIntoRunAtOnceOnOneSocket() throws Exception {
        // test_huge_content_recvinto: a sock_sendall task and sock_recv_into on the same socket (reader and writer)
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server echo = Network.createServer(TransportTest.Echo::new, "127.0.0.1", 0);
            byte[] chunk = "0123456789".repeat(100_000).getBytes();
            try (SocketChannel sock = nonBlocking()) {
                Sockets.sockConnect(sock, new InetSocketAddress("127.0.0.1", echo.port()));
                Task<Void> sending = Asyncio.createTask(() -> Sockets.sockSendall(sock, chunk));
                ByteBuffer got = ByteBuffer.allocate(chunk.length);
                while (got.hasRemaining()) {
                    assertTrue(Sockets.sockRecvInto(sock, got) > 0);
                }
                sending.await();
                assertArrayEquals(chunk, got.array());
            }
            echo.close();
            echo.waitClosed();
        });
    }

    @Test
    void unixSockClientOps(@TempDir Path dir) throws Exception {
        // test_unix_sock_client_ops: sock_connect, sock_sendall, sock_recv, sock_recv_into over AF_UNIX
        Path path = dir.resolve("s.sock");
        try (ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                SocketChannel sock = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            l.bind(UnixDomainSocketAddress.of(path));
            l.configureBlocking(false);
            sock.configureBlocking(false);
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<SocketChannel> accepting = Asyncio.createTask(() -> Sockets.sockAccept(l));
                Sockets.sockConnect(sock, UnixDomainSocketAddress.of(path));
                try (SocketChannel server = accepting.await()) {
                    Sockets.sockSendall(sock, "GET / HTTP/1.0\r\n\r\n".getBytes());
                    ByteBuffer req = ByteBuffer.allocate(64);
                    while (req.position() < 18) {
                        assertTrue(Sockets.sockRecvInto(server, req) > 0);
                    }
                    assertEquals("GET / HTTP/1.0\r\n\r\n", new String(req.array(), 0, req.position()));
                    Sockets.sockSendall(server, "HTTP/1.0 200 OK\r\n".getBytes());
                    server.shutdownOutput();
                    ByteArrayOutputStream reply = new ByteArrayOutputStream();
                    for (byte[] b = Sockets.sockRecv(sock, 1024); b.length > 0; b = Sockets.sockRecv(sock, 1024)) {
                        reply.writeBytes(b);
                    }
                    assertTrue(reply.toString().startsWith("HTTP/1.0 200 OK"));
                }
            });
        }
    }

    @Test
    void emptyRecvAndEmptySendallReturnAtOnce() throws Exception {
        // sock.recv(0) / recv_into(empty) return at once; sock_sendall(b'') sends nothing
        try (ServerSocketChannel l = listener(); SocketChannel sock = nonBlocking()) {
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Sockets.sockConnect(sock, l.getLocalAddress());
                try (SocketChannel server = Sockets.sockAccept(l)) {
                    assertEquals(0, Sockets.sockRecv(sock, 0).length);
                    assertEquals(0, Sockets.sockRecvInto(sock, ByteBuffer.allocate(0)));
                    Sockets.sockSendall(sock, new byte[0]);
                    Sockets.sockSendall(sock, "x".getBytes());
                    assertEquals("x", new String(Sockets.sockRecv(server, 10)));
                }
            });
        }
    }

    @Test
    void sockCallsOnAClosedChannelThrow() throws Exception {
        // a closed socket: the call fails at once (asyncio: OSError, bad file descriptor)
        SocketChannel sock = nonBlocking();
        sock.close();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(ClosedChannelException.class, () -> Sockets.sockRecv(sock, 10));
            assertThrows(ClosedChannelException.class, () -> Sockets.sockSendall(sock, "x".getBytes()));
        });
    }

    @Test
    void sockConnectResolvesAnUnresolvedHostName() throws Exception {
        // sock_connect: _ensure_resolved(address) before connecting
        try (ServerSocketChannel l = ServerSocketChannel.open(); SocketChannel sock = nonBlocking()) {
            l.bind(new InetSocketAddress(0)); // the wildcard: whichever family "localhost" gives first
            l.configureBlocking(false);
            int port = ((InetSocketAddress) l.getLocalAddress()).getPort();
            Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Sockets.sockConnect(sock, InetSocketAddress.createUnresolved("localhost", port));
                try (SocketChannel server = Sockets.sockAccept(l)) {
                    assertTrue(((InetSocketAddress) server.getRemoteAddress()).getAddress().isLoopbackAddress());
                }
            });
        }
    }

    @Test
    void sockRecvOnATransportsSocketIsRefusedWhileTheTransportIsOpen() throws Exception {
        // selector_events _ensure_fd_no_transport: "File descriptor ... is used by transport" (RuntimeError)
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Server echo = Network.createServer(TransportTest.Echo::new, "127.0.0.1", 0);
            TransportAndProtocol<TransportTest.Recorder> tp = Network.createConnection(
                    () -> new TransportTest.Recorder(loop), "127.0.0.1", echo.port());
            SocketChannel ch = (SocketChannel) tp.transport().getExtraInfo("socket");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sockets.sockRecv(ch, 10));
            assertTrue(e.getMessage().contains("transport"), e.getMessage());
            // the transport still reads
            tp.transport().write("echo".getBytes());
            while (tp.protocol().received.size() < 4) {
                Asyncio.sleep(0.005);
            }
            assertEquals("echo", tp.protocol().received.toString());
            tp.transport().close();
            tp.protocol().lost.await();
            echo.close();
            echo.waitClosed();
        });
    }
}
