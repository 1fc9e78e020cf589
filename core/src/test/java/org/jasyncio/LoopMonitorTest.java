package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EventLoopMXBean: registered while a loop runs, gone once it stops or closes. */
class LoopMonitorTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static long savedDelay;

    @BeforeAll
    static void registerAtOnce() {
        savedDelay = LoopMonitor.delayMillis;
        LoopMonitor.delayMillis = 0;
    }

    @AfterAll
    static void restoreDelay() {
        LoopMonitor.delayMillis = savedDelay;
    }

    @Test
    void withADelayOnlyALoopThatRunsThatLongIsRegistered() throws Exception {
        LoopMonitor.delayMillis = 300;
        try {
            Asyncio.run(() -> assertEquals(Set.of(), loopsOfThisThread(), "not yet"));
            Asyncio.run(() -> {
                for (int i = 0; i < 100 && loopsOfThisThread().isEmpty(); i++) {
                    Asyncio.sleep(0.05);
                }
                assertEquals(1, loopsOfThisThread().size(), "registered once it ran long enough");
            });
        } finally {
            LoopMonitor.delayMillis = 0;
        }
    }

    /** The bean names of the loops running on this thread (the loop's, on the virtual strand too). */
    private static Set<ObjectName> loopsOfThisThread() throws Exception {
        String thread = Asyncio.getRunningLoop().thread().getName();
        Set<ObjectName> names = SERVER.queryNames(new ObjectName("org.jasyncio:type=EventLoop,*"), null);
        names.removeIf(n -> {
            try {
                return !thread.equals(SERVER.getAttribute(n, "ThreadName"));
            } catch (Exception gone) {
                return true;
            }
        });
        return names;
    }

    @Test
    void registeredWhileRunningAndGoneAfterwards() throws Exception {
        ObjectName name = Asyncio.run(() -> {
            Asyncio.createTask(() -> Asyncio.sleep(60), "sleeper");
            Asyncio.sleep(0);
            Set<ObjectName> names = loopsOfThisThread();
            assertEquals(1, names.size(), names.toString());
            ObjectName n = names.iterator().next();
            assertTrue(n.toString().matches("org\\.jasyncio:type=EventLoop,id=\\d+"), n.toString());
            EventLoopMXBean bean = JMX.newMXBeanProxy(SERVER, n, EventLoopMXBean.class);
            assertEquals(Asyncio.strandName(), bean.getStrand());
            assertEquals(2, bean.getTaskCount());
            // Invoked as a JMX client would; made on the loop, which is this task's: the dump
            // is made at once, since the caller is on the loop.
            String table = (String) SERVER.invoke(n, "dumpTasks", null, null);
            assertTrue(table.contains(" sleeper ") && table.contains(" sleep 60 s"), table);
            assertTrue(table.startsWith("event loop " + bean.getId() + " on thread"), table);
            String tree = (String) SERVER.invoke(n, "dumpTaskTree", null, null);
            assertTrue(tree.contains("└── (T) sleeper  waiting"), tree);
            return n;
        });
        assertFalse(SERVER.isRegistered(name), "unregistered when the loop stopped");
    }

    @Test
    void eachRunRegistersAgainUnderTheSameIdAndCloseUnregisters() throws Exception {
        EventLoop loop = new EventLoop();
        try {
            ObjectName first = loop.runUntilComplete(() -> loopsOfThisThread().iterator().next());
            assertFalse(SERVER.isRegistered(first));
            ObjectName second = loop.runUntilComplete(() -> {
                ObjectName n = loopsOfThisThread().iterator().next();
                loop.stop(); // stop, then close: close must not leave it behind either
                return n;
            });
            assertEquals(first, second);
            assertFalse(SERVER.isRegistered(second));
        } finally {
            loop.close();
        }
        EventLoop other = new EventLoop();
        try {
            ObjectName n = other.runUntilComplete(() -> loopsOfThisThread().iterator().next());
            assertFalse(n.equals(new ObjectName("org.jasyncio:type=EventLoop,id=" + LoopMonitor.idOf(loop))),
                    "every loop has its own id");
        } finally {
            other.close();
        }
    }

    @Test
    void twoLoopsOnTwoThreadsAreTwoBeans() throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread other = Thread.ofPlatform().name("second-loop").start(() -> Asyncio.run(() -> {
            running.countDown();
            Asyncio.toThread(() -> {
                release.await();
                return null;
            }).await();
        }));
        running.await();
        try {
            Asyncio.run(() -> {
                Set<ObjectName> all = SERVER.queryNames(new ObjectName("org.jasyncio:type=EventLoop,*"), null);
                assertTrue(all.stream().anyMatch(n -> threadOf(n).equals("second-loop")), all.toString());
                assertTrue(all.stream().anyMatch(n -> threadOf(n).equals(Asyncio.getRunningLoop().thread().getName())), all.toString());
                ObjectName theirs = all.stream().filter(n -> threadOf(n).equals("second-loop")).findFirst().orElseThrow();
                // From this loop's thread to the other loop: made there, answered here.
                String table = (String) SERVER.invoke(theirs, "dumpTasks", null, null);
                assertTrue(table.contains("on thread \"second-loop\""), table);
                assertTrue(table.lines().anyMatch(l -> l.contains(" waiting ") && l.contains("Future 0x")
                        || l.contains("toThread")), table);
            });
        } finally {
            release.countDown();
            other.join();
        }
    }

    private static String threadOf(ObjectName n) {
        try {
            return String.valueOf(SERVER.getAttribute(n, "ThreadName"));
        } catch (Exception gone) {
            return "";
        }
    }
}
