package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.locks.ReentrantLock;
import org.jasyncio.internal.strand.Strands;
import org.junit.jupiter.api.Test;

/**
 * Debug mode's check at each suspension ({@link DebugMode#checkNoLockHeld}): a task that
 * suspends while its thread holds a monitor. On the continuation strand the suspension fails
 * at once, stating the rule; on the virtual strand it is not seen at the
 * suspension (ThreadMXBean does not report virtual threads), and a second task contending for
 * the lock is reported with both tasks' stacks.
 */
class DebugModeLockTest {

    private static boolean onContinuations() {
        return Asyncio.strandName().equals("continuation");
    }

    @Test
    void onTheContinuationStrandSuspendingInsideSynchronizedFailsWithBothStacks() {
        assumeTrue(onContinuations(), "continuation strand only");
        Object monitor = new Object();
        try (Runner runner = Runner.builder().debug(true).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> {
                Task<Void> holder = Asyncio.createTask(() -> holdAcrossSleep(monitor), "holder");
                try {
                    holder.await();
                } finally {
                    assertFalse(Thread.holdsLock(monitor), "the failed suspension unwound the synchronized block");
                }
            }));
            String m = e.getMessage();
            assertTrue(m.startsWith("Task holder created at org.jasyncio.DebugModeLockTest"), m);
            assertTrue(m.contains("holds the monitor of java.lang.Object@"), m);
            // Where the lock was taken ...
            assertTrue(m.matches("(?s).*\\(synchronized\\), taken at \\S*org\\.jasyncio\\.DebugModeLockTest\\.holdAcrossSleep.*"), m);
            assertTrue(m.contains(Strands.LOCK_RULE), m);
            // ... and where the task tried to suspend: the exception's own stack.
            assertEquals("holdAcrossSleep", firstFrameOf(e, DebugModeLockTest.class).getMethodName());
            // The loop is fine: another task enters the monitor and suspends without holding it.
            assertEquals("ok", runner.run(() -> {
                synchronized (monitor) {
                    Thread.onSpinWait();
                }
                Asyncio.sleep(0);
                return "ok";
            }));
        }
    }

    private static Void holdAcrossSleep(Object monitor) {
        synchronized (monitor) {
            Asyncio.sleep(0.01);
        }
        return null;
    }

    private static StackTraceElement firstFrameOf(Throwable e, Class<?> c) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().equals(c.getName())) {
                return f;
            }
        }
        throw new AssertionError("no frame of " + c.getName());
    }

    @Test
    void aReentrantLockHeldAcrossASuspensionIsNotDetected() {
        // Asking ThreadMXBean for ownable synchronizers walks the heap (about 1.7 ms): not done.
        ReentrantLock lock = new ReentrantLock();
        try (Runner runner = Runner.builder().debug(true).build()) {
            assertEquals(5, runner.run(() -> {
                lock.lock();
                try {
                    Asyncio.sleep(0);
                } finally {
                    lock.unlock();
                }
                return 5;
            }));
        }
    }

    @Test
    void aMonitorHeldByTheCallerOfTheLoopIsNotTheTasks() {
        Object outer = new Object();
        try (Runner runner = Runner.builder().debug(true).build()) {
            synchronized (outer) {
                assertEquals(1, runner.run(() -> {
                    Asyncio.sleep(0);
                    return 1;
                }));
            }
        }
    }

    @Test
    void aLockReleasedBeforeTheSuspensionIsFine() {
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        try (Runner runner = Runner.builder().debug(true).build()) {
            assertEquals(2, runner.run(() -> {
                synchronized (monitor) {
                    lock.lock();
                    lock.unlock();
                }
                Asyncio.sleep(0);
                return 2;
            }));
        }
    }

    @Test
    void outOfDebugModeNothingIsChecked() {
        assumeTrue(onContinuations(), "the continuation strand is the one that checks");
        ReentrantLock lock = new ReentrantLock();
        try (Runner runner = Runner.builder().debug(false).build()) {
            assertEquals(3, runner.run(() -> {
                lock.lock();
                try {
                    Asyncio.sleep(0); // the hazard, unchecked: the same thread re-enters afterwards
                } finally {
                    lock.unlock();
                }
                return 3;
            }));
        }
    }

    @Test
    void onTheVirtualStrandTheSuspensionPassesAndContentionIsReportedWithBothStacks() {
        assumeTrue(!onContinuations(), "virtual strand only");
        Object monitor = new Object();
        Runner runner = Runner.builder().debug(true).build();
        runner.getLoop().setExceptionHandler((l, c) -> { });
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> {
                Asyncio.createTask(() -> holdAcrossSleep(monitor), "holder");
                Asyncio.sleep(0.001); // the holder is suspended inside its synchronized block now
                Asyncio.createTask(() -> {
                    synchronized (monitor) {
                        return null;
                    }
                }, "contender").await();
            }));
            assertTrue(e.getMessage().contains(Strands.LOCK_RULE), e.getMessage());
            assertTrue(e.getMessage().startsWith("Task[contender"), e.getMessage());
            // The contender's stack is the cause's; the holder's is attached as suppressed.
            Throwable cause = e.getCause();
            boolean holderShown = false;
            for (Throwable s : cause.getSuppressed()) {
                holderShown |= s.getMessage().startsWith("Task[holder")
                        && firstFrameOf(s, DebugModeLockTest.class).getMethodName().equals("holdAcrossSleep");
            }
            assertTrue(holderShown, java.util.Arrays.toString(cause.getSuppressed()));
        } finally {
            runner.close();
        }
    }
    @Test
    void aLockTheLoopsThreadOwnedBeforeTheLoopRanIsNotTheTasks() throws Exception {
        // A ThreadPoolExecutor worker owns its Worker lock while it runs anything, the loop included.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Runner runner = Runner.builder().debug(true).build()) {
            assertEquals(4, pool.submit(() -> runner.run(() -> {
                Asyncio.sleep(0);
                return 4;
            })).get(10, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdown();
        }
    }
}
