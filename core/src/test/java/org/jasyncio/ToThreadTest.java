package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** asyncio.to_thread and loop.run_in_executor: test_asyncio/test_threads.py and friends. */
class ToThreadTest {

    @Test
    void toThreadRunsOnAnotherThreadAndReturnsTheResult() {
        Thread loopThread = Thread.currentThread();
        Thread worker = Asyncio.run(() -> Asyncio.toThread(Thread::currentThread).await());
        assertNotSame(loopThread, worker);
        assertTrue(worker.isVirtual(), "the default executor runs each job on a virtual thread");
    }

    @Test
    void theExceptionOfTheJobArrivesUnchanged() {
        IOException boom = new IOException("disk on fire");
        Throwable seen = Asyncio.run(() -> {
            try {
                Asyncio.toThread(() -> {
                    throw boom;
                }).await();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertSame(boom, seen);
    }

    @Test
    void theLoopKeepsRunningWhileJobsBlock() {
        // asyncio: to_thread exists so that blocking work does not block the loop.
        int ticks = Asyncio.run(() -> {
            AtomicInteger count = new AtomicInteger();
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    count.incrementAndGet();
                    Asyncio.sleep(0.005);
                }
            });
            List<Future<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                jobs.add(Asyncio.toThread(() -> {
                    Thread.sleep(100);
                    return n;
                }));
            }
            List<Object> results = Asyncio.gather(new ArrayList<Awaitable<?>>(jobs)).await();
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), results);
            ticker.cancel();
            return count.get();
        });
        assertTrue(ticks >= 3, "the ticker ran only " + ticks + " times while the jobs slept");
    }

    @Test
    void cancellingTheAwaitingTaskInterruptsTheWorker() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Asyncio.run(() -> {
            Task<Object> waiter = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                started.countDown();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return "finished";
            }).await());
            Asyncio.toThread(() -> started.await(5, TimeUnit.SECONDS)).await();
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(Asyncio.toThread(() -> interrupted.await(5, TimeUnit.SECONDS)).await(),
                    "the worker thread was not interrupted");
        });
    }

    @Test
    void aJobCancelledBeforeItStartsNeverRuns() {
        List<Runnable> queued = new ArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> f = loop.runInExecutor(queued::add, () -> {
                ran.set(true);
                return "ran";
            });
            assertTrue(f.cancel());
            Asyncio.sleep(0); // the cancellation reaches the job through a done callback
            queued.forEach(Runnable::run); // the executor gets round to it too late
            Asyncio.sleep(0.01);
            assertTrue(f.cancelled());
        });
        assertFalse(ran.get());
    }

    @Test
    void aPooledWorkerDoesNotKeepTheCancellationInterrupt() throws Exception {
        // A plain Executor over one platform thread that never clears interrupts itself.
        java.util.concurrent.LinkedBlockingQueue<Runnable> work = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread worker = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    work.take().run();
                } catch (InterruptedException e) {
                    // not ours to stop on
                }
            }
        });
        CountDownLatch started = new CountDownLatch(1);
        boolean interruptedLater = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> first = loop.runInExecutor(work::add, () -> {
                started.countDown();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                }
                return null; // ignores the interrupt: returns with the flag still set
            });
            Asyncio.toThread(() -> started.await(5, TimeUnit.SECONDS)).await();
            first.cancel();
            return loop.runInExecutor(work::add, () -> Thread.currentThread().isInterrupted()).await();
        });
        assertFalse(interruptedLater, "the cancellation interrupt leaked into the next job");
        assertTrue(worker.isAlive());
    }

    @Test
    void runWaitsForTheDefaultExecutorsJobsOnExit() {
        // asyncio.run awaits loop.shutdown_default_executor() before closing the loop.
        AtomicBoolean finished = new AtomicBoolean();
        Asyncio.run(() -> {
            Asyncio.toThread(() -> {
                Thread.sleep(50);
                finished.set(true);
                return null;
            }); // not awaited
        });
        assertTrue(finished.get());
    }

    @Test
    void afterShutdownTheDefaultExecutorRefusesJobs() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.shutdownDefaultExecutor().await();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.toThread(() -> 1));
            assertTrue(e.getMessage().contains("Executor shutdown has been called"), e.getMessage());
            // An explicit executor still works.
            ExecutorService own = Executors.newSingleThreadExecutor();
            try {
                assertEquals(7, loop.runInExecutor(own, () -> 7).await());
            } finally {
                own.shutdown();
            }
        });
    }

    @Test
    void shutdownWithADurationGivesUpOnAJobThatOutlastsIt() {
        // asyncio's shutdown_default_executor(timeout): after the timeout it warns and returns.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try {
            Asyncio.run(() -> {
                Asyncio.toThread(() -> {
                    release.await();
                    return null;
                });
                long t0 = System.nanoTime();
                Asyncio.getRunningLoop().shutdownDefaultExecutor(java.time.Duration.ofMillis(50)).await();
                assertTrue(System.nanoTime() - t0 >= 50_000_000L);
                assertThrows(NullPointerException.class,
                        () -> Asyncio.getRunningLoop().shutdownDefaultExecutor((java.time.Duration) null));
                release.countDown(); // else run's own shutdown would wait out its 300 s for the job
            });
        } finally {
            release.countDown();
        }
    }

    @Test
    void shutdownWaitsForRunningJobs() {
        Asyncio.run(() -> {
            AtomicBoolean finished = new AtomicBoolean();
            Asyncio.toThread(() -> {
                Thread.sleep(50);
                finished.set(true);
                return null;
            });
            Asyncio.getRunningLoop().shutdownDefaultExecutor().await();
            assertTrue(finished.get());
        });
    }

    @Test
    void setDefaultExecutorIsUsedByToThreadAndShutDownByRun() {
        ExecutorService mine = Executors.newFixedThreadPool(2, r -> new Thread(r, "mine"));
        String name = Asyncio.run(() -> {
            Asyncio.getRunningLoop().setDefaultExecutor(mine);
            return Asyncio.toThread(() -> Thread.currentThread().getName()).await();
        });
        assertEquals("mine", name);
        assertTrue(mine.isShutdown());
    }

    @Test
    void closeShutsDownTheDefaultExecutorWithoutWaiting() {
        ExecutorService mine = Executors.newSingleThreadExecutor();
        EventLoop loop = new EventLoop();
        loop.setDefaultExecutor(mine);
        loop.close();
        assertTrue(mine.isShutdown());
    }

    @Test
    void aRejectedJobFailsAtTheCall() {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        Asyncio.run(() -> {
            assertThrows(java.util.concurrent.RejectedExecutionException.class,
                    () -> Asyncio.getRunningLoop().runInExecutor(dead, () -> 1));
        });
    }

    @Test
    void nullJobIsRejected() {
        Asyncio.run(() -> {
            assertThrows(NullPointerException.class, () -> Asyncio.toThread(null));
        });
    }

    @Test
    void toThreadOutsideALoopFailsAtOnce() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.toThread(() -> 1));
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    @Test
    void aJobFinishingAfterTheLoopClosedIsDropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService mine = Executors.newSingleThreadExecutor();
        EventLoop loop = new EventLoop();
        Future<Integer> f = loop.runInExecutor(mine, () -> {
            release.await();
            return 1;
        });
        loop.close();
        release.countDown();
        mine.shutdown();
        assertTrue(mine.awaitTermination(5, TimeUnit.SECONDS));
        assertFalse(f.done(), "a closed loop runs nothing, so the outcome is dropped");
    }
}
