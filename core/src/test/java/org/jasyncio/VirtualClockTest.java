package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jasyncio.sync.Queue;
import org.junit.jupiter.api.Test;

/**
 * Virtual time ({@link Runner.Builder#virtualTime}): kotlinx-coroutines-test's virtual time and
 * Trio's MockClock, on asyncio's timer semantics. Every test bounds real time only loosely (a
 * virtual hour must not take seconds) and checks the loop's clock exactly.
 */
class VirtualClockTest {

    private static Runner virtual() {
        return Runner.builder().virtualTime(true).build();
    }

    @Test
    void anHourOfSleepTakesNoRealTimeAndAdvancesTheClockByExactlyAnHour() {
        try (Runner runner = virtual()) {
            long start = System.nanoTime();
            double at = runner.run(() -> {
                assertEquals(0.0, Asyncio.getRunningLoop().time());
                Asyncio.sleep(3600);
                return Asyncio.getRunningLoop().time();
            });
            assertEquals(3600.0, at);
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "an hour of virtual sleep took seconds");
        }
    }

    @Test
    void timersFireInDeadlineOrderAtTheirExactTimes() {
        try (Runner runner = virtual()) {
            EventLoop loop = runner.getLoop();
            List<String> fired = new ArrayList<>();
            runner.run(() -> {
                loop.callLater(2.5, () -> fired.add("b@" + loop.time()));
                loop.callLater(1.0, () -> fired.add("a@" + loop.time()));
                loop.callAt(10.0, () -> fired.add("c@" + loop.time()));
                Asyncio.sleep(20);
            });
            assertEquals(List.of("a@1.0", "b@2.5", "c@10.0"), fired);
        }
    }

    @Test
    void concurrentSleepsOverlapAsInRealTime() {
        // The seed walkthrough's point: two tasks sleeping 1 s and 2 s together take 2 s, not 3.
        try (Runner runner = virtual()) {
            double elapsed = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<Void> a = Asyncio.createTask(() -> Asyncio.sleep(1));
                Task<Void> b = Asyncio.createTask(() -> Asyncio.sleep(2));
                a.await();
                b.await();
                return loop.time();
            });
            assertEquals(2.0, elapsed);
        }
    }

    @Test
    void waitForTimesOutOnTheVirtualClock() {
        try (Runner runner = virtual()) {
            double at = runner.run(() -> {
                assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(() -> {
                    Asyncio.sleep(100);
                    return null;
                }, 30));
                return Asyncio.getRunningLoop().time();
            });
            assertEquals(30.0, at);
        }
    }

    @Test
    void timeoutBlockFollowsTheClock() {
        try (Runner runner = virtual()) {
            double at = runner.run(() -> {
                assertThrows(AsyncTimeoutException.class, () -> Timeout.after(5).run(() -> Asyncio.sleep(60)));
                return Asyncio.getRunningLoop().time();
            });
            assertEquals(5.0, at);
        }
    }

    @Test
    void waitWithTimeoutAndAsCompletedFollowTheClock() {
        try (Runner runner = virtual()) {
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<Void> slow = Asyncio.createTask(() -> Asyncio.sleep(50));
                WaitResult<Task<Void>> r = Asyncio.wait(Set.of(slow), 7, ReturnWhen.ALL_COMPLETED);
                assertEquals(Set.of(slow), r.pending());
                assertEquals(7.0, loop.time());
                AsCompleted<Void> it = Asyncio.asCompleted(List.of(slow), Duration.ofSeconds(3));
                assertThrows(AsyncTimeoutException.class, () -> it.nextDone().await());
                assertEquals(10.0, loop.time());
                slow.cancel();
            });
        }
    }

    @Test
    void runsStayOnOneClockAcrossRunnerRuns() {
        try (Runner runner = virtual()) {
            runner.run(() -> Asyncio.sleep(10));
            runner.run(() -> Asyncio.sleep(5));
            assertEquals(15.0, runner.getLoop().time());
        }
    }

    @Test
    void aCallbackFromAThreadIsServedWithoutMovingTheClock() throws Exception {
        try (Runner runner = virtual()) {
            double at = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> f = loop.createFuture();
                Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> f.setResult("hi")));
                assertEquals("hi", f.await());
                return loop.time();
            });
            assertEquals(0.0, at);
        }
    }

    @Test
    void theClockStandsStillWhileAThreadJobComputes() {
        try (Runner runner = virtual()) {
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<Void> ticker = Asyncio.createTask(() -> Asyncio.sleep(1000));
                int sum = Asyncio.<Integer>toThread(() -> {
                    int s = 0;
                    for (int i = 0; i < 1000; i++) {
                        s += i;
                    }
                    return s;
                }).await();
                assertEquals(499500, sum);
                assertEquals(0.0, loop.time(), "the clock jumped while a thread job ran");
                ticker.cancel();
            });
        }
    }

    @Test
    void aThreadJobWaitingInRealTimeFailsWithANamedErrorInsteadOfHanging() {
        // Without a threshold the clock stands still while the job runs; the job waits for a
        // latch that only a virtual timer would count down: a hang the loop must name.
        try (Runner runner = virtual()) {
            IllegalStateException e = runner.run(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                Asyncio.getRunningLoop().callLater(5, latch::countDown);
                return assertThrows(IllegalStateException.class, () -> Asyncio.toThread(() -> {
                    latch.await();
                    return null;
                }).await());
            });
            assertTrue(e.getMessage().contains("Under virtual time, thread job"), e.getMessage());
            assertTrue(e.getMessage().contains("autojumpThreshold"), e.getMessage());
            assertTrue(e.getMessage().contains("submitted at org.jasyncio.VirtualClockTest"), e.getMessage());
            assertTrue(List.of(e.getStackTrace()).stream().anyMatch(f -> f.getClassName().contains("CountDownLatch")),
                    "the error carries the job's stack");
        }
    }

    @Test
    void aThreadJobSleepingLongerThanTheStallLimitStillCompletes() {
        // A timed wait ends by itself: only waits with no deadline count as stalled.
        try (Runner runner = virtual()) {
            String r = runner.run(() -> Asyncio.waitFor(Asyncio.toThread(() -> {
                Thread.sleep(700);
                return "done";
            }), 10.0));
            assertEquals("done", r);
            assertEquals(0.0, runner.getLoop().time());
        }
    }

    @Test
    void sleepingForeverNeverEndsUnderVirtualTime() {
        // asyncio: sleep(inf) never returns. The clock must not jump to the end of its range;
        // in debug mode the loop reports the hang.
        try (Runner runner = Runner.builder().virtualTime(true).debug(true).build()) {
            runner.getLoop().setDeadlockTimeout(0.05);
            assertThrows(DeadlockException.class, () -> runner.run(() -> Asyncio.sleep(Double.POSITIVE_INFINITY)));
            assertThrows(DeadlockException.class, () -> runner.run(() -> Asyncio.sleep(Double.MAX_VALUE)));
            assertEquals(0.0, runner.getLoop().time());
        }
    }

    @Test
    void withAnAutojumpThresholdTheClockMovesWhileAThreadWaits() {
        try (Runner runner = Runner.builder().autojumpThreshold(Duration.ofMillis(20)).build()) {
            String r = runner.run(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                Asyncio.getRunningLoop().callLater(5, latch::countDown);
                return Asyncio.toThread(() -> {
                    latch.await();
                    return "released";
                }).await();
            });
            assertEquals("released", r);
            assertEquals(5.0, runner.getLoop().time());
        }
    }

    @Test
    void theAutojumpThresholdLetsRealIoArriveBeforeTheJump() {
        // A thread answers after a few real milliseconds; the threshold keeps the 60 s timeout
        // from firing in no real time.
        try (Runner runner = Runner.builder().autojumpThreshold(Duration.ofMillis(500)).build()) {
            String r = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Queue<String> q = new Queue<>();
                Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                    loop.callSoonThreadsafe(() -> q.putNowait("answer"));
                });
                return Asyncio.waitFor(q::get, 60);
            });
            assertEquals("answer", r);
            assertTrue(runner.getLoop().time() < 60);
        }
    }

    @Test
    void aNegativeThresholdIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Runner.builder().autojumpThreshold(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("negative"));
    }

    @Test
    void realTimeIsTheDefault() {
        try (Runner runner = new Runner()) {
            double t = runner.getLoop().time();
            assertTrue(Math.abs(t - System.nanoTime() / 1e9) < 1.0);
            assertNull(runner.getLoop().explorer);
        }
    }

    @Test
    void anExceptionFromATimerStillReachesTheHandlerUnderVirtualTime() {
        try (Runner runner = virtual()) {
            List<Throwable> reported = new ArrayList<>();
            runner.getLoop().setExceptionHandler((l, c) -> reported.add(c.exception()));
            runner.run(() -> {
                Asyncio.getRunningLoop().callLater(1, () -> {
                    throw new IllegalStateException("boom");
                });
                Asyncio.sleep(2);
            });
            assertEquals(1, reported.size());
            assertInstanceOf(IllegalStateException.class, reported.get(0));
        }
    }
}
