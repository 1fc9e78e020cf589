package org.jasyncio.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.internal.Rethrow;

/**
 * Several event loops, each on its own thread, serving one TCP port: the way to use several
 * cores for one server. Each loop runs a server of its own ({@link Network#createServer} or
 * {@code Streams.startServer}, made by the {@link ServerFactory} on that loop) listening with
 * {@code SO_REUSEPORT} ({@link ServerOptions#reusePort()}) on the same host and port, so the
 * system hands each new connection to one of the listening sockets, and the loop that accepts a
 * connection serves it until it closes: its transport, protocol and handler task live on that
 * loop alone. Loops share nothing, so nothing on the hot path takes a lock.
 *
 * <pre>{@code
 * int cores = Runtime.getRuntime().availableProcessors();
 * try (ServerGroup group = ServerGroup.start(cores, "0.0.0.0", 8080, ServerOptions.DEFAULTS,
 *         (host, port, options) -> Streams.startServer(Echo::handle, host, port, options))) {
 *     System.out.println("serving on port " + group.port() + " with " + group.size() + " loops");
 *     group.join();        // until shutdown() from another thread (or a handler), or a loop fails
 * }
 * }</pre>
 *
 * <p>asyncio has no such class: a Python program gets several cores by starting several
 * processes, each with its own loop and {@code loop.create_server(..., reuse_port=True)} on the
 * same port. This class does the same with threads of one JVM, which share the heap but not
 * their loops: code that wants to reach another loop uses {@link EventLoop#callSoonThreadsafe}
 * or {@link EventLoop#runCoroutineThreadsafe} on one of {@link #loops()}.
 *
 * <p>The spreading is the system's. Linux (3.9 and later) picks the socket by a hash of each
 * connection's addresses and ports, so many clients spread evenly but one client's single
 * connection always lands on one loop, and a busy loop still gets its share of new
 * connections: there is no work stealing. Other systems may accept {@code SO_REUSEPORT} without
 * spreading connections (macOS, BSD), and some lack it: with more than one loop, {@link #start}
 * then throws {@link UnsupportedOperationException}.
 *
 * <p>Methods of this class are safe from any thread, except that {@link #start}, {@link #join}
 * and {@link #close()} block and so refuse to run on one of the group's loops (or any running
 * loop, for {@code start}); {@link #shutdown()} may be called from anywhere, a handler on one
 * of the loops included.
 */
public final class ServerGroup implements AutoCloseable {

    /*
     * Implementation overview.
     *
     * Each member is a platform thread running Asyncio.run(serve): serve calls the factory on
     * its loop, checks the server it returns (on this loop, on the group's port), publishes the
     * loop and a stop future, completes `started` with the bound port, and awaits the stop
     * future; after it, it closes the server, closes its clients gracefully and waits for them
     * up to the grace period, then aborts the rest. Asyncio.run then cancels what is left and
     * closes the loop.
     *
     * start() starts member 0 first (port 0 makes it pick the port), then the others on that
     * port, and waits until each has either started or failed; any failure shuts the group
     * down, joins it, and is rethrown unchanged.
     *
     * shutdown() sets `shuttingDown`, then sets each published member's stop future through
     * callSoonThreadsafe. A member publishes its loop before reading `shuttingDown` (both
     * volatile), so a shutdown racing with a start is seen by one side or the other; the stop
     * future is set only if not yet done, on the loop thread, so both sides may try.
     *
     * A member that ends with an exception shuts the group down (fail fast, like a TaskGroup
     * child), and join() rethrows the first such exception.
     */

    /**
     * Starts the server of one loop of a {@link ServerGroup}. Called once on each loop, in a
     * task of that loop, with the group's host, port and options; it must start a server on
     * that loop bound to exactly that host and port with those options, for example
     * {@code (host, port, options) -> Network.createServer(Echo::new, host, port, options)}.
     * It may also set up per-loop state (an exception handler, a cache the loop's handlers
     * share without locks).
     */
    @FunctionalInterface
    public interface ServerFactory {

        /**
         * Starts this loop's server.
         *
         * @param host    the host to bind, as given to {@link ServerGroup#start}
         * @param port    the port to bind: the group's port (never 0 after the first loop)
         * @param options the options to use: the group's, with {@code reusePort} set when the
         *                group has more than one loop
         * @return the server, started on the running loop
         * @throws Exception if it cannot be started; {@link ServerGroup#start} rethrows it
         */
        Server start(String host, int port, ServerOptions options) throws Exception;
    }

    /** How long {@link #shutdown()} lets connections close gracefully before aborting them. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    /** Added to by start() while a failing member may already read it through shutdown(). */
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended;
    private volatile boolean shuttingDown;
    private volatile Duration grace = DEFAULT_SHUTDOWN_GRACE;
    private volatile int port;

    /** One loop of the group, on its thread. */
    private final class Member {
        final int index;
        final CompletableFuture<Integer> started = new CompletableFuture<>();
        final Thread thread;
        volatile EventLoop loop;
        /** Set on the loop thread only. */
        volatile Future<Void> stop;
        volatile Throwable failure;

