package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.process.Subprocess;
import org.jasyncio.streams.ClientHandler;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.IncompleteReadException;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamReaderProtocol;
import org.jasyncio.streams.StreamWriter;
import org.jasyncio.streams.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public method and constructor of {@code org.jasyncio.net}, {@code streams} and
 * {@code process} refuses a null argument with a {@link NullPointerException} whose message is
 * the parameter's name, before any effect: nothing opened, bound, started, called, closed or
 * changed. Python raises {@code TypeError} for a missing argument before the call does
 * anything; asyncio's own checks (say {@code create_server}'s "ssl argument must be an
 * SSLContext or None") come first too. {@link #everyReferenceParameterIsCoveredOrMayBeNull()}
 * keeps the table complete: a new public method fails it until its parameters are here.
 */
@Timeout(120)
class NullArgumentsTest {

    /** The public types of the three packages, as public-api.txt lists them. */
    private static final String[] PACKAGES = {"org.jasyncio.net.", "org.jasyncio.streams.", "org.jasyncio.process."};

    /**
     * Parameters that may be null, each documented so: the key is the member and the
     * parameter's index. Callbacks that the transports call (a protocol's, a client handler's)
     * and exception messages and causes are not checked either.
     */
    private static final Set<String> MAY_BE_NULL = Set.of(
            "Network.createServer(Supplier,String,int)#1", // every interface
            "Network.createServer(Supplier,String,int,ServerOptions)#1",
            "Network.startTls(Transport,Protocol,SSLContext,boolean,String)#4", // no name to check
            "Network.createDatagramEndpoint(Supplier,SocketAddress,SocketAddress)#1", // ephemeral
            "Network.createDatagramEndpoint(Supplier,SocketAddress,SocketAddress)#2", // not connected
            "Sockets.sockSendto(DatagramChannel,byte[],SocketAddress)#2", // a connected channel's peer
            "ServerGroup.start(int,String,int,ServerOptions,ServerFactory)#1", // every interface
            "ServerGroup.ServerFactory.start(String,int,ServerOptions)#0", // the group's host, null or not
            "ServerGroup.ServerFactory.start(String,int,ServerOptions)#2", // a callback: the group passes its options
            "Streams.startServer(ClientHandler,String,int)#1",
            "Streams.startServer(ClientHandler,String,int,ServerOptions)#1",
            "StreamWriter.<init>(Transport,StreamReaderProtocol,StreamReader,EventLoop)#2", // no reader
            "StreamWriter.startTls(SSLContext,String)#1",
            "StreamWriter.getExtraInfo(String,Object)#1", // the default
            "StreamReaderProtocol.connectionLost(Throwable)#0", // EOF
            "DatagramTransport.sendto(byte[],SocketAddress)#1", // a connected endpoint's peer
            "ConnectionOptions.<init>(SSLContext,String,Duration,InetSocketAddress,int)#0",
            "ConnectionOptions.<init>(SSLContext,String,Duration,InetSocketAddress,int)#1",
            "ConnectionOptions.<init>(SSLContext,String,Duration,InetSocketAddress,int)#3",
            "ServerOptions.<init>(SSLContext,Duration,int,boolean,boolean,boolean,boolean,int)#0",
            "Subprocess.communicate(byte[])#0", // no input
            "Subprocess.Output.<init>(byte[],byte[])#0", // not a pipe
            "Subprocess.Output.<init>(byte[],byte[])#1",
            // Callbacks: the transport calls them, with what their documentation allows.
            "BaseProtocol.connectionMade(Object)#0",
            "BaseProtocol.connectionLost(Throwable)#0",
            "Protocol.dataReceived(byte[])#0",
            "DatagramProtocol.datagramReceived(byte[],SocketAddress)#0",
            "DatagramProtocol.datagramReceived(byte[],SocketAddress)#1",
            "DatagramProtocol.errorReceived(Exception)#0",
            "ClientHandler.handle(StreamReader,StreamWriter)#0",
            "ClientHandler.handle(StreamReader,StreamWriter)#1",
            // Throwable's convention: a message and a cause may be null.
            "ConnectionResetException.<init>(String)#0",
            "ConnectionResetException.<init>(String,Throwable)#0",
            "ConnectionResetException.<init>(String,Throwable)#1",
            "LimitOverrunException.<init>(String,int)#0");

    /** A call made with one null argument, given what the fixture opened. */
    @FunctionalInterface
    interface Call {
        void run(Fixture f) throws Throwable;
    }

