package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Debug mode's watchdog ({@link Watchdog}): a callback or task step still running past the
 * slow-callback duration is logged with its live stack while it runs, and again at each
 * stall-report interval. Runs on both strands (the sampled thread differs).
 */
class WatchdogTest {

    @Test
    void aBlockingTaskStepIsReportedWithItsLiveStackBeforeItEnds() {
        long[] stepEnded = new long[1];
        try (LogCapture log = new LogCapture(); Runner runner = Runner.builder().debug(true).build()) {
            runner.getLoop().setSlowCallbackDuration(Duration.ofMillis(50));
            runner.run(() -> Asyncio.createTask(() -> {
                Thread.sleep(300); // blocks the loop: the bug debug mode is for
                stepEnded[0] = System.nanoTime();
                return null;
            }, "sleeper").await());
            List<LogCapture.Logged> live = log.containing("is still running after");
            assertEquals(1, live.size(), log.all().toString());
            LogCapture.Logged report = live.get(0);
            assertTrue(report.message().startsWith("Executing Task sleeper created at org.jasyncio.WatchdogTest"),
                    report.message());
            assertTrue(report.message().contains("Thread.sleep"), report.message());
            assertTrue(report.message().contains("WatchdogTest.lambda$"), report.message());
            assertEquals("jasyncio-watchdog", report.thread());
            assertTrue(report.nanos() < stepEnded[0], "logged after the step ended");
            // The afterwards line stays, as in asyncio.
            List<LogCapture.Logged> after = log.containing(" took 0.");
            assertEquals(1, after.size(), log.all().toString());
            assertTrue(after.get(0).message().startsWith("Executing Task[sleeper"), after.get(0).message());
            assertTrue(after.get(0).message().contains("created at org.jasyncio.WatchdogTest"), after.get(0).message());
            assertTrue(after.get(0).nanos() > stepEnded[0]);
        }
    }

    @Test
    void aStalledLoopIsReportedAgainWithAFreshStack() {
        try (LogCapture log = new LogCapture(); Runner runner = Runner.builder().debug(true).build()) {
            EventLoop loop = runner.getLoop();
            loop.setSlowCallbackDuration(Duration.ofMillis(20));
            loop.setStallReportInterval(Duration.ofMillis(150));
            assertEquals(Duration.ofMillis(150), loop.getStallReportInterval());
            runner.run(() -> Asyncio.createTask(() -> {
                phaseOne();
                phaseTwo();
                return null;
            }, "staller").await());
            List<LogCapture.Logged> first = log.containing("is still running after");
            List<LogCapture.Logged> again = log.containing("Event loop stalled: executing Task staller");
            assertEquals(1, first.size(), log.all().toString());
            assertTrue(first.get(0).message().contains("phaseOne"), first.get(0).message());
            // At 150 ms (phaseOne), 300 ms and later (phaseTwo): each with the stack of that moment.
            assertTrue(again.size() >= 2, log.all().toString());
            assertTrue(again.stream().anyMatch(l -> l.message().contains("phaseTwo")), again.toString());
            for (int k = 1; k < again.size(); k++) {
                assertTrue(again.get(k).nanos() - again.get(k - 1).nanos() > 100_000_000L, "re-reported too early");
            }
        }
    }

    private static void phaseOne() throws InterruptedException {
        Thread.sleep(200);
    }

    private static void phaseTwo() throws InterruptedException {
        Thread.sleep(250);
    }

    @Test
    void aZeroStallIntervalReportsOnlyOnce() {
        try (LogCapture log = new LogCapture(); Runner runner = Runner.builder().debug(true).build()) {
            runner.getLoop().setSlowCallbackDuration(Duration.ofMillis(10));
            runner.getLoop().setStallReportInterval(Duration.ZERO);
            runner.run(() -> Asyncio.createTask(() -> {
                Thread.sleep(150);
                return null;
            }, "once").await());
            // (A first step in a fresh JVM may take over 10 ms too: count this task's reports.)
            assertEquals(1, log.containing("Executing Task once").size(), log.all().toString());
            assertEquals(List.of(), log.containing("Event loop stalled"));
        }
    }

    @Test
    void aBlockingCallbackIsReportedWithWhereItWasScheduled() {
        try (LogCapture log = new LogCapture(); Runner runner = Runner.builder().debug(true).build()) {
            runner.getLoop().setSlowCallbackDuration(Duration.ofMillis(30));
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<Void> done = loop.createFuture();
                loop.callSoon(() -> {
                    sleepInCallback();
                    done.setResult(null);
                });
                done.await();
            });
            List<LogCapture.Logged> live = log.containing("is still running after");
            assertEquals(1, live.size(), log.all().toString());
            String m = live.get(0).message();
            assertTrue(m.startsWith("Executing Handle["), m);
            assertTrue(m.contains("created at org.jasyncio.WatchdogTest"), m);
            assertTrue(m.contains("sleepInCallback"), m);
            // A callback runs on the loop's thread on both strands.
            assertTrue(m.contains("live stack of thread \"main\"") || m.contains("live stack of thread \""
                    + "Test worker\""), m);
        }
    }

    private static void sleepInCallback() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void outOfDebugModeNothingIsReported() {
        try (LogCapture log = new LogCapture(); Runner runner = Runner.builder().debug(false).build()) {
            runner.getLoop().setSlowCallbackDuration(Duration.ofMillis(10));
            runner.run(() -> Asyncio.createTask(() -> {
                Thread.sleep(100);
                return null;
            }).await());
            assertEquals(List.of(), log.all());
        }
    }

    @Test
    void turningDebugModeOnWhileRunningStartsTheWatch() {
        try (LogCapture log = new LogCapture(); Runner runner = Runner.builder().debug(false).build()) {
            runner.getLoop().setSlowCallbackDuration(Duration.ofMillis(20));
            runner.run(() -> {
                Asyncio.getRunningLoop().setDebug(true);
                Asyncio.sleep(0); // the step that turned it on was not watched; the next one is
                Thread.sleep(120);
                Asyncio.getRunningLoop().setDebug(false);
                Asyncio.sleep(0);
                Thread.sleep(120);
            });
            List<LogCapture.Logged> live = log.containing("is still running after");
            assertEquals(1, live.size(), log.all().toString());
            assertTrue(live.get(0).message().contains("WatchdogTest.lambda$turningDebugModeOn"), live.toString());
            assertFalse(log.all().isEmpty());
        }
    }

    @Test
    void aReportOfAnEmptyStackIsLoggedInsteadOfKillingTheWatchdog() {
        // A sampled thread may have ended (or unmounted) by the time its stack is read: the
        // watchdog thread, one per JVM, must survive it and report what it has.
        try (LogCapture log = new LogCapture(); EventLoop loop = new EventLoop()) {
            Handle h = loop.callSoon(() -> { });
            new Watchdog.Watch(loop).report(h, Thread.currentThread(), new StackTraceElement[0], 250_000_000L, true);
            List<LogCapture.Logged> stalled = log.containing("Event loop stalled: executing");
            assertEquals(1, stalled.size(), log.all().toString());
            assertTrue(stalled.get(0).toString().contains("0.250 seconds"), stalled.get(0).toString());
        }
    }
}
