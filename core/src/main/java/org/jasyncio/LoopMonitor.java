package org.jasyncio;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One loop's {@link EventLoopMXBean}: registered in the platform MBean server once the loop
 * has been running for {@link #delayMillis} (a second by default), unregistered when it stops
 * or is closed. Registration is best effort: a failure (a security policy, a name taken by
 * another class loader's copy of jasyncio) leaves the loop unmonitored and running.
 */
final class LoopMonitor implements EventLoopMXBean {

    /* Implementation overview: why the delay. The first use of the platform MBean server
     * builds it and registers the JVM's own beans, which costs from a hundred milliseconds to
     * a second of CPU, and each registration with its unregistration about half a
     * millisecond: registering every loop as runForever starts would triple the cost of a
     * short Asyncio.run and delay every program's start. The loop thread only schedules the
     * registration on one daemon thread ("jasyncio-jmx") and cancels it when the loop stops
     * first, so short runs (most tests, one-shot scripts) never touch JMX, while a program
     * that runs long enough to get stuck is registered a second after it starts.
     *
     * The worker registers under this monitor's lock only if the run it was scheduled for is
     * still on (generation and running); stopped() unregisters under the same lock, so a
     * registration racing with a stop is undone, never left behind. The loop thread takes
     * that lock only when starting and stopping, never while tasks run. */

    /** {@code -Djasyncio.jmx=false} turns registration off. */
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("jasyncio.jmx"));
    /**
     * How long a loop runs before it is registered, in milliseconds; {@code -Djasyncio.jmx.delay}
     * sets it (0 registers at once). Tests of this package set it directly.
     */
    static volatile long delayMillis = Long.getLong("jasyncio.jmx.delay", 1000L);
    private static final AtomicLong IDS = new AtomicLong();

    private final EventLoop loop;
    private final long id;
    private ObjectName name;
    private boolean registered;
    private boolean running;
    private long generation;
    private ScheduledFuture<?> pending;

    private LoopMonitor(EventLoop loop) {
        this.loop = loop;
        this.id = IDS.incrementAndGet();
    }

    /** Registers {@code loop}'s bean; {@link EventLoop#runForever()} calls it on its thread. */
    static void started(EventLoop loop) {
        if (!ENABLED) {
            return;
        }
        LoopMonitor m = loop.monitor;
        if (m == null) {
            m = new LoopMonitor(loop);
            loop.monitor = m;
        }
        m.scheduleRegistration();
    }

    /** Unregisters {@code loop}'s bean, or cancels its registration; when it stops or closes. */
    static void stopped(EventLoop loop) {
        LoopMonitor m = loop.monitor;
        if (m != null) {
            m.stop();
        }
    }

    private synchronized void scheduleRegistration() {
        running = true;
        long run = ++generation;
        long delay = delayMillis;
        if (delay <= 0) {
            register();
            return;
        }
        pending = Worker.EXECUTOR.schedule(() -> registerIfStillRunning(run), delay, TimeUnit.MILLISECONDS);
    }

    private void registerIfStillRunning(long run) {
        server(); // the first call builds the platform server (slow): not while holding the lock stop() needs
        synchronized (this) {
            if (running && generation == run) {
                register();
            }
        }
    }

    private synchronized void stop() {
        running = false;
        ScheduledFuture<?> p = pending;
        if (p != null) {
            pending = null;
            p.cancel(false);
        }
        unregister();
    }

    /** The daemon thread that registers loops, made when a loop first runs with a delay. */
    private static final class Worker {
        static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jasyncio-jmx");
            t.setDaemon(true);
            return t;
        });

        static {
            EXECUTOR.setRemoveOnCancelPolicy(true); // a cancelled registration leaves nothing queued
        }
    }

    /** The loop's number, or null if it never ran with registration on. */
    static String idOf(EventLoop loop) {
        LoopMonitor m = loop.monitor;
        return m == null ? null : Long.toString(m.id);
    }

    private void register() {
        if (registered) {
            return;
        }
        try {
            if (name == null) {
                name = new ObjectName("org.jasyncio:type=EventLoop,id=" + id);
            }
            server().registerMBean(this, name);
            registered = true;
        } catch (JMException | RuntimeException e) {
            // Monitoring is optional: the loop runs without it.
        }
    }

    private void unregister() {
        if (!registered) {
            return;
        }
        registered = false;
        try {
            server().unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            // Already gone (someone unregistered it by hand): nothing to undo.
        }
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public String getThreadName() {
        Thread t = loop.thread();
        return t == null ? null : t.getName();
    }

    @Override
    public String getStrand() {
        return loop.strands().name();
    }

    @Override
    public int getTaskCount() {
        return loop.taskCount();
    }

    @Override
    public String dumpTasks() {
        return loop.dumpTasks();
    }

    @Override
    public String dumpTaskTree() {
        return loop.dumpTaskTree();
    }
}
