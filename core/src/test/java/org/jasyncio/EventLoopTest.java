package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop itself: asyncio's test_base_events facts, driven without tasks where possible. */
class EventLoopTest {

    private final EventLoop loop = new EventLoop();
    private final List<String> log = new ArrayList<>();
    private final List<ExceptionContext> reported = new ArrayList<>();

    @AfterEach
    void closeLoop() {
        if (!loop.isClosed()) {
            loop.close();
        }
    }

    /** Runs exactly one iteration (asyncio's stop() before run_forever()). */
    private void runOnce() {
        loop.stop();
        loop.runForever();
    }

    private void recordReports() {
        loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
    }

    // ------------------------------------------------------------------ callLater with a Duration

    @Test
    void callLaterWithADurationOrdersTimersLikeSeconds() {
        // asyncio's call_later: timers run by deadline, ties in scheduling order.
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            EventLoop l = runner.getLoop();
            List<String> order = runner.run(() -> {
                List<String> seen = new ArrayList<>();
                Context context = Context.copyContext();
                l.callLater(Duration.ofMillis(300), () -> seen.add("300ms"));
                l.callLater(0.1, () -> seen.add("0.1s"));
                l.callLater(Duration.ofMillis(100), () -> seen.add("100ms"), context);
                l.callLater(Duration.ofSeconds(-5), () -> seen.add("negative=now"));
                TimerHandle never = l.callLater(Duration.ofSeconds(Long.MAX_VALUE), () -> seen.add("never"));
                Asyncio.sleep(1);
                assertEquals(Long.MAX_VALUE / 1e9, never.when(), 1.0); // saturated, not overflowed
                never.cancel();
                return seen;
            });
            assertEquals(List.of("negative=now", "0.1s", "100ms", "300ms"), order);
        }
    }

    @Test
    void callLaterWithANullDurationOrCallbackThrowsAndSchedulesNothing() {
        assertEquals("delay", assertThrows(NullPointerException.class,
                () -> loop.callLater((Duration) null, () -> { })).getMessage());
        assertEquals("callback", assertThrows(NullPointerException.class,
                () -> loop.callLater(Duration.ZERO, null)).getMessage());
        assertEquals("context", assertThrows(NullPointerException.class,
                () -> loop.callLater(Duration.ZERO, () -> { }, null)).getMessage());
        runOnce();
        assertTrue(log.isEmpty());
    }

    // ------------------------------------------------------------------ callSoon ordering

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            loop.callSoon(() -> log.add("cb" + n));
        }
        runOnce();
        assertEquals(List.of("cb0", "cb1", "cb2", "cb3", "cb4"), log);
    }

    @Test
    void whatACallbackSchedulesRunsNextIterationNotThisOne() {
        // asyncio _run_once runs only the handles ready when the iteration began.
        loop.callSoon(() -> {
            log.add("a");
            loop.callSoon(() -> log.add("c"));
        });
        loop.callSoon(() -> log.add("b"));
        runOnce();
        assertEquals(List.of("a", "b"), log);
        runOnce();
        assertEquals(List.of("a", "b", "c"), log);
    }

    @Test
    void stopBeforeRunForeverRunsOneIteration() {
        // asyncio test_run_once_in_executor / stop-before-run: one iteration, then return.
        loop.callSoon(() -> {
            log.add("first");
            loop.callSoon(() -> log.add("second"));
        });
        loop.stop();
        loop.runForever();
        assertEquals(List.of("first"), log);
        assertFalse(loop.isRunning());
    }

    @Test
    void stopInsideACallbackFinishesTheCurrentIteration() {
        loop.callSoon(() -> {
            log.add("a");
            loop.stop();
        });
        loop.callSoon(() -> log.add("b"));
        loop.runForever();
        assertEquals(List.of("a", "b"), log);
    }

    // ------------------------------------------------------------------ timers

    @Test
    void callLaterFiresInDeadlineOrderAndNeverEarly() {
        // Each delay counts from its own callLater call, so the test checks the deadlines
        // (when()) rather than assuming the three calls happened at the same instant.
        List<Double> firedWhen = new ArrayList<>();
        double[] delays = {0.03, 0.01, 0.02};
        for (double d : delays) {
            double scheduledAt = loop.time();
            TimerHandle[] self = new TimerHandle[1];
            self[0] = loop.callLater(d, () -> {
                assertTrue(loop.time() >= self[0].when() - 1e-6, "fired before its deadline");
                firedWhen.add(self[0].when());
                if (firedWhen.size() == delays.length) {
                    loop.stop();
                }
            });
            assertTrue(self[0].when() >= scheduledAt + d - 1e-6, "deadline is now + delay");
        }
        recordReports();
        assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
        assertEquals(List.of(), reported);
        List<Double> sorted = new ArrayList<>(firedWhen);
        Collections.sort(sorted);
        assertEquals(3, firedWhen.size());
        assertEquals(sorted, firedWhen);
    }

    @Test
    void callAtFiresInDeadlineOrder() {
        // Deadlines on one base: earlier ones fire first, whatever the scheduling order.
        double base = loop.time();
        loop.callAt(base + 0.03, () -> {
            log.add("30ms");
            loop.stop();
        });
        loop.callAt(base + 0.01, () -> log.add("10ms"));
        loop.callAt(base + 0.02, () -> log.add("20ms"));
        long start = System.nanoTime();
        loop.runForever();
        long elapsed = System.nanoTime() - start;
        assertEquals(List.of("10ms", "20ms", "30ms"), log);
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "fired after " + elapsed + " ns");
    }

    @Test
    void callAtUsesTheLoopClock() {
        double now = loop.time();
        TimerHandle late = loop.callAt(now + 0.02, () -> {
            log.add("late");
            loop.stop();
        });
        TimerHandle early = loop.callAt(now + 0.01, () -> log.add("early"));
        assertEquals(now + 0.02, late.when(), 1e-6);
        assertEquals(now + 0.01, early.when(), 1e-6);
        loop.runForever();
        assertEquals(List.of("early", "late"), log);
        assertTrue(loop.time() >= now + 0.02 - 1e-6, "late timer fired before its deadline");
    }

    @Test
    void timersWithEqualDeadlinesFireInSchedulingOrder() {
        double when = loop.time() + 0.01;
        for (int i = 0; i < 20; i++) {
            int n = i;
            loop.callAt(when, () -> log.add("t" + n));
        }
        loop.callAt(when, loop::stop);
        loop.runForever();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("t" + i);
        }
        assertEquals(expected, log);
    }

    @Test
    void zeroAndNegativeDelaysRunOnTheNextIteration() {
        // call_later(d) is call_at(now + d): a negative delay is an earlier deadline.
        loop.callLater(0, () -> log.add("zero"));
        loop.callLater(-1, () -> log.add("negative"));
        runOnce();
        assertEquals(List.of("negative", "zero"), log);
    }

    @Test
    void nullCallbacksAreRejectedWhenScheduled() throws Exception {
        // Bad input fails at the call, not later inside the loop as a reported callback error.
        assertThrows(NullPointerException.class, () -> loop.callSoon(null));
        assertThrows(NullPointerException.class, () -> loop.callSoonThreadsafe(null));
        assertThrows(NullPointerException.class, () -> loop.callLater(0.01, null));
        assertThrows(NullPointerException.class, () -> loop.callAt(loop.time(), null));
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            assertThrows(NullPointerException.class, () -> loop.addReader(source, null));
            assertThrows(NullPointerException.class, () -> loop.addWriter(sink, null));
        }
        recordReports();
        runOnce();
        assertEquals(List.of(), reported);
    }

    @Test
    void nanDelayIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }));
    }

    // ------------------------------------------------------------------ cancellation of handles

    @Test
    void cancelledHandleDoesNotRun() {
        Handle h = loop.callSoon(() -> log.add("cancelled"));
        loop.callSoon(() -> log.add("kept"));
        assertFalse(h.cancelled());
        h.cancel();
        assertTrue(h.cancelled());
        runOnce();
        assertEquals(List.of("kept"), log);
    }

    @Test
    void handleCancelledByAnEarlierCallbackOfTheSameIterationDoesNotRun() {
        Handle[] second = new Handle[1];
        loop.callSoon(() -> second[0].cancel());
        second[0] = loop.callSoon(() -> log.add("second"));
        runOnce();
        assertEquals(List.of(), log);
    }

    @Test
    void cancelledTimerDoesNotFire() {
        TimerHandle t = loop.callLater(0.01, () -> log.add("cancelled"));
        loop.callLater(0.02, () -> {
            log.add("kept");
            loop.stop();
        });
        t.cancel();
        assertTrue(t.cancelled());
        loop.runForever();
        assertEquals(List.of("kept"), log);
    }

    @Test
    void manyCancelledTimersAreCompactedAndTheRestStillFire() {
        // asyncio drops cancelled timers lazily, and rebuilds the heap when they dominate it.
        List<TimerHandle> far = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            far.add(loop.callLater(3600, () -> log.add("far timer fired")));
        }
        for (int i = 0; i < 10; i++) {
            int n = i;
            loop.callLater(0.01 + i * 0.001, () -> log.add("t" + n));
        }
        for (int i = 0; i < 900; i++) {
            far.get(i).cancel();
        }
        assertEquals(1010, timerCount());
        runOnce();
        // The 900 cancelled timers sit below the short ones, far from the top of the heap:
        // only compaction can have dropped them (a slow start may also have fired a short one).
        int left = timerCount();
        assertTrue(left >= 100 && left <= 110, left + " timers left");
        loop.callLater(0.03, loop::stop);
        loop.runForever();
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"), log);
        assertEquals(100, timerCount());
    }

    /** The timer heap's size, as the loop reports it in toString(). */
    private int timerCount() {
        Matcher m = Pattern.compile("timers=(\\d+)").matcher(loop.toString());
        assertTrue(m.find(), loop.toString());
        return Integer.parseInt(m.group(1));
    }

    // ------------------------------------------------------------------ threads

    @Test
    void callSoonThreadsafeWakesALoopBlockedInSelectWithNoTimers() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        loop.callSoon(blocked::countDown);
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                blocked.await();
                Thread.sleep(50); // let the loop reach its select with no timeout
            } catch (InterruptedException e) {
                return;
            }
            loop.callSoonThreadsafe(() -> {
                log.add("from other thread");
                loop.stop();
            });
        });
        assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
        other.join();
        assertEquals(List.of("from other thread"), log);
    }

    @Test
    void aBurstOfCrossThreadCallbacksDoesNotDelayADueTimerUntilItHasAllRun() throws Exception {
        // asyncio's _run_once moves due timers to the ready queue every iteration; a burst from
        // other threads is drained a slice per iteration, oldest first, so a due timer runs
        // after at most one slice, and the burst keeps its order.
        int burst = Inbox.SLICE * 3 + 5;
        Thread sender = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < burst; i++) {
                String item = Integer.toString(i);
                loop.callSoonThreadsafe(() -> log.add(item));
            }
            loop.callSoonThreadsafe(loop::stop);
        });
        sender.join();
        loop.callLater(0, () -> log.add("timer"));
        loop.runForever();
        assertEquals(burst + 1, log.size());
        assertEquals(Inbox.SLICE, log.indexOf("timer"), "the due timer waited behind the whole burst");
        List<String> items = new ArrayList<>(log);
        items.remove("timer");
        for (int i = 0; i < burst; i++) {
            assertEquals(Integer.toString(i), items.get(i));
        }
    }

    @Test
    void busyLocalWorkDoesNotStarveCrossThreadCallbacks() throws Exception {
        // Every iteration drains a slice of the inbox however much local work is ready.
        int burst = Inbox.SLICE * 3;
        int[] ran = {0};
        int[] iterations = {0};
        for (int i = 0; i < burst; i++) {
            loop.callSoonThreadsafe(() -> ran[0]++);
        }
        Runnable[] busy = new Runnable[1];
        busy[0] = () -> {
            iterations[0]++;
            if (ran[0] == burst) {
                loop.stop();
            } else {
                loop.callSoon(busy[0]);
            }
        };
        loop.callSoon(busy[0]);
        loop.runForever();
        assertEquals(burst, ran[0]);
        assertTrue(iterations[0] <= 4, "iterations: " + iterations[0]);
    }

    @Test
    void interruptingTheLoopThreadStopsRunForeverAndKeepsTheInterrupt() throws Exception {
        // Without Asyncio.run's handler, an interrupt from outside stops the loop, and the
        // thread's interrupt status is restored for the caller of runForever.
        CountDownLatch blocked = new CountDownLatch(1);
        boolean[] interruptedAfter = new boolean[1];
        loop.callSoon(blocked::countDown);
        Thread runner = Thread.ofPlatform().start(() -> {
            loop.runForever();
            interruptedAfter[0] = Thread.interrupted();
        });
        blocked.await();
        Thread.sleep(20);
        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(runner.isAlive(), "runForever did not return after the interrupt");
        assertTrue(interruptedAfter[0]);
        assertFalse(loop.isRunning());
    }

    @Test
    void callSoonFromAnotherThreadWhileRunningIsRejected() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        Throwable[] seen = new Throwable[1];
        loop.callSoon(running::countDown);
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                running.await();
                seen[0] = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
            } catch (Throwable e) {
                seen[0] = e;
            } finally {
                loop.callSoonThreadsafe(loop::stop);
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
        other.join();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, seen[0]);
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }

    // ------------------------------------------------------------------ runUntilComplete

    @Test
    void runUntilCompleteReturnsTheResult() {
        Future<String> f = loop.createFuture();
        loop.callLater(0.01, () -> f.setResult("done"));
        assertEquals("done", loop.runUntilComplete(f));
        assertFalse(loop.isRunning());
    }

    @Test
    void runUntilCompleteRethrowsTheExceptionUnchanged() {
        Future<String> f = loop.createFuture();
        IOException boom = new IOException("boom");
        loop.callSoon(() -> f.setException(boom));
        Throwable thrown = assertThrows(IOException.class, () -> loop.runUntilComplete(f));
        assertSame(boom, thrown);
    }

    @Test
    void runUntilCompleteOfACoroutineRunsItAsATask() {
        assertEquals(42, loop.runUntilComplete(() -> {
            Asyncio.sleep(0);
            return 42;
        }));
    }

    @Test
    void runUntilCompleteFailsWhenTheLoopStopsFirst() {
        Future<String> f = loop.createFuture();
        loop.callSoon(loop::stop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
        assertEquals("Event loop stopped before Future completed.", e.getMessage());
        assertFalse(f.done());
    }

    @Test
    void runUntilCompleteOfADoneFutureReturnsAfterOneIteration() {
        Future<String> f = loop.createFuture();
        f.setResult("already");
        loop.callSoon(() -> log.add("ran"));
        assertEquals("already", loop.runUntilComplete(f));
        assertEquals(List.of("ran"), log);
    }

    @Test
    void runUntilCompleteRejectsAFutureOfAnotherLoop() {
        try (EventLoop other = new EventLoop()) {
            Future<String> f = other.createFuture();
            assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
        }
    }

    // ------------------------------------------------------------------ running state

    @Test
    void isRunningOnlyInsideRunForever() {
        assertFalse(loop.isRunning());
        loop.callSoon(() -> log.add("running=" + loop.isRunning()));
        runOnce();
        assertEquals(List.of("running=true"), log);
        assertFalse(loop.isRunning());
    }

    @Test
    void runForeverInsideTheRunningLoopIsRejected() {
        Throwable[] seen = new Throwable[1];
        loop.callSoon(() -> seen[0] = assertThrows(IllegalStateException.class, loop::runForever));
        runOnce();
        assertTrue(seen[0].getMessage().contains("already running"), seen[0].getMessage());
    }

    @Test
    void runUntilCompleteInsideTheRunningLoopIsRejected() {
        Throwable[] seen = new Throwable[1];
        Future<String> f = loop.createFuture();
        loop.callSoon(() -> seen[0] = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f)));
        runOnce();
        assertNotNull(seen[0]);
    }

    @Test
    void runUntilCompleteOfACoroutineInsideTheRunningLoopCreatesNoTask() {
        // asyncio's run_until_complete calls _check_running() before ensure_future(coro): a
        // refused call leaves no orphan task behind to run later.
        Throwable[] seen = new Throwable[1];
        boolean[] ran = {false};
        loop.callSoon(() -> seen[0] = assertThrows(IllegalStateException.class,
                () -> loop.runUntilComplete(() -> ran[0] = true)));
        runOnce();
        assertTrue(seen[0].getMessage().contains("already running"), seen[0].getMessage());
        assertEquals(Set.of(), loop.allTasks());
        runOnce();
        assertFalse(ran[0], "the refused coroutine ran as an orphan task");
    }

    @Test
    void runUntilCompleteOfACoroutineUnderAnotherRunningLoopCreatesNoTask() {
        Throwable[] seen = new Throwable[1];
        try (EventLoop other = new EventLoop()) {
            other.setExceptionHandler((l, c) -> log.add(c.message()));
            loop.callSoon(() -> seen[0] = assertThrows(IllegalStateException.class,
                    () -> other.runUntilComplete(() -> "never")));
            runOnce();
            assertEquals(Set.of(), other.allTasks());
        }
        assertTrue(seen[0].getMessage().contains("another loop"), seen[0].getMessage());
        assertEquals(List.of(), log); // no "Task was destroyed but it is pending!" on close
    }

    @Test
    void runForeverFromASecondThreadWhileRunningIsRejected() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        Throwable[] seen = new Throwable[1];
        loop.callSoon(running::countDown);
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                running.await();
                seen[0] = assertThrows(IllegalStateException.class, loop::runForever);
            } catch (Throwable e) {
                seen[0] = e;
            } finally {
                loop.callSoonThreadsafe(loop::stop);
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
        other.join();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, seen[0]);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }

    @Test
    void anotherLoopCannotRunInsideARunningLoop() {
        Throwable[] seen = new Throwable[1];
        try (EventLoop other = new EventLoop()) {
            loop.callSoon(() -> seen[0] = assertThrows(IllegalStateException.class, other::runForever));
            runOnce();
        }
        assertTrue(seen[0].getMessage().contains("another loop"), seen[0].getMessage());
    }

    @Test
    void aLoopCanRunAgainAfterItStopped() {
        loop.callSoon(() -> log.add("first run"));
        runOnce();
        loop.callSoon(() -> log.add("second run"));
        runOnce();
        assertEquals(List.of("first run", "second run"), log);
    }

    // ------------------------------------------------------------------ close

    @Test
    void closingARunningLoopIsRejected() {
        Throwable[] seen = new Throwable[1];
        loop.callSoon(() -> seen[0] = assertThrows(IllegalStateException.class, loop::close));
        runOnce();
        assertTrue(seen[0].getMessage().contains("running"), seen[0].getMessage());
        assertFalse(loop.isClosed());
    }

    @Test
    void closeIsIdempotent() {
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
    }

    @Test
    void aClosedLoopRejectsEverything() {
        loop.close();
        assertClosedError(() -> loop.callSoon(() -> { }));
        assertClosedError(() -> loop.callSoonThreadsafe(() -> { }));
        assertClosedError(() -> loop.callLater(0.01, () -> { }));
        assertClosedError(() -> loop.createTask(() -> 1));
        assertClosedError(loop::runForever);
        assertClosedError(() -> loop.runUntilComplete(() -> 1));
    }

    private static void assertClosedError(org.junit.jupiter.api.function.Executable call) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertEquals("Event loop is closed", e.getMessage());
    }

    @Test
    void closeDropsPendingCallbacks() {
        loop.callSoon(() -> log.add("never"));
        loop.close();
        assertEquals(List.of(), log);
    }

    @Test
    void closeReportsTasksStillPending() {
        recordReports();
        Task<Integer> t = loop.createTask(() -> 1);
        loop.close();
        assertEquals(1, reported.size());
        assertSame(t, reported.get(0).task());
        assertTrue(reported.get(0).message().contains("pending"), reported.get(0).message());
    }

    // ------------------------------------------------------------------ exception handling

    @Test
    void exceptionEscapingACallbackGoesToTheHandlerAndTheLoopKeepsRunning() {
        recordReports();
        RuntimeException boom = new RuntimeException("boom");
        loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(() -> log.add("same iteration"));
        loop.callLater(0.01, () -> {
            log.add("later");
            loop.stop();
        });
        loop.runForever();
        assertEquals(List.of("same iteration", "later"), log);
        assertEquals(1, reported.size());
        ExceptionContext ctx = reported.get(0);
        assertSame(boom, ctx.exception());
        assertNotNull(ctx.handle());
        assertTrue(ctx.message().startsWith("Exception in callback"), ctx.message());
    }

    @Test
    void exceptionHandlerGetterReturnsWhatWasSet() {
        assertEquals(null, loop.getExceptionHandler());
        ExceptionHandler h = (l, ctx) -> { };
        loop.setExceptionHandler(h);
        assertSame(h, loop.getExceptionHandler());
        loop.setExceptionHandler(null);
        assertEquals(null, loop.getExceptionHandler());
    }

    @Test
    void exceptionHandlerIsGivenTheLoop() {
        EventLoop[] given = new EventLoop[1];
        loop.setExceptionHandler((l, ctx) -> given[0] = l);
        loop.callSoon(() -> {
            throw new IllegalStateException("x");
        });
        runOnce();
        assertSame(loop, given[0]);
    }

    @Test
    void defaultHandlerLogsThroughSystemLogger() {
        RuntimeException boom = new RuntimeException("logged boom");
        List<LogRecord> records = captureLog(() -> {
            loop.callSoon(() -> {
                throw boom;
            });
            loop.callSoon(() -> log.add("survived"));
            runOnce();
        });
        assertEquals(List.of("survived"), log);
        assertEquals(1, records.size(), "one report expected");
        assertEquals(java.util.logging.Level.SEVERE, records.get(0).getLevel());
        assertSame(boom, records.get(0).getThrown());
        assertTrue(records.get(0).getMessage().contains("Exception in callback"), records.get(0).getMessage());
    }

    @Test
    void aHandlerThatThrowsIsSurvivedAndLogged() {
        loop.setExceptionHandler((l, ctx) -> {
            throw new IllegalStateException("handler broke");
        });
        List<LogRecord> records = captureLog(() -> {
            loop.callSoon(() -> {
                throw new RuntimeException("first");
            });
            loop.callSoon(() -> log.add("next callback"));
            runOnce();
            loop.callSoon(() -> log.add("next iteration"));
            runOnce();
        });
        assertEquals(List.of("next callback", "next iteration"), log);
        assertEquals(1, records.size());
        assertEquals("handler broke", records.get(0).getThrown().getMessage());
    }

    /** Runs {@code body} with a handler on the "org.jasyncio" logger, returning what it logged. */
    private static List<LogRecord> captureLog(Runnable body) {
        // System.Logger is backed by java.util.logging when java.logging is present.
        Logger jul = Logger.getLogger("org.jasyncio");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean parent = jul.getUseParentHandlers();
        jul.addHandler(handler);
        jul.setUseParentHandlers(false); // keep the expected report out of the build output
        try {
            body.run();
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(parent);
        }
        return records;
    }

    // ------------------------------------------------------------------ I/O readiness

    @Test
    void readerCallbackRunsWhenDataArrives() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            loop.addReader(source, () -> {
                try {
                    source.read(buf);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                log.add("read " + buf.position());
                assertTrue(loop.removeReader(source));
                loop.stop();
            });
            // Written from another thread while the loop blocks in select with nothing else to do.
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(20);
                    sink.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
            writer.join();
            assertEquals(List.of("read 3"), log);
            assertFalse(loop.removeReader(source), "the reader was already removed");
        }
    }

    @Test
    void removedReaderIsNotCalled() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            loop.addReader(source, () -> log.add("reader"));
            assertTrue(loop.removeReader(source));
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            loop.callLater(0.02, loop::stop);
            loop.runForever();
            assertEquals(List.of(), log);
        }
    }

    @Test
    void ioIsNotStarvedByATaskThatYieldsForever() throws Exception {
        // The loop batches selectNow() while callbacks are ready (the documented policy: at
        // least every POLL_EVERY_ITERATIONS iterations); a task spinning on sleep(0) must
        // still let a reader run within a bounded number of its own iterations.
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            boolean[] readerRan = new boolean[1];
            loop.addReader(source, () -> {
                readerRan[0] = true;
                loop.removeReader(source);
            });
            int limit = 100_000;
            int spins = loop.runUntilComplete(() -> {
                // Spin a while first, so the write lands in the middle of a busy stretch.
                for (int i = 0; i < 1000; i++) {
                    Asyncio.sleep(0);
                }
                assertFalse(readerRan[0]);
                sink.write(ByteBuffer.wrap(new byte[] {42}));
                int n = 0;
                while (!readerRan[0] && n < limit) {
                    Asyncio.sleep(0);
                    n++;
                }
                return n;
            });
            assertTrue(readerRan[0], "the reader never ran while a task yielded in a loop");
            assertTrue(spins <= 2 * IoPoller.POLL_EVERY_ITERATIONS,
                    "the reader waited " + spins + " iterations of a busy loop");
        }
    }

    @Test
    void writerCallbackRunsWhenTheChannelIsWritable() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            assertTrue(source.isOpen());
            loop.addWriter(sink, () -> {
                log.add("writable");
                assertTrue(loop.removeWriter(sink));
                loop.stop();
            });
            assertTimeoutPreemptively(Duration.ofSeconds(10), loop::runForever);
            assertEquals(List.of("writable"), log);
        }
    }

    @Test
    void removeReaderCancelsACallbackAlreadyReadyInThisIteration() throws Exception {
        // asyncio's remove_reader cancels the handle: a reader removed by an earlier callback of
        // the same iteration does not run.
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        try {
            pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            int[] runs = new int[1];
            EventLoop loop = new EventLoop();
            try {
                loop.addReader(pipe.source(), () -> runs[0]++);
                loop.runUntilComplete(() -> {
                    Asyncio.sleep(0.05); // the pipe is readable: its reader is queued on the next poll
                    return null;
                });
                int before = runs[0];
                // Now queue the reader and remove it from a callback that runs first.
                loop.callSoon(() -> loop.removeReader(pipe.source()));
                loop.runUntilComplete(() -> {
                    Asyncio.sleep(0.05);
                    return null;
                });
                assertTrue(before > 0, "the reader ran while registered");
                assertEquals(before, runs[0], "no run after removeReader");
            } finally {
                loop.close();
            }
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }
}
