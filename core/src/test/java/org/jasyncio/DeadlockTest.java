package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jasyncio.sync.Lock;
import org.junit.jupiter.api.Test;

/**
 * Debug mode's deadlock report (issue 12): where asyncio hangs silently, the run fails with a
 * {@link DeadlockException} naming the stuck tasks and their cycle.
 */
class DeadlockTest {

    private static Runner debugRunner() {
        Runner runner = Runner.builder().debug(true).build();
        runner.getLoop().setDeadlockTimeout(0.05);
        return runner;
    }

    @Test
    void twoTasksAwaitingEachOtherAreReportedAsACycle() {
        try (Runner runner = debugRunner()) {
            Task<?>[] tasks = new Task<?>[2];
            DeadlockException e = assertThrows(DeadlockException.class, () -> runner.run(() -> {
                tasks[0] = Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    return tasks[1].await();
                }, "A");
                tasks[1] = Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    return tasks[0].await();
                }, "B");
                return tasks[0].await();
            }));
            assertEquals(List.of(tasks[0], tasks[1]), e.cycle());
            assertTrue(e.getMessage().contains("Cycle: A -> B -> A (each waits for the next"), e.getMessage());
            assertTrue(e.getMessage().contains("Task[A pending waiting on Task B"), e.getMessage());
            assertEquals(3, e.stuckTasks().size());
        }
    }

    @Test
    void twoLocksTakenInOppositeOrdersAreReportedAsACycleThroughTheirHolders() {
        try (Runner runner = debugRunner()) {
            Lock first = new Lock();
            Lock second = new Lock();
            Task<?>[] t = new Task<?>[2];
            DeadlockException e = assertThrows(DeadlockException.class, () -> runner.run(() -> {
                t[0] = Asyncio.createTask(() -> {
                    first.acquire();
                    Asyncio.sleep(0);
                    second.acquire();
                }, "left");
                t[1] = Asyncio.createTask(() -> {
                    second.acquire();
                    Asyncio.sleep(0);
                    first.acquire();
                }, "right");
                Asyncio.gather(t[0], t[1]).await();
            }));
            assertEquals(List.of(t[0], t[1]), e.cycle());
            assertTrue(e.getMessage().contains("Cycle: left -> right -> left"), e.getMessage());
            assertTrue(e.getMessage().contains("]: Lock held by right"), e.getMessage());
        }
    }

    @Test
    void aCycleThroughGatherIsNamed() {
        try (Runner runner = debugRunner()) {
            Task<?>[] t = new Task<?>[2];
            DeadlockException e = assertThrows(DeadlockException.class, () -> runner.run(() -> {
                t[0] = Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    Asyncio.gather(t[1]).await();
                }, "collector");
                t[1] = Asyncio.createTask(() -> {
                    Asyncio.sleep(0);
                    t[0].await();
                }, "worker");
                t[0].await();
            }));
            assertEquals(List.of(t[0], t[1]), e.cycle());
        }
    }

    @Test
    void aFutureNobodyWillCompleteIsReportedWithoutACycle() {
        try (Runner runner = debugRunner()) {
            DeadlockException e = assertThrows(DeadlockException.class,
                    () -> runner.run(() -> Asyncio.getRunningLoop().createFuture().await()));
            assertEquals(List.of(), e.cycle());
            assertTrue(e.getMessage().startsWith("Deadlock: the awaited task Task-"), e.getMessage());
            assertTrue(e.getMessage().contains("arrived for 50 ms."), e.getMessage());
            assertTrue(e.getMessage().contains("waiting on Future"), e.getMessage());
        }
    }

    @Test
    void theLoopStaysUsableAndCloseCancelsTheStuckTasks() {
        Runner runner = debugRunner();
        Future<?>[] never = new Future<?>[1];
        Task<?>[] main = new Task<?>[1];
        assertThrows(DeadlockException.class, () -> runner.run(() -> {
            main[0] = Asyncio.currentTask();
            never[0] = Asyncio.getRunningLoop().createFuture();
            return never[0].await();
        }));
        assertEquals("still here", runner.run(() -> "still here"));
        runner.close();
        assertTrue(main[0].cancelled());
    }

    @Test
    void underVirtualTimeTheSameRealTimeoutApplies() {
        try (Runner runner = Runner.builder().debug(true).virtualTime(true).build()) {
            runner.getLoop().setDeadlockTimeout(0.05);
            DeadlockException e = assertThrows(DeadlockException.class,
                    () -> runner.run(() -> Asyncio.getRunningLoop().createFuture().await()));
            assertTrue(e.getMessage().contains("arrived for 50 ms."), e.getMessage());
            assertEquals(0.0, runner.getLoop().time());
        }
    }

    @Test
    void aCompletionStageAnotherThreadCompletesLaterIsNoDeadlock() {
        try (Runner runner = debugRunner()) {
            CompletableFuture<String> later = CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(200); // four deadlock timeouts
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return "completed elsewhere";
            });
            assertEquals("completed elsewhere", runner.run(() -> Asyncio.await(later)));
        }
    }

    @Test
    void aCrossThreadCallArrivingWithinTheTimeoutIsNoDeadlock() {
        try (Runner runner = Runner.builder().debug(true).build()) {
            runner.getLoop().setDeadlockTimeout(5);
            String r = runner.run(() -> completedLaterByAThread("late but fine").await());
            assertEquals("late but fine", r);
        }
    }

    @Test
    void aRunningThreadJobIsNoDeadlock() {
        try (Runner runner = debugRunner()) {
            String r = runner.run(() -> Asyncio.toThread(() -> {
                Thread.sleep(200); // four deadlock timeouts
                return "done";
            }).await());
            assertEquals("done", r);
        }
    }

    @Test
    void withoutDebugModeNothingIsChecked() {
        try (Runner runner = new Runner()) {
            runner.getLoop().setDeadlockTimeout(0.01);
            String r = runner.run(() -> completedLaterByAThread("waited").await());
            assertEquals("waited", r);
        }
    }

    /** A future of the running loop that a platform thread completes with {@code value} 100 ms from now. */
    private static Future<String> completedLaterByAThread(String value) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<String> f = loop.createFuture();
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            loop.callSoonThreadsafe(() -> f.setResult(value));
        });
        return f;
    }

    @Test
    void aDurationTimeoutIsTheWaitTheReportNames() {
        try (Runner runner = Runner.builder().debug(true).build()) {
            runner.getLoop().setDeadlockTimeout(java.time.Duration.ofMillis(30));
            long t0 = System.nanoTime();
            DeadlockException e = assertThrows(DeadlockException.class, () -> runner.run(() -> new Future<Void>().await()));
            assertTrue(System.nanoTime() - t0 >= 30_000_000L);
            assertTrue(e.getMessage().contains(" 30 ms."), e.getMessage());
        }
    }

    @Test
    void aNonPositiveTimeoutIsRefused() {
        try (Runner runner = new Runner()) {
            assertThrows(IllegalArgumentException.class, () -> runner.getLoop().setDeadlockTimeout(0));
            assertThrows(IllegalArgumentException.class, () -> runner.getLoop().setDeadlockTimeout(Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> runner.getLoop().setDeadlockTimeout(java.time.Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> runner.getLoop().setDeadlockTimeout(java.time.Duration.ofMillis(-1)));
            assertThrows(NullPointerException.class, () -> runner.getLoop().setDeadlockTimeout((java.time.Duration) null));
        }
    }
}