        Member(int index, String host, int requestedPort, ServerOptions options, ServerFactory factory) {
            this.index = index;
            this.thread = Thread.ofPlatform().name("jasyncio-server-loop-" + index).unstarted(() -> {
                try {
                    Asyncio.run(() -> serve(host, requestedPort, options, factory));
                } catch (Throwable t) {
                    failure = t;
                    if (!started.completeExceptionally(t)) {
                        shutdown(); // started, then failed: fail fast
                    }
                } finally {
                    // A run that returned without starting (cannot happen) must not hang start().
                    started.completeExceptionally(new IllegalStateException("loop " + index + " ended"));
                    ended.countDown();
                }
            });
        }

        private Void serve(String host, int requestedPort, ServerOptions options, ServerFactory factory)
                throws Exception {
            EventLoop l = Asyncio.getRunningLoop();
            Server server = factory.start(host, requestedPort, options);
            if (server == null) {
                throw new NullPointerException("the ServerFactory returned null instead of a server");
            }
            try {
                if (server.getLoop() != l) {
                    throw new IllegalStateException("the ServerFactory must start the server on the loop it is called on;"
                            + " it returned one on " + server.getLoop());
                }
                if (requestedPort != 0 && server.port() != requestedPort) {
                    throw new IllegalStateException("the ServerFactory must bind the port it is given (" + requestedPort
                            + "); its server is on port " + server.port());
                }
            } catch (RuntimeException e) {
                server.close();
                server.abortClients();
                throw e;
            }
            Future<Void> s = l.createFuture();
            stop = s;
            loop = l;
            started.complete(server.port());
            if (shuttingDown) {
                stopSoon();
            }
            try {
                s.await();
            } finally {
                closeGracefully(server);
            }
            return null;
        }

        /** On the loop thread: closes the server, lets its connections close, aborts late ones. */
        private void closeGracefully(Server server) {
            server.close();
            server.closeClients();
            try {
                Asyncio.waitFor(() -> {
                    server.waitClosed();
                    return null;
                }, grace);
            } catch (AsyncTimeoutException e) {
                server.abortClients();
                server.waitClosed();
            }
        }

        /** On the loop thread. */
        private void stopSoon() {
            Future<Void> s = stop;
            if (!s.done()) {
                s.setResult(null);
            }
        }

        /** From any thread. */
        void requestStop() {
            EventLoop l = loop;
            if (l == null || !thread.isAlive()) {
                return;
            }
            try {
                l.callSoonThreadsafe(this::stopSoon);
            } catch (IllegalStateException e) {
                // the loop closed meanwhile: this member has ended
            }
        }
    }

    private ServerGroup(int loops) {
        this.ended = new CountDownLatch(loops);
    }

