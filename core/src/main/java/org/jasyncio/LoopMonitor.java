package org.jasyncio;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One loop's {@link EventLoopMXBean}: registered in the platform MBean server when the loop
 * starts running, unregistered when it stops or is closed. Registration is best effort: a
 * failure (a security policy, a name taken by another class loader's copy of jasyncio) leaves
 * the loop unmonitored and running.
 */
final class LoopMonitor implements EventLoopMXBean {

    /** {@code -Djasyncio.jmx=false} turns registration off. */
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("jasyncio.jmx"));
    private static final AtomicLong IDS = new AtomicLong();

    private final EventLoop loop;
    private final long id;
    private ObjectName name;
    private boolean registered;

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
        m.register();
    }

    /** Unregisters {@code loop}'s bean, if it has one; when it stops running or closes. */
    static void stopped(EventLoop loop) {
        LoopMonitor m = loop.monitor;
        if (m != null) {
            m.unregister();
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
