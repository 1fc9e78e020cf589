package org.jasyncio.net;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.LoopLocal;
import org.jasyncio.internal.UserFrames;

/**
 * The transports and servers of one event loop that are still open, so that closing the loop
 * closes them: what asyncio does when it collects a transport left open ({@code __del__}
 * warns "unclosed transport" with a {@code ResourceWarning} and closes its socket), done here
 * at once when the loop closes, so that a port, a socket file or a pipe is free when the next
 * loop wants it.
 *
 * <p>It is the loop's {@link LoopLocal} value, and {@link #close()} is that loop-local's
 * close action: the loop's {@code close()} calls it after reporting the pending tasks and
 * before tearing anything down.
 */
final class OpenResources implements AutoCloseable {
    /* Implementation overview:
     * A transport registers once it is fully made (BaseTransport.register(), called by each
     * subclass) and leaves when it releases what it holds, right after connectionLost
     * (BaseTransport.release()); a server registers when it is made and leaves in close(). So
     * what is registered when the loop closes is exactly what still holds an OS resource:
     * never closed, or closing but whose connectionLost had not run yet (a pipe's close, say,
     * goes through its thread). close() reports what the program never closed to the loop's
     * exception handler ("unclosed server ..." for servers, which asyncio leaves to their
     * sockets' warnings, "unclosed transport ..." for transports; one that is closing was
     * closed by the program, or by an error, and is not reported), servers first so that
     * nothing more is accepted, then frees each with closeAtLoopClose(): the channel, pipe or socket file is
     * closed directly, without scheduling anything on the loop and without calling the
     * protocol, as asyncio's __del__ does, so it works whether the loop is already marked
     * closed or not. Registration happens on the loop's thread, close() on the thread closing
     * the loop: the sets are guarded by this object's monitor. In debug mode each entry also
     * keeps the user frame that registered it (UserFrames.callerIf), and its report ends with
     * "created at" that frame, as asyncio's ResourceWarning shows the source traceback only
     * in debug mode.
     */

    private static final LoopLocal<OpenResources> OF_LOOP = new LoopLocal<>(OpenResources::new, OpenResources::close);

    private final Set<BaseTransport<?, ?>> transports = new LinkedHashSet<>();
    private final Set<SocketServer> servers = new LinkedHashSet<>();
    /** Debug mode only: where each entry was made, by identity. */
    private final Map<Object, StackTraceElement> createdAt = new IdentityHashMap<>();

    private OpenResources() {
    }

    /** The registry of {@code loop}. */
    static OpenResources of(EventLoop loop) {
        return OF_LOOP.get(loop);
    }

    void add(BaseTransport<?, ?> t) {
        StackTraceElement at = UserFrames.callerIf(t.loop.getDebug());
        synchronized (this) {
            transports.add(t);
            remember(t, at);
        }
    }

    synchronized void remove(BaseTransport<?, ?> t) {
        transports.remove(t);
        createdAt.remove(t);
    }

    void add(SocketServer s) {
        StackTraceElement at = UserFrames.callerIf(s.getLoop().getDebug());
        synchronized (this) {
            servers.add(s);
            remember(s, at);
        }
    }

    synchronized void remove(SocketServer s) {
        servers.remove(s);
        createdAt.remove(s);
    }

    private void remember(Object resource, StackTraceElement at) {
        if (at != null) {
            createdAt.put(resource, at);
        }
    }

    /** What is registered now, servers first, each in the order it registered. */
    synchronized List<Object> snapshot() {
        List<Object> all = new ArrayList<>(servers);
        all.addAll(transports);
        return all;
    }

    /**
     * Reports and closes every server and transport still open; they leave the registry. Called
     * when the loop closes, on the thread closing it; idempotent.
     */
    @Override
    public void close() {
        List<SocketServer> s;
        List<BaseTransport<?, ?>> t;
        Map<Object, StackTraceElement> at;
        synchronized (this) {
            s = new ArrayList<>(servers);
            t = new ArrayList<>(transports);
            at = new IdentityHashMap<>(createdAt);
            servers.clear();
            transports.clear();
            createdAt.clear();
        }
        for (SocketServer server : s) {
            report(server.getLoop(), "unclosed server " + server + UserFrames.createdAt(at.get(server)));
            server.closeAtLoopClose();
        }
        for (BaseTransport<?, ?> transport : t) {
            if (!transport.isClosing()) {
                report(transport.loop, "unclosed transport " + transport + UserFrames.createdAt(at.get(transport)));
            }
            transport.closeAtLoopClose();
        }
    }

    private static void report(EventLoop loop, String message) {
        loop.callExceptionHandler(new ExceptionContext(message, null, null, null, null));
    }
}