    /**
     * Starts {@code loops} event loops on as many new threads, each running a server from
     * {@code factory} on {@code host:port}, and returns once every one of them accepts
     * connections. With port 0 the first loop picks an ephemeral port and the others bind it
     * too; {@link #port()} tells which. With more than one loop, {@code reusePort} is set on the
     * options the factory gets.
     *
     * <p>An exception the factory throws on any loop (a {@link java.net.BindException} for a
     * port in use, say) is rethrown unchanged, a checked one too (catch {@code Exception} and
     * test {@code instanceof}), once every loop already started has been shut down.
     *
     * @param loops   how many loops (and threads), at least 1; usually the number of cores
     * @param host    the host to bind, or null or empty for every interface
     * @param port    the port, or 0 for an ephemeral one
     * @param options the server options (their {@code reusePort} is set when {@code loops > 1})
     * @param factory starts one loop's server; see {@link ServerFactory}
     * @return the group, serving
     * @throws IllegalArgumentException      if {@code loops} is below 1 or {@code port} is
     *                                       outside 0..65535
     * @throws NullPointerException          if {@code options} or {@code factory} is null
     * @throws IllegalStateException         if called on a thread running an event loop (it
     *                                       would block that loop), or the factory returned a
     *                                       server on another loop or another port
     * @throws UnsupportedOperationException if {@code loops > 1} and the platform has no
     *                                       {@code SO_REUSEPORT}
     */
    public static ServerGroup start(int loops, String host, int port, ServerOptions options,
            ServerFactory factory) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1: " + loops);
        }
        Connector.checkPort(port);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(factory, "factory");
        if (onRunningLoop()) {
            throw new IllegalStateException("ServerGroup.start() blocks until every loop serves, so it cannot run on an"
                    + " event loop's thread; call it from main or another plain thread");
        }
        ServerOptions shared = loops > 1 ? options.withReusePort(true) : options;
        ServerGroup group = new ServerGroup(loops);
        Member first = group.add(0, host, port, shared, factory);
        Throwable failure = awaitStarted(first);
        if (failure == null) {
            group.port = first.started.join();
            for (int i = 1; i < loops; i++) {
                group.add(i, host, group.port, shared, factory);
            }
            for (Member m : group.members) {
                Throwable f = awaitStarted(m);
                failure = failure == null ? f : failure;
            }
            for (Member m : group.members) {
                // One that served, then failed while the others started, shut the group down already.
                failure = failure == null ? m.failure : failure;
            }
        } else {
            // The latch counts every loop; those never started count as ended.
            for (int i = 1; i < loops; i++) {
                group.ended.countDown();
            }
        }
        if (failure != null) {
            group.shutdown();
            if (group.awaitEndedUninterruptibly()) {
                Thread.currentThread().interrupt();
            }
            throw Rethrow.unchecked(failure);
        }
        return group;
    }

    private Member add(int index, String host, int requestedPort, ServerOptions options, ServerFactory factory) {
        Member m = new Member(index, host, requestedPort, options, factory);
        members.add(m);
        m.thread.start();
        return m;
    }

    /** Waits for the member to serve or fail; returns its failure, or null. */
    private static Throwable awaitStarted(Member m) {
        try {
            m.started.join();
            return null;
        } catch (CompletionException e) {
            return m.failure != null ? m.failure : e.getCause();
        }
    }

    private static boolean onRunningLoop() {
        try {
            Asyncio.getRunningLoop();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * The port every loop listens on: the ephemeral one picked when 0 was asked.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * How many loops the group runs.
     *
     * @return the number of loops, as given to {@link #start}
     */
    public int size() {
        return members.size();
    }

    /**
     * The group's loops, in order, for reaching one from another thread with
     * {@link EventLoop#callSoonThreadsafe} or {@link EventLoop#runCoroutineThreadsafe}. A loop
     * that has ended is closed.
     *
     * @return a read-only list of {@link #size()} loops
     */
    public List<EventLoop> loops() {
        return members.stream().map(m -> m.loop).toList();
    }

    /**
     * Whether the calling thread is one of the group's loop threads: true in a handler or
     * protocol callback of one of its servers.
     *
     * @return true on a loop of this group
     */
    public boolean inGroup() {
        Thread me = Thread.currentThread();
        for (Member m : members) {
            EventLoop l = m.loop;
            // The member's own thread, or its loop's: on the virtual strand Asyncio.run runs the
            // loop on a virtual thread of its own, and the tasks on threads of their own.
            if (m.thread == me || l != null && l.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Begins shutting the group down and returns at once: each loop stops accepting, closes
     * its connections gracefully (asyncio's {@code Server.close()} then
     * {@code close_clients()}), waits up to {@link #DEFAULT_SHUTDOWN_GRACE} for them to close,
     * aborts the rest, and ends. Idempotent; safe from any thread, a handler of one of the
     * loops included. {@link #join()} waits for the end.
     */
    public void shutdown() {
        shuttingDown = true;
        for (Member m : members) {
            m.requestStop();
        }
    }

    /**
     * {@link #shutdown()} with another grace period for open connections.
     *
     * @param grace how long connections may take to close before they are aborted; zero
     *              aborts them at once
     * @throws NullPointerException     if {@code grace} is null
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public void shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        this.grace = grace;
        shutdown();
    }

    /**
     * Waits until every loop has ended (after {@link #shutdown()}, or after one loop failed,
     * which shuts the others down). Returns normally when every loop ended cleanly; otherwise
     * rethrows, unchanged, the exception of the first loop that failed. Like
     * {@link Thread#join()}.
     *
     * @throws InterruptedException  if the calling thread is interrupted while waiting (the
     *                               loops go on)
     * @throws IllegalStateException if called on one of the group's loops (it would wait for
     *                               itself)
     */
    public void join() throws InterruptedException {
        refuseOnOwnLoop("join()");
        ended.await();
        for (Member m : members) {
            m.thread.join();
        }
        rethrowFailure();
    }

    /**
     * {@link #shutdown()} then waits until every loop has ended and closed, as
     * {@link #join()} does. If the calling thread is interrupted meanwhile, the connections
     * still open are aborted at once (as {@code ExecutorService.close()} stops its tasks), the
     * wait goes on, and the interrupt status is set again before returning.
     *
     * @throws IllegalStateException if called on one of the group's loops
     */
    @Override
    public void close() {
        refuseOnOwnLoop("close()");
        shutdown();
        if (awaitEndedUninterruptibly()) {
            Thread.currentThread().interrupt();
        }
        rethrowFailure();
    }

    private void refuseOnOwnLoop(String what) {
        if (inGroup()) {
            throw new IllegalStateException(what + " on one of the group's own loops would wait for itself;"
                    + " call shutdown() there, and close() or join() from another thread");
        }
    }

    private void rethrowFailure() {
        for (Member m : members) {
            if (m.failure != null) {
                throw Rethrow.unchecked(m.failure);
            }
        }
    }

    /** Waits for every loop to end; an interrupt aborts the open connections. Returns whether one came. */
    private boolean awaitEndedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                for (Member m : members) {
                    m.thread.join();
                }
                return interrupted;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdown(Duration.ZERO);
                }
                interrupted = true;
            }
        }
    }

    @Override
    public String toString() {
        return "ServerGroup[" + members.size() + " loops on port " + port + (shuttingDown ? ", shutting down]" : "]");
    }
}
