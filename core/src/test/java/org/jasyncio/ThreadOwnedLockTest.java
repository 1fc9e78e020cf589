package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jasyncio.internal.strand.StrandBlockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thread-owned locks (monitors, {@link ReentrantLock}, {@link ReentrantReadWriteLock}'s write
 * lock) held across a suspension: what each strand does, pinned by tests, and the virtual
 * strand's detection of the deadlock that follows. The rule for users is in README.md ("never
 * hold a thread-owned lock across a suspension point"); these tests pin what happens when it is
 * broken. Most are strand-specific: each says why it skips on the other strand.
 *
 * <p>The continuation strand's case where the JVM does report the held monitor (only with
 * {@code -XX:LockingMode=1} on JDK 25) runs in a child JVM: {@link MonitorPinnedTest}.
 *
 * <p>Each test runs on a thread of its own, abandoned on time-out: a wedged loop thread ignores
 * interrupts (the virtual strand's hand-off keeps them for later), and a thread blocked entering
 * a monitor cannot be interrupted at all, so interrupting the test's thread would not end it.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadOwnedLockTest {

    private static boolean onContinuations() {
        return Asyncio.strandName().equals("continuation");
    }

    // ------------------------------------------------------------------ the continuation strand

    @Test
    void onTheContinuationStrandSuspendingInsideSynchronizedIsSilentAndTheMonitorStaysHeldByNoThread() {
        // Every task runs on the loop thread, so this is about that strand only; the virtual
        // strand's behaviour is pinned by the tests further down.
        assumeTrue(onContinuations(), "continuation strand only");
        // JDK 25's default (lightweight) locking freezes the held monitor with the task's stack
        // and reports nothing: the suspension succeeds. While the task is suspended, the loop
        // thread does not hold the monitor, yet it stays held: any thread entering it blocks
        // until the task resumes and leaves. A second task of the loop entering it would block
        // the loop thread itself, which alone could resume the holder: the loop would hang for
        // good (not run here, as nothing could end it). A later JDK that changes any of this
        // fails this test, and the README's rule and docs/ARCHITECTURE.md need another look.
        Object monitor = new Object();
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Future<Void> release = Asyncio.getRunningLoop().createFuture();
            Task<Void> holder = Asyncio.createTask(() -> {
                synchronized (monitor) {
                    log.add("holder in");
                    release.await(); // no error: the JVM reports no pinned monitor
                    log.add("holder resumed, holds it: " + Thread.holdsLock(monitor));
                }
            }, "holder");
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            log.add("loop thread holds it while the holder is suspended: " + Thread.holdsLock(monitor));
            Thread other = Thread.ofPlatform().name("enters-the-monitor").start(() -> {
                synchronized (monitor) {
                    log.add("other thread in");
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (other.getState() != Thread.State.BLOCKED) {
                assertTrue(System.nanoTime() < deadline, "the other thread never blocked: " + other.getState());
                Asyncio.sleep(0.005);
            }
            log.add("other thread blocked");
            release.setResult(null);
            holder.await();
            Asyncio.toThread(() -> {
                other.join();
                return null;
            }).await();
        });
        assertEquals(List.of("holder in", "loop thread holds it while the holder is suspended: false",
                "other thread blocked", "holder resumed, holds it: true", "other thread in"), log);
    }

    @Test
    void onTheContinuationStrandASecondTaskWalksIntoAnInflatedMonitorASuspendedTaskHolds() {
        assumeTrue(onContinuations(), "continuation strand only: the virtual strand's second task blocks instead");
        // Object.wait inflates the monitor; an inflated monitor frozen with the task's stack stays
        // owned by the loop thread, so a second task of the loop enters it as a reentrant lock:
        // no mutual exclusion at all. Whether a monitor is inflated is the JVM's business, so the
        // same code either hangs the loop (see the test above) or loses exclusion.
        Object monitor = new Object();
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Future<Void> release = Asyncio.getRunningLoop().createFuture();
            Task<Void> first = Asyncio.createTask(() -> {
                synchronized (monitor) {
                    monitor.wait(1);
                    log.add("first in");
                    release.await();
                    log.add("first out");
                }
            }, "first");
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            Task<Void> second = Asyncio.createTask(() -> {
                synchronized (monitor) {
                    log.add("second in");
                }
            }, "second");
            second.await();
            release.setResult(null);
            first.await();
        });
        assertEquals(List.of("first in", "second in", "first out"), log);
    }

    @Test
    void onTheContinuationStrandASecondTaskWalksIntoAReentrantLockASuspendedTaskHolds() {
        assumeTrue(onContinuations(), "continuation strand only: the virtual strand's second task blocks instead");
        // Documented, not detected: every task is the loop thread, and the lock is reentrant per
        // thread. Nothing the JVM offers tells this apart from a correct reentrant use cheaply.
        ReentrantLock lock = new ReentrantLock();
        assertEquals(List.of("first holds 1", "second holds 2", "first holds 1 again"),
                secondTaskEntersWhileFirstIsSuspended(lock::lock, lock::unlock, lock::getHoldCount));
        assertFalse(lock.isLocked());
    }

    @Test
    void onTheContinuationStrandASecondTaskWalksIntoAWriteLockASuspendedTaskHolds() {
        assumeTrue(onContinuations(), "continuation strand only: the virtual strand's second task blocks instead");
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        assertEquals(List.of("first holds 1", "second holds 2", "first holds 1 again"),
                secondTaskEntersWhileFirstIsSuspended(rw.writeLock()::lock, rw.writeLock()::unlock,
                        rw::getWriteHoldCount));
        assertFalse(rw.isWriteLocked());
    }

    /** The first task takes the lock and suspends; the second takes it too, without waiting. */
    private static List<String> secondTaskEntersWhileFirstIsSuspended(Runnable lock, Runnable unlock,
                                                                      java.util.function.IntSupplier holds) {
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Future<Void> release = Asyncio.getRunningLoop().createFuture();
            Task<Void> first = Asyncio.createTask(() -> {
                lock.run();
                try {
                    log.add("first holds " + holds.getAsInt());
                    release.await();
                    log.add("first holds " + holds.getAsInt() + " again");
                } finally {
                    unlock.run();
                }
            }, "first");
            Asyncio.sleep(0);
            Task<Void> second = Asyncio.createTask(() -> {
                lock.run();
                try {
                    log.add("second holds " + holds.getAsInt());
                } finally {
                    unlock.run();
                }
            }, "second");
            second.await();
            release.setResult(null);
            first.await();
        });
        return log;
    }

    // ------------------------------------------------------------------ the virtual strand

    @Test
    void onTheVirtualStrandATaskSuspendsInsideSynchronizedWithoutAnyReport() {
        // On the continuation strand the same suspension is pinned by the first test above.
        assumeTrue(!onContinuations(), "virtual strand only");
        // Since JEP 491 (JDK 24) a virtual thread parks inside synchronized without pinning its
        // carrier and without any report: alone, the task is fine.
        Object monitor = new Object();
        boolean held = Asyncio.run(() -> {
            synchronized (monitor) {
                Asyncio.sleep(0.001);
                return Thread.holdsLock(monitor);
            }
        });
        assertTrue(held);
    }

    @Test
    void onTheVirtualStrandATaskBlockedOnAMonitorASuspendedTaskHoldsFailsTheLoop() {
        assumeTrue(!onContinuations(), "virtual strand only: the continuation strand's loop thread would block for"
                + " good (or, inflated, let the task in), see the tests above");
        Object monitor = new Object();
        Wedge w = wedge(() -> {
            synchronized (monitor) {
                Asyncio.sleep(30);
            }
        }, () -> {
            synchronized (monitor) {
                Asyncio.sleep(0);
            }
        });
        w.assertDetected("entering a monitor (synchronized)", "blockedBody");
    }

    @Test
    void onTheVirtualStrandATaskParkedOnAReentrantLockASuspendedTaskHoldsFailsTheLoop() {
        assumeTrue(!onContinuations(), "virtual strand only: the continuation strand lets the task in, see above");
        ReentrantLock lock = new ReentrantLock();
        Wedge w = wedge(() -> {
            lock.lock();
            try {
                Asyncio.sleep(30);
            } finally {
                lock.unlock();
            }
        }, () -> {
            lock.lock();
            lock.unlock();
        });
        w.assertDetected("acquiring a ReentrantLock", "blockedBody");
    }

    @Test
    void onTheVirtualStrandATaskParkedOnAWriteLockASuspendedTaskHoldsFailsTheLoop() {
        assumeTrue(!onContinuations(), "virtual strand only: the continuation strand lets the task in, see above");
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        Wedge w = wedge(() -> {
            rw.writeLock().lock();
            try {
                Asyncio.sleep(30);
            } finally {
                rw.writeLock().unlock();
            }
        }, () -> {
            rw.readLock().lock(); // a reader waits for the writer as well
            rw.readLock().unlock();
        });
        w.assertDetected("acquiring a ReentrantReadWriteLock", "blockedBody");
    }

    @Test
    void onTheVirtualStrandAnEagerTaskBlockedOnAMonitorFailsTheLoopEvenIfItsCreatorCatchesTheError() {
        assumeTrue(!onContinuations(), "virtual strand only");
        // An eager task's first step runs inside createTask, so the error surfaces in the creating
        // task's code, which may swallow it: the loop still stops at once.
        Object monitor = new Object();
        EventLoop loop = new EventLoop();
        List<ExceptionContext> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        List<Throwable> caught = new ArrayList<>();
        try {
            Task<Object> main = loop.createTask(() -> {
                Asyncio.createTask(() -> {
                    synchronized (monitor) {
                        Asyncio.sleep(30);
                    }
                }, "holder");
                Asyncio.sleep(0.01);
                Asyncio.getRunningLoop().setEagerTasks(true);
                try {
                    Asyncio.createTask(() -> {
                        synchronized (monitor) {
                            return null;
                        }
                    }, "blocked");
                } catch (IllegalStateException e) {
                    caught.add(e);
                }
                Asyncio.sleep(0); // gives control back to the loop, which stops
                caught.add(new AssertionError("resumed after the loop became unusable"));
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(main));
            assertEquals(1, caught.size(), caught.toString());
            assertSame(e, caught.get(0));
            assertTrue(e.getMessage().startsWith("Task[blocked "), e.getMessage());
            assertEquals(1, reports.size(), reports.toString());
        } finally {
            loop.close();
        }
    }

    @Test
    void onTheVirtualStrandAnAsyncGeneratorBodyBlockedOnAMonitorFailsTheLoop() {
        assumeTrue(!onContinuations(), "virtual strand only");
        // The body runs on a strand of its own, resumed by the consumer task's strand: the
        // consumer's wait notices the block, and the loop stops as soon as the consumer yields.
        Object monitor = new Object();
        Wedge w = wedge(() -> {
            synchronized (monitor) {
                Asyncio.sleep(30);
            }
        }, () -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> generatorBody(monitor, out));
            gen.anext();
        });
        // The stack is the generator body's, where it blocks.
        w.assertDetected("entering a monitor (synchronized)", "generatorBody");
    }

    private static void generatorBody(Object monitor, Emitter<Integer> out) {
        synchronized (monitor) {
            out.emit(1);
        }
    }

    @Test
    void aBriefBlockOnAMonitorAnotherThreadHoldsIsOnlyABlockingCall() throws InterruptedException {
        // On both strands: a blocking call blocks the loop, as documented. On the virtual strand
        // the loop gives up only after about a second of blocking, so a monitor another thread
        // holds for 200 ms is simply waited for (on the continuation strand, by the loop thread).
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().name("holds-200-ms").start(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        String got = Asyncio.run(() -> {
            held.await();
            synchronized (monitor) {
                return "entered";
            }
        });
        assertEquals("entered", got);
        other.join();
    }

    /** What a wedged loop reported and threw. */
    private record Wedge(EventLoop loop, IllegalStateException thrown, List<ExceptionContext> reports) {

        void assertDetected(String blockedOn, String blockedFrame) {
            String m = thrown.getMessage();
            assertTrue(m.startsWith("Task[blocked "), m);
            assertTrue(m.contains("blocked " + blockedOn), m);
            assertTrue(m.contains("Never hold a thread-owned lock"), m);
            assertTrue(m.contains("use org.jasyncio.sync.Lock instead"), m);
            assertTrue(m.contains("The loop is unusable from now on"), m);
            assertTrue(m.contains("Task[holder "), "the suspended tasks are listed: " + m);
            StrandBlockedException cause = assertInstanceOf(StrandBlockedException.class, thrown.getCause());
            assertTrue(cause.millis() >= 900, "blocked for " + cause.millis() + " ms only");
            assertTrue(frames(cause).contains(blockedFrame), "the cause's stack is where the task blocks: " + frames(cause));
            boolean holderStack = false;
            for (Throwable s : cause.getSuppressed()) {
                holderStack |= s.getMessage().startsWith("Task[holder ") && frames(s).contains("holderBody");
            }
            assertTrue(holderStack, "the holder's suspended stack is attached");
            // Reported once, through the loop's exception handler, naming the blocked task.
            assertEquals(1, reports.size(), reports.toString());
            ExceptionContext report = reports.get(0);
            assertEquals("blocked", report.task().getName());
            assertSame(cause, report.exception());
            assertEquals(m, report.message());
            // The loop is unusable, and says so; it can still be closed.
            IllegalStateException again = assertThrows(IllegalStateException.class, loop::runForever);
            assertTrue(again.getMessage().contains("unusable"), again.getMessage());
            assertSame(thrown, again.getCause());
            loop.close();
            assertTrue(loop.isClosed());
        }

        private static String frames(Throwable t) {
            StringBuilder sb = new StringBuilder();
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append(e.getMethodName()).append(' ');
            }
            return sb.toString();
        }
    }

    /**
     * Runs a loop with a task "holder" that takes a lock and suspends, then a task "blocked"
     * that takes the same lock, and returns what the loop threw and reported.
     */
    private static Wedge wedge(AsyncRunnable holder, AsyncRunnable blocked) {
        EventLoop loop = new EventLoop();
        List<ExceptionContext> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        Task<Object> main = loop.createTask(() -> {
            Task<Void> h = Asyncio.createTask(() -> holderBody(holder), "holder");
            Asyncio.sleep(0.01);
            Task<Void> b = Asyncio.createTask(() -> blockedBody(blocked), "blocked");
            b.await();
            h.await();
            return null;
        });
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(main));
        assertFalse(loop.isRunning());
        return new Wedge(loop, thrown, reports);
    }

    private static void holderBody(AsyncRunnable r) throws Exception {
        r.run();
    }

    private static void blockedBody(AsyncRunnable r) throws Exception {
        r.run();
    }
}