    /**
     * One case: {@code member} (as {@link #key} spells it) called with parameter
     * {@code index}, named {@code parameter}, null; {@code on} says on what, for a method of an
     * interface with several implementations.
     */
    record Case(String member, int index, String parameter, String on, Call call) {
        String key() {
            return member + "#" + index;
        }

        @Override
        public String toString() {
            return member + " " + parameter + (on.isEmpty() ? "" : " on " + on);
        }
    }

    private static Case c(String member, int index, String parameter, Call call) {
        return new Case(member, index, parameter, "", call);
    }

    /** The same interface method on each transport of the fixture. */
    private static List<Case> onEachTransport(String member, int index, String parameter,
            java.util.function.BiConsumer<Transport, Fixture> call) {
        List<Case> cases = new ArrayList<>();
        for (String on : List.of("socket", "tls", "readPipe", "writePipe")) {
            cases.add(new Case(member, index, parameter, on, f -> call.accept(f.transport(on), f)));
        }
        return cases;
    }

    static List<Case> cases() {
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        List<Case> all = new ArrayList<>(List.of(
                // ServerGroup: start is refused on a loop thread, but only after its arguments are checked
                c("ServerGroup.start(int,String,int,ServerOptions,ServerFactory)", 3, "options",
                        f -> ServerGroup.start(2, "127.0.0.1", 0, null,
                                (h, p, o) -> Network.createServer(f.factory, h, p, o))),
                c("ServerGroup.start(int,String,int,ServerOptions,ServerFactory)", 4, "factory",
                        f -> ServerGroup.start(2, "127.0.0.1", 0, ServerOptions.DEFAULTS, null)),
                c("ServerGroup.shutdown(Duration)", 0, "grace", f -> {
                    // The group starts from a plain thread: the loop's own thread may not block on it.
                    ServerGroup g = Asyncio.toThread(() -> ServerGroup.start(1, "127.0.0.1", 0, ServerOptions.DEFAULTS,
                            (h, p, o) -> Network.createServer(() -> new Protocol() { }, h, p, o))).await();
                    try {
                        g.shutdown(null);
                    } finally {
                        Asyncio.toThread(() -> {
                            g.close();
                            return null;
                        }).await();
                    }
                }),
                // Network
                c("Network.createConnection(Supplier,String,int)", 0, "protocolFactory",
                        f -> Network.createConnection(null, "127.0.0.1", f.port)),
                c("Network.createConnection(Supplier,String,int)", 1, "host",
                        f -> Network.createConnection(f.factory, null, f.port)),
                c("Network.createConnection(Supplier,String,int,ConnectionOptions)", 0, "protocolFactory",
                        f -> Network.createConnection(null, "127.0.0.1", f.port, ConnectionOptions.DEFAULTS)),
                c("Network.createConnection(Supplier,String,int,ConnectionOptions)", 1, "host",
                        f -> Network.createConnection(f.factory, null, f.port, ConnectionOptions.DEFAULTS)),
                c("Network.createConnection(Supplier,String,int,ConnectionOptions)", 3, "options",
                        f -> Network.createConnection(f.factory, "127.0.0.1", f.port, null)),
                c("Network.createServer(Supplier,String,int)", 0, "protocolFactory",
                        f -> Network.createServer(null, "127.0.0.1", 0)),
                c("Network.createServer(Supplier,String,int,ServerOptions)", 0, "protocolFactory",
                        f -> Network.createServer(null, "127.0.0.1", 0, ServerOptions.DEFAULTS)),
                c("Network.createServer(Supplier,String,int,ServerOptions)", 3, "options",
                        f -> Network.createServer(f.factory, "127.0.0.1", 0, null)),
                c("Network.createConnection(Supplier,SocketChannel)", 0, "protocolFactory",
                        f -> Network.createConnection(null, f.connected)),
                c("Network.createConnection(Supplier,SocketChannel)", 1, "sock",
                        f -> Network.createConnection(f.factory, null)),
                c("Network.connectAcceptedSocket(Supplier,SocketChannel)", 0, "protocolFactory",
                        f -> Network.connectAcceptedSocket(null, f.connected)),
                c("Network.connectAcceptedSocket(Supplier,SocketChannel)", 1, "sock",
                        f -> Network.connectAcceptedSocket(f.factory, null)),
                c("Network.createServer(Supplier,ServerSocketChannel)", 0, "protocolFactory",
                        f -> Network.createServer(null, f.listening)),
                c("Network.createServer(Supplier,ServerSocketChannel)", 1, "sock",
                        f -> Network.createServer(f.factory, (ServerSocketChannel) null)),
                c("Network.startTls(Transport,Protocol,SSLContext,boolean,String)", 0, "transport",
                        f -> Network.startTls(null, new Protocol() { }, TlsContexts.client(), false, null)),
                c("Network.startTls(Transport,Protocol,SSLContext,boolean,String)", 1, "protocol",
                        f -> Network.startTls(f.socket, null, TlsContexts.client(), false, null)),
                c("Network.startTls(Transport,Protocol,SSLContext,boolean,String)", 2, "ssl",
                        f -> Network.startTls(f.socket, f.socket.getProtocol(), null, false, null)),
                c("Network.createUnixConnection(Supplier,Path)", 0, "protocolFactory",
                        f -> Network.createUnixConnection(null, f.unixPath)),
                c("Network.createUnixConnection(Supplier,Path)", 1, "path",
                        f -> Network.createUnixConnection(f.factory, null)),
                c("Network.createUnixConnection(Supplier,Path,ConnectionOptions)", 0, "protocolFactory",
                        f -> Network.createUnixConnection(null, f.unixPath, ConnectionOptions.DEFAULTS)),
                c("Network.createUnixConnection(Supplier,Path,ConnectionOptions)", 1, "path",
                        f -> Network.createUnixConnection(f.factory, null, ConnectionOptions.DEFAULTS)),
                c("Network.createUnixConnection(Supplier,Path,ConnectionOptions)", 2, "options",
                        f -> Network.createUnixConnection(f.factory, f.unixPath, null)),
                c("Network.createUnixServer(Supplier,Path)", 0, "protocolFactory",
                        f -> Network.createUnixServer(null, f.freshPath())),
                c("Network.createUnixServer(Supplier,Path)", 1, "path",
                        f -> Network.createUnixServer(f.factory, null)),
                c("Network.createUnixServer(Supplier,Path,ServerOptions)", 0, "protocolFactory",
                        f -> Network.createUnixServer(null, f.freshPath(), ServerOptions.DEFAULTS)),
                c("Network.createUnixServer(Supplier,Path,ServerOptions)", 1, "path",
                        f -> Network.createUnixServer(f.factory, null, ServerOptions.DEFAULTS)),
                c("Network.createUnixServer(Supplier,Path,ServerOptions)", 2, "options",
                        f -> Network.createUnixServer(f.factory, f.freshPath(), null)),
                c("Network.createDatagramEndpoint(Supplier,SocketAddress,SocketAddress)", 0, "protocolFactory",
                        f -> Network.createDatagramEndpoint(null, new InetSocketAddress("127.0.0.1", 0), null)),
                c("Network.sendfile(Transport,FileChannel,long,long)", 0, "transport",
                        f -> Network.sendfile(null, f.file, 0, 1)),
                c("Network.sendfile(Transport,FileChannel,long,long)", 1, "file",
                        f -> Network.sendfile(f.socket, null, 0, 1)),
                c("Network.sendfile(Transport,FileChannel,long)", 0, "transport",
                        f -> Network.sendfile(null, f.file, 0)),
                c("Network.sendfile(Transport,FileChannel,long)", 1, "file",
                        f -> Network.sendfile(f.socket, null, 0)),
                c("Network.sendfile(Transport,FileChannel)", 0, "transport",
                        f -> Network.sendfile(null, f.file)),
                c("Network.sendfile(Transport,FileChannel)", 1, "file",
                        f -> Network.sendfile(f.socket, null)),
                c("Network.connectReadPipe(Supplier,InputStream)", 0, "protocolFactory",
                        f -> Network.connectReadPipe(null, f.in)),
                c("Network.connectReadPipe(Supplier,InputStream)", 1, "pipe",
                        f -> Network.connectReadPipe(f.factory, null)),
                c("Network.connectWritePipe(Supplier,OutputStream)", 0, "protocolFactory",
                        f -> Network.connectWritePipe(null, f.out)),
                c("Network.connectWritePipe(Supplier,OutputStream)", 1, "pipe",
                        f -> Network.connectWritePipe(f.factory, null)),
                // Sockets
                c("Sockets.sockRecv(SocketChannel,int)", 0, "channel", f -> Sockets.sockRecv(null, 1)),
                c("Sockets.sockRecvInto(SocketChannel,ByteBuffer)", 0, "channel",
                        f -> Sockets.sockRecvInto(null, ByteBuffer.allocate(1))),
                c("Sockets.sockRecvInto(SocketChannel,ByteBuffer)", 1, "buffer",
                        f -> Sockets.sockRecvInto(f.nonBlocking, null)),
                c("Sockets.sockSendall(SocketChannel,byte[])", 0, "channel", f -> Sockets.sockSendall(null, data)),
                c("Sockets.sockSendall(SocketChannel,byte[])", 1, "data", f -> Sockets.sockSendall(f.nonBlocking, null)),
                c("Sockets.sockRecvfrom(DatagramChannel,int)", 0, "channel", f -> Sockets.sockRecvfrom(null, 1)),
                c("Sockets.sockRecvfromInto(DatagramChannel,ByteBuffer)", 0, "channel",
                        f -> Sockets.sockRecvfromInto(null, ByteBuffer.allocate(1))),
                c("Sockets.sockRecvfromInto(DatagramChannel,ByteBuffer)", 1, "buffer",
                        f -> Sockets.sockRecvfromInto(f.datagram, null)),
                c("Sockets.sockSendto(DatagramChannel,byte[],SocketAddress)", 0, "channel",
                        f -> Sockets.sockSendto(null, data, f.datagram.getLocalAddress())),
                c("Sockets.sockSendto(DatagramChannel,byte[],SocketAddress)", 1, "data",
                        f -> Sockets.sockSendto(f.datagram, null, f.datagram.getLocalAddress())),
                c("Sockets.sockSendfile(SocketChannel,FileChannel,long,long)", 0, "channel",
                        f -> Sockets.sockSendfile(null, f.file, 0, 1)),
                c("Sockets.sockSendfile(SocketChannel,FileChannel,long,long)", 1, "file",
                        f -> Sockets.sockSendfile(f.nonBlocking, null, 0, 1)),
                c("Sockets.sockSendfile(SocketChannel,FileChannel,long)", 0, "channel",
                        f -> Sockets.sockSendfile(null, f.file, 0)),
                c("Sockets.sockSendfile(SocketChannel,FileChannel,long)", 1, "file",
                        f -> Sockets.sockSendfile(f.nonBlocking, null, 0)),
                c("Sockets.sockSendfile(SocketChannel,FileChannel)", 0, "channel", f -> Sockets.sockSendfile(null, f.file)),
                c("Sockets.sockSendfile(SocketChannel,FileChannel)", 1, "file",
                        f -> Sockets.sockSendfile(f.nonBlocking, null)),
                c("Sockets.sockAccept(ServerSocketChannel)", 0, "channel", f -> Sockets.sockAccept(null)),
                c("Sockets.sockConnect(SocketChannel,SocketAddress)", 0, "channel",
                        f -> Sockets.sockConnect(null, new InetSocketAddress("127.0.0.1", f.port))),
                c("Sockets.sockConnect(SocketChannel,SocketAddress)", 1, "address",
                        f -> Sockets.sockConnect(f.unconnected, null)),
                // The options and the small records
                c("ConnectionOptions.<init>(SSLContext,String,Duration,InetSocketAddress,int)", 2, "sslHandshakeTimeout",
                        f -> new ConnectionOptions(null, null, null, null, 1)),
                c("ConnectionOptions.withSsl(SSLContext)", 0, "ssl", f -> ConnectionOptions.DEFAULTS.withSsl(null)),
                c("ConnectionOptions.withServerHostname(String)", 0, "serverHostname",
                        f -> ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client()).withServerHostname(null)),
                c("ConnectionOptions.withSslHandshakeTimeout(Duration)", 0, "sslHandshakeTimeout",
                        f -> ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client()).withSslHandshakeTimeout(null)),
                c("ConnectionOptions.withLocalAddress(InetSocketAddress)", 0, "localAddress",
                        f -> ConnectionOptions.DEFAULTS.withLocalAddress(null)),
                c("ServerOptions.<init>(SSLContext,Duration,int,boolean,boolean,boolean,boolean,int)", 1,
                        "sslHandshakeTimeout", f -> new ServerOptions(null, null, 1, true, true, false, false, 1)),
                c("ServerOptions.withSsl(SSLContext)", 0, "ssl", f -> ServerOptions.DEFAULTS.withSsl(null)),
                c("ServerOptions.withSslHandshakeTimeout(Duration)", 0, "sslHandshakeTimeout",
                        f -> ServerOptions.DEFAULTS.withSsl(TlsContexts.server()).withSslHandshakeTimeout(null)),
                c("Datagram.<init>(byte[],SocketAddress)", 0, "data",
                        f -> new Datagram(null, new InetSocketAddress(0))),
                c("Datagram.<init>(byte[],SocketAddress)", 1, "address", f -> new Datagram(data, null)),
                c("TransportAndProtocol.<init>(Transport,Protocol)", 0, "transport",
                        f -> new TransportAndProtocol<>(null, new Protocol() { })),
                c("TransportAndProtocol.<init>(Transport,Protocol)", 1, "protocol",
                        f -> new TransportAndProtocol<>(f.socket, null)),
                c("DatagramTransportAndProtocol.<init>(DatagramTransport,DatagramProtocol)", 0, "transport",
                        f -> new DatagramTransportAndProtocol<>(null, new DatagramProtocol() { })),
                c("DatagramTransportAndProtocol.<init>(DatagramTransport,DatagramProtocol)", 1, "protocol",
                        f -> new DatagramTransportAndProtocol<>(f.udp, null)),
                // DatagramTransport
                c("DatagramTransport.sendto(byte[])", 0, "data", f -> f.udp.sendto(null)),
                c("DatagramTransport.sendto(byte[],SocketAddress)", 0, "data",
                        f -> f.udp.sendto(null, new InetSocketAddress("127.0.0.1", f.port))),
                c("DatagramTransport.getExtraInfo(String)", 0, "name", f -> f.udp.getExtraInfo(null)),
                // Streams
                c("Streams.openConnection(String,int)", 0, "host", f -> Streams.openConnection(null, f.port)),
                c("Streams.openConnection(String,int,ConnectionOptions)", 0, "host",
                        f -> Streams.openConnection(null, f.port, ConnectionOptions.DEFAULTS)),
                c("Streams.openConnection(String,int,ConnectionOptions)", 2, "options",
                        f -> Streams.openConnection("127.0.0.1", f.port, null)),
                c("Streams.openConnection(SocketChannel)", 0, "sock", f -> Streams.openConnection((SocketChannel) null)),
                c("Streams.startServer(ClientHandler,String,int)", 0, "handler",
                        f -> Streams.startServer(null, "127.0.0.1", 0)),
                c("Streams.startServer(ClientHandler,String,int,ServerOptions)", 0, "handler",
                        f -> Streams.startServer(null, "127.0.0.1", 0, ServerOptions.DEFAULTS)),
                c("Streams.startServer(ClientHandler,String,int,ServerOptions)", 3, "options",
                        f -> Streams.startServer(f.handler, "127.0.0.1", 0, null)),
                c("Streams.startServer(ClientHandler,ServerSocketChannel)", 0, "handler",
                        f -> Streams.startServer(null, f.listening)),
                c("Streams.startServer(ClientHandler,ServerSocketChannel)", 1, "sock",
                        f -> Streams.startServer(f.handler, (ServerSocketChannel) null)),
                c("Streams.openUnixConnection(Path)", 0, "path", f -> Streams.openUnixConnection(null)),
                c("Streams.openUnixConnection(Path,ConnectionOptions)", 0, "path",
                        f -> Streams.openUnixConnection(null, ConnectionOptions.DEFAULTS)),
                c("Streams.openUnixConnection(Path,ConnectionOptions)", 1, "options",
                        f -> Streams.openUnixConnection(f.unixPath, null)),
                c("Streams.startUnixServer(ClientHandler,Path)", 0, "handler",
                        f -> Streams.startUnixServer(null, f.freshPath())),
                c("Streams.startUnixServer(ClientHandler,Path)", 1, "path",
                        f -> Streams.startUnixServer(f.handler, null)),
                c("Streams.startUnixServer(ClientHandler,Path,ServerOptions)", 0, "handler",
                        f -> Streams.startUnixServer(null, f.freshPath(), ServerOptions.DEFAULTS)),
                c("Streams.startUnixServer(ClientHandler,Path,ServerOptions)", 1, "path",
                        f -> Streams.startUnixServer(f.handler, null, ServerOptions.DEFAULTS)),
                c("Streams.startUnixServer(ClientHandler,Path,ServerOptions)", 2, "options",
                        f -> Streams.startUnixServer(f.handler, f.freshPath(), null)),
                c("Connection.<init>(StreamReader,StreamWriter)", 0, "reader",
                        f -> new Connection(null, f.streams.writer())),
                c("Connection.<init>(StreamReader,StreamWriter)", 1, "writer",
                        f -> new Connection(f.streams.reader(), null)),
                c("IncompleteReadException.<init>(byte[],int)", 0, "partial", f -> new IncompleteReadException(null, 1)),
                // StreamReader
                c("StreamReader.<init>(int,EventLoop)", 1, "loop", f -> new StreamReader(1, null)),
                c("StreamReader.setTransport(Transport)", 0, "transport", f -> f.reader.setTransport(null)),
                c("StreamReader.feedData(byte[])", 0, "data", f -> f.reader.feedData(null)),
                c("StreamReader.setException(Throwable)", 0, "exception", f -> f.reader.setException(null)),
                c("StreamReader.readuntil(byte[])", 0, "separator", f -> f.reader.readuntil((byte[]) null)),
                c("StreamReader.readuntil(byte[][])", 0, "separators", f -> f.reader.readuntil((byte[][]) null)),
                new Case("StreamReader.readuntil(byte[][])", 0, "separators", "a null element",
                        f -> f.reader.readuntil(data, null)),
                c("StreamReader.readLine(Charset)", 0, "charset", f -> f.reader.readLine(null)),
                // Server
                c("Server.closeAndWait(Clients)", 0, "clients", f -> f.server.closeAndWait(null)),
                // StreamReaderProtocol
                c("StreamReaderProtocol.<init>(StreamReader,EventLoop)", 0, "reader",
                        f -> new StreamReaderProtocol(null, f.loop)),
                c("StreamReaderProtocol.<init>(StreamReader,EventLoop)", 1, "loop",
                        f -> new StreamReaderProtocol(f.reader, null)),
                c("StreamReaderProtocol.connectionMade(Transport)", 0, "transport",
                        f -> f.readerProtocol.connectionMade(null)),
                c("StreamReaderProtocol.dataReceived(byte[])", 0, "data", f -> f.readerProtocol.dataReceived(null)),
                // StreamWriter
                c("StreamWriter.<init>(Transport,StreamReaderProtocol,StreamReader,EventLoop)", 0, "transport",
                        f -> new StreamWriter(null, f.readerProtocol, f.reader, f.loop)),
                c("StreamWriter.<init>(Transport,StreamReaderProtocol,StreamReader,EventLoop)", 1, "protocol",
                        f -> new StreamWriter(f.socket, null, f.reader, f.loop)),
                c("StreamWriter.<init>(Transport,StreamReaderProtocol,StreamReader,EventLoop)", 3, "loop",
                        f -> new StreamWriter(f.socket, f.readerProtocol, f.reader, null)),
                c("StreamWriter.write(byte[])", 0, "data", f -> f.streams.writer().write(null)),
                c("StreamWriter.writelines(List)", 0, "data", f -> f.streams.writer().writelines(null)),
                c("StreamWriter.startTls(SSLContext,String)", 0, "ssl", f -> f.streams.writer().startTls(null, null)),
                c("StreamWriter.getExtraInfo(String)", 0, "name", f -> f.streams.writer().getExtraInfo(null)),
                c("StreamWriter.getExtraInfo(String,Object)", 0, "name",
                        f -> f.streams.writer().getExtraInfo(null, "default")),
                // Subprocess
                c("Subprocess.createSubprocessExec(String,String[])", 0, "program",
                        f -> Subprocess.createSubprocessExec(null, "-c", "true")),
                c("Subprocess.createSubprocessExec(String,String[])", 1, "args",
                        f -> Subprocess.createSubprocessExec("true", (String[]) null)),
                new Case("Subprocess.createSubprocessExec(String,String[])", 1, "args", "a null element",
                        f -> Subprocess.createSubprocessExec("echo", "a", null)),
                c("Subprocess.createSubprocessShell(String)", 0, "command", f -> Subprocess.createSubprocessShell(null)),
                c("Subprocess.createSubprocess(ProcessBuilder)", 0, "builder", f -> Subprocess.createSubprocess(null))));
        // Transport, on each implementation
        all.addAll(onEachTransport("Transport.write(byte[])", 0, "data", (t, f) -> t.write(null)));
        all.addAll(onEachTransport("Transport.writelines(List)", 0, "data", (t, f) -> t.writelines(null)));
        all.addAll(onEachTransport("Transport.getExtraInfo(String)", 0, "name", (t, f) -> t.getExtraInfo(null)));
        all.addAll(onEachTransport("Transport.setProtocol(Protocol)", 0, "protocol", (t, f) -> t.setProtocol(null)));
        return all;
    }

    /** A protocol factory that counts its calls. */
    static final class CountingFactory implements Supplier<Protocol> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Protocol get() {
            calls.incrementAndGet();
            return new Protocol() { };
        }
    }

    /** A pipe that records being read or closed; a read blocks until it is closed. */
    static final class Untouched extends InputStream {
        final AtomicInteger touched = new AtomicInteger();
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            touched.incrementAndGet();
            try {
                closed.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return -1;
        }

        @Override
        public void close() {
            touched.incrementAndGet();
            closed.countDown();
        }
    }

    /** A pipe that records being written, flushed or closed. */
    static final class UntouchedOut extends OutputStream {
        final AtomicInteger touched = new AtomicInteger();

        @Override
        public void write(int b) {
            touched.incrementAndGet();
        }

        @Override
        public void flush() {
            touched.incrementAndGet();
        }

        @Override
        public void close() {
            touched.incrementAndGet();
        }
    }

    /**
     * What the calls are given besides their null: a server and connections to it (plain,
     * TLS, streams), pipes, a datagram endpoint, raw channels connected to a listener outside
     * the loop, a file. {@link #state()} is what a call must leave as it was.
     */
    static final class Fixture implements AutoCloseable {
        final EventLoop loop = Asyncio.getRunningLoop();
        final CountingFactory factory = new CountingFactory();
        final AtomicInteger handled = new AtomicInteger();
        final ClientHandler handler = (r, w) -> handled.incrementAndGet();
        final Untouched in = new Untouched();
        final UntouchedOut out = new UntouchedOut();
        final List<Transport> accepted = new ArrayList<>();
        final Server server;
        final int port;
        final Server tlsServer;
        final Transport socket;
        final Transport tls;
        final Transport readPipe;
        final Transport writePipe;
        final DatagramTransport udp;
        final Connection streams;
        final StreamReader reader;
        final StreamReaderProtocol readerProtocol;
        final ServerSocketChannel outside;
        final SocketChannel connected;
        final SocketChannel nonBlocking;
        final SocketChannel unconnected;
        final DatagramChannel datagram;
        final ServerSocketChannel listening;
        final Path dir;
        final Path unixPath;
        final Server unixServer;
        final FileChannel file;
        private int paths;

        Fixture() throws Exception {
            Future<Void> twoAccepted = loop.createFuture();
            server = Network.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    accepted.add(t);
                    if (accepted.size() == 2) {
                        twoAccepted.trySetResult(null);
                    }
                }
            }, "127.0.0.1", 0);
            port = server.port();
            socket = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", port).transport();
            streams = Streams.openConnection("127.0.0.1", port);
            twoAccepted.await();
            tlsServer = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withSsl(TlsContexts.server()));
            tls = Network.createConnection(() -> new Protocol() { }, "127.0.0.1", tlsServer.port(),
                    ConnectionOptions.DEFAULTS.withSsl(TlsContexts.client())).transport();
            readPipe = Network.connectReadPipe(() -> new Protocol() { }, new Untouched()).transport();
            writePipe = Network.connectWritePipe(() -> new Protocol() { }, new UntouchedOut()).transport();
            udp = Network.createDatagramEndpoint(() -> new DatagramProtocol() { },
                    new InetSocketAddress("127.0.0.1", 0), null).transport();
            reader = new StreamReader(16, loop);
            readerProtocol = new StreamReaderProtocol(new StreamReader(16, loop), loop);
            outside = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            connected = SocketChannel.open(outside.getLocalAddress());
            nonBlocking = SocketChannel.open(outside.getLocalAddress());
            nonBlocking.configureBlocking(false);
            unconnected = SocketChannel.open();
            unconnected.configureBlocking(false);
            datagram = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            datagram.configureBlocking(false);
            listening = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            dir = Files.createTempDirectory("jasyncio-nulls");
            unixPath = dir.resolve("u.sock");
            unixServer = Streams.startUnixServer(handler, unixPath);
            Path f = dir.resolve("file");
            Files.write(f, "content".getBytes(StandardCharsets.UTF_8));
            file = FileChannel.open(f);
        }

        Transport transport(String name) {
            return switch (name) {
                case "socket" -> socket;
                case "tls" -> tls;
                case "readPipe" -> readPipe;
                case "writePipe" -> writePipe;
                default -> throw new IllegalArgumentException(name);
            };
        }

        /** A path where nothing is yet, for a server that must not be bound. */
        Path freshPath() {
            return dir.resolve("fresh-" + (paths++) + ".sock");
        }

        /** Everything a call could have done, as a comparable snapshot. */
        Map<String, Object> state() throws IOException {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("open transports and servers", OpenResources.of(loop).snapshot());
            s.put("protocols made", factory.calls.get());
            s.put("clients handled", handled.get());
            s.put("input pipe touched", in.touched.get());
            s.put("output pipe touched", out.touched.get());
            for (Transport t : List.of(socket, tls, readPipe, writePipe)) {
                s.put(t + " protocol", t.getProtocol());
                s.put(t + " closing", t.isClosing());
                s.put(t + " reading", t.isReading());
            }
            s.put("udp closing", udp.isClosing());
            s.put("reader", reader.toString());
            s.put("reader exception", reader.exception());
            for (SelectableChannel ch : List.of(connected, nonBlocking, unconnected, datagram, listening)) {
                s.put(ch + " open", ch.isOpen());
                s.put(ch + " blocking", ch.isBlocking());
                s.put(ch + " registered", ch.isRegistered());
            }
            s.put("file position", file.position());
            try (Stream<Path> files = Files.list(dir)) {
                s.put("files", files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
            }
            return s;
        }

        @Override
        public void close() throws Exception {
            for (java.nio.channels.Channel ch : List.<java.nio.channels.Channel>of(connected, nonBlocking,
                    unconnected, datagram, listening, outside, file)) {
                ch.close();
            }
            in.close();
            // Transports and servers go with the loop (its close() closes them); the files with the directory.
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aNullArgumentIsRefusedByNameBeforeAnyEffect(Case c) throws Throwable {
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, context) -> { }); // the fixture's leftovers, reported at close
        try {
            loop.runUntilComplete(() -> {
                try (Fixture f = new Fixture()) {
                    Map<String, Object> before = f.state();
                    Set<Long> children = children();
                    NullPointerException e = assertThrows(NullPointerException.class, () -> c.call().run(f));
                    assertEquals(c.parameter(), e.getMessage(), "the message names the parameter");
                    Asyncio.sleep(0.01); // anything the call scheduled would run now
                    assertEquals(before, f.state(), "the call had an effect before refusing its null");
                    Set<Long> started = children();
                    started.removeAll(children);
                    assertEquals(Set.of(), started, "the call started a child");
                }
                return null;
            });
        } finally {
            loop.close();
        }
    }

    /** The children of this process now (those of other tests may end meanwhile, none may start). */
    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code Outer.Inner} for a nested type. */
    private static String typeName(Class<?> t) {
        String n = t.getName();
        return n.substring(n.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** How the cases spell a member: {@code Type.name(ParamTypes)}, constructors as {@code <init>}. */
    static String key(Executable m) {
        String params = Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(","));
        String name = m instanceof Constructor ? "<init>" : m.getName();
        return typeName(m.getDeclaringClass()) + "." + name + "(" + params + ")";
    }

    /** The public types of the three packages, from public-api.txt. */
    private static List<Class<?>> publicTypes() throws Exception {
        List<Class<?>> types = new ArrayList<>();
        try (InputStream listing = NullArgumentsTest.class.getResourceAsStream("/org/jasyncio/public-api.txt")) {
            for (String line : new String(listing.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                String name = line.strip();
                if (!name.startsWith("#") && Arrays.stream(PACKAGES).anyMatch(name::startsWith)) {
                    types.add(Class.forName(name));
                }
            }
        }
        return types;
    }

    @Test
    void everyReferenceParameterIsCoveredOrMayBeNull() throws Exception {
        Set<String> parameters = new TreeSet<>();
        for (Class<?> type : publicTypes()) {
            List<Executable> members = new ArrayList<>(Arrays.asList(type.getDeclaredConstructors()));
            members.addAll(Arrays.asList(type.getDeclaredMethods()));
            for (Executable m : members) {
                if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()
                        || (m instanceof Method method && (method.isBridge() || method.getName().equals("equals")))
                        || (type.isEnum() && m.getName().equals("valueOf"))) {
                    continue; // an enum's valueOf is the compiler's (its NPE says "Name is null")
                }
                Class<?>[] types = m.getParameterTypes();
                for (int i = 0; i < types.length; i++) {
                    if (!types[i].isPrimitive()) {
                        parameters.add(key(m) + "#" + i);
                    }
                }
            }
        }
        Set<String> covered = cases().stream().map(Case::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(parameters);
        missing.removeAll(covered);
        missing.removeAll(MAY_BE_NULL);
        assertEquals(Set.of(), missing, "public parameters with no null case: add a case, or to MAY_BE_NULL if the"
                + " documentation lets it be null");
        Set<String> stale = new TreeSet<>(covered);
        stale.addAll(MAY_BE_NULL);
        stale.removeAll(parameters);
        assertEquals(Set.of(), stale, "cases or MAY_BE_NULL entries for parameters that do not exist");
        Set<String> both = new TreeSet<>(covered);
        both.retainAll(MAY_BE_NULL);
        assertEquals(Set.of(), both, "a parameter cannot be both refused and allowed to be null");
        assertTrue(parameters.size() > 100, "the reflection found the public API: " + parameters.size());
    }
}
