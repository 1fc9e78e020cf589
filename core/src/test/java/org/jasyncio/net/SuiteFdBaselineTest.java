package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Selector;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.jasyncio.Asyncio;
import org.jasyncio.process.Subprocess;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs first in each Surefire execution (junit-platform.properties orders classes by
 * {@link Order}; unannotated classes run after this one): warms up what opens a file descriptor
 * once and keeps it (jars, JDK pollers, entropy sources), then records the open fds for
 * {@link SuiteFdLeakTest}, which runs last. Together they pin asyncio's contract that every
 * channel is closed when its transport or server is, over the whole suite's network tests.
 */
@Order(Integer.MIN_VALUE)
@Timeout(60)
class SuiteFdBaselineTest {

    @Test
    void recordOpenFdsAfterWarmUp() throws Exception {
        assertNotNull(ClassOrderer.OrderAnnotation.class); // the orderer the properties file names
        try (Selector selector = Selector.open()) {
            selector.selectNow();
        }
        SSLContext tls = SSLContext.getDefault();
        SSLEngine engine = tls.createSSLEngine();
        engine.setUseClientMode(true);
        engine.beginHandshake();
        blockingSocketIoOnVirtualThread();
        NetFdLeakTest.networkWork();
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("true");
            assertEquals(0, p.waitFor());
        });
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        p.getInputStream().close();
        p.getErrorStream().close();
        p.getOutputStream().close();
        System.gc();
        OpenFds.baseline = OpenFds.snapshot();
    }

    /** The JDK's virtual-thread poller opens its epoll fds on first blocking I/O and keeps them. */
    private static void blockingSocketIoOnVirtualThread() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread reader = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    in.read(); // parks the virtual thread on the poller
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    OutputStream out = c.getOutputStream()) {
                Thread.sleep(10);
                out.write(1);
                reader.join();
            }
        }
    }
}
