package org.jasyncio.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The baseline: blocking sockets, one virtual thread per connection (JDK 25 default scheduler). */
final class VirtualThreadEchoPeer implements EchoPeer {

    private ServerSocket listener;
    private Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "java-vthreads";
    }

    @Override
    public int start(int backlog) throws IOException {
        listener = new ServerSocket(0, backlog, InetAddress.getByName("127.0.0.1"));
        acceptor = Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return listener.getLocalPort();
    }

    private void serve(Socket s) {
        byte[] buf = new byte[65536];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // peer gone
        } finally {
            sockets.remove(s);
        }
    }

    @Override
    public void stop() throws Exception {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.join(10_000);
    }
}
