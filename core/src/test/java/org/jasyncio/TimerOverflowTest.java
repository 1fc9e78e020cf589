package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deadlines at the ends of the clock. asyncio computes them on a float clock that saturates
 * ({@code time() + -inf} is {@code -inf}, {@code time() + 1e300} is {@code 1e300}): a deadline
 * at or before now runs on the next iteration ({@code _run_once}'s
 * {@code timeout = max(0, when - time())}), and a huge delay never comes due. Here every
 * deadline is a long of nanoseconds, so every step of the arithmetic must saturate.
 */
class TimerOverflowTest {

    private final EventLoop loop = new EventLoop();

    @AfterEach
    void closeLoop() {
        if (!loop.isClosed()) {
            loop.close();
        }
    }

    /** Spins until the clock moved by at least one millisecond: "1 ms of work". */
    private static void workOneMillisecond() {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000) {
            Thread.onSpinWait();
        }
    }

    /**
     * Runs the loop until a callback stops it. If nothing does within 10 s (a loop asleep for
     * centuries), another thread stops it and the test fails, instead of hanging.
     */
    private void runWithWatchdog() {
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean intervened = new AtomicBoolean();
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!finished.await(10, TimeUnit.SECONDS)) {
                    intervened.set(true);
                    loop.stop();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            loop.runForever();
        } finally {
            finished.countDown();
            try {
                watchdog.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertFalse(intervened.get(), "the loop slept past a due timer: the watchdog had to stop it");
    }

    /** {@link EventLoop#runUntilComplete(Coroutine)} under the same watchdog. */
    private <T> T runWithWatchdog(Coroutine<T> main) {
        Task<T> task = loop.createTask(main);
        task.addDoneCallback(f -> loop.stop());
        runWithWatchdog();
        assertTrue(task.done(), "the loop slept past its timers: " + task);
        return task.result();
    }

    static Stream<Arguments> pastDeadlines() {
        return Stream.of(
                Arguments.of("callLater(-Infinity)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(Double.NEGATIVE_INFINITY, cb)),
                Arguments.of("callLater(-1e10)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(-1e10, cb)),
                Arguments.of("callLater(-Double.MAX_VALUE)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(-Double.MAX_VALUE, cb)),
                Arguments.of("callAt(-Infinity)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callAt(Double.NEGATIVE_INFINITY, cb)),
                Arguments.of("callAt(-1e10)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callAt(-1e10, cb)),
                Arguments.of("callLater(-1e10, cb, context)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(-1e10, cb, new Context())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pastDeadlines")
    void aDeadlineFarInThePastRunsOnTheNextIterationAfterTheClockMoved(String what, BiConsumer<EventLoop, Runnable> schedule) {
        // asyncio: timeout = max(0, when - time()) is 0, so the next select does not block.
        boolean[] fired = {false};
        loop.callSoon(() -> {
            schedule.accept(loop, () -> {
                fired[0] = true;
                loop.stop();
            });
            workOneMillisecond(); // the clock moves on before the next select
        });
        runWithWatchdog();
        assertTrue(fired[0], what + " did not fire: the loop slept past it");
    }

    static Stream<Arguments> hugeDeadlines() {
        return Stream.of(
                Arguments.of("callLater(9.223372e9)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(9.223372e9, cb)),
                Arguments.of("callLater(1e300)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(1e300, cb)),
                Arguments.of("callLater(Double.MAX_VALUE)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(Double.MAX_VALUE, cb)),
                Arguments.of("callLater(Infinity)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(Double.POSITIVE_INFINITY, cb)),
                Arguments.of("callLater(9.223372e9, cb, context)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callLater(9.223372e9, cb, new Context())),
                Arguments.of("callAt(9.223372e9)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callAt(9.223372e9, cb)),
                Arguments.of("callAt(time() + 9.223372e9)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callAt(l.time() + 9.223372e9, cb)),
                Arguments.of("callAt(Infinity)", (BiConsumer<EventLoop, Runnable>) (l, cb) -> l.callAt(Double.POSITIVE_INFINITY, cb)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeDeadlines")
    void aHugeDelayNeverFires(String what, BiConsumer<EventLoop, Runnable> schedule) {
        // asyncio: time() + 9.223372e9 is a float 292 years away; it is never due.
        // The short timer is scheduled on the loop, after the huge one, so that the loop has
        // to compute a select timeout with both in its heap.
        List<String> log = new ArrayList<>();
        loop.callSoon(() -> {
            schedule.accept(loop, () -> log.add("huge"));
            loop.callLater(0.002, () -> {
                log.add("short");
                loop.stop();
            });
        });
        runWithWatchdog();
        assertEquals(List.of("short"), log, what);
    }

    @Test
    void aHugeTimerIsStillOrderedAfterEveryNearerOne() {
        TimerHandle huge = loop.callLater(9.223372e9, () -> { });
        TimerHandle near = loop.callLater(1, () -> { });
        assertTrue(huge.when() > near.when(), huge.when() + " vs " + near.when());
        assertTrue(huge.when() > loop.time() + 9e9, "when() = " + huge.when());
    }

    @Test
    void sleepOfAHugeDurationDoesNotReturnEarly() {
        // asyncio.sleep(1e300) suspends for good; so must every saturating form here.
        List<Task<Void>> sleepers = runWithWatchdog(() -> {
            List<Task<Void>> ts = List.of(
                    Asyncio.createTask(() -> Asyncio.sleep(Duration.ofNanos(Long.MAX_VALUE)), "ofNanos(MAX)"),
                    Asyncio.createTask(() -> Asyncio.sleep(Duration.ofSeconds(Long.MAX_VALUE)), "ofSeconds(MAX)"),
                    Asyncio.createTask(() -> Asyncio.sleep(9.223372e9), "9.223372e9 s"),
                    Asyncio.createTask(() -> Asyncio.sleep(1e300), "1e300 s"),
                    Asyncio.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY), "Infinity s"));
            Asyncio.sleep(0.005);
            for (Task<Void> t : ts) {
                t.cancel();
            }
            Asyncio.sleep(0);
            return ts;
        });
        for (Task<Void> t : sleepers) {
            assertTrue(t.cancelled(), t.getName() + " returned early: " + t);
        }
    }

    @Test
    void hugeTimeoutsNeverExpire() {
        // asyncio.timeout(1e300) / wait_for(aw, 1e300): the deadline is never reached.
        String result = runWithWatchdog(() -> {
            Future<String> slow = new Future<>();
            Asyncio.getRunningLoop().callLater(0.005, () -> slow.setResult("done"));
            String a = Asyncio.waitFor(slow, 9.223372e9);
            String b = Asyncio.timeout(Duration.ofSeconds(Long.MAX_VALUE), () -> {
                Asyncio.sleep(0.002);
                return "b";
            });
            String c = Timeout.after(Duration.ofNanos(Long.MAX_VALUE)).run(() -> {
                Asyncio.sleep(0.002);
                return "c";
            });
            String d = Timeout.at(Double.MAX_VALUE).run(() -> {
                Asyncio.sleep(0.002);
                return "d";
            });
            return a + b + c + d;
        });
        assertEquals("donebcd", result);
    }

    @Test
    void aTimeoutFarInThePastExpiresAtOnce() {
        // asyncio.timeout_at(-inf): already expired, the body is cancelled at its first await.
        assertThrows(AsyncTimeoutException.class, () -> Asyncio.run(() ->
                Asyncio.timeoutAt(Double.NEGATIVE_INFINITY, () -> Asyncio.sleep(3600))));
        assertThrows(AsyncTimeoutException.class, () -> Asyncio.run(() ->
                Asyncio.timeout(-1e300, () -> Asyncio.sleep(3600))));
    }

    // ------------------------------------------------------------- the arithmetic itself

    @Test
    void secondsToNanosSaturates() {
        assertEquals(Long.MAX_VALUE, Deadlines.toNanos(Double.POSITIVE_INFINITY));
        assertEquals(Long.MAX_VALUE, Deadlines.toNanos(Double.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Deadlines.toNanos(9.3e9));
        assertEquals(Long.MIN_VALUE, Deadlines.toNanos(Double.NEGATIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, Deadlines.toNanos(-1e10));
        assertEquals(1_500_000_000L, Deadlines.toNanos(1.5));
        assertEquals(1L, Deadlines.toNanos(1e-10)); // rounded up: never early
        assertEquals(0L, Deadlines.toNanos(0));
        assertEquals(-1_000_000_000L, Deadlines.toNanos(-1));
    }

    @Test
    void durationToNanosSaturates() {
        assertEquals(Long.MAX_VALUE, Deadlines.toNanos(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE, Deadlines.toNanos(Duration.ofSeconds(Long.MIN_VALUE)));
        assertEquals(Long.MAX_VALUE, Deadlines.toNanos(Duration.ofNanos(Long.MAX_VALUE)));
        assertEquals(42L, Deadlines.toNanos(Duration.ofNanos(42)));
    }

    @Test
    void deadlinesSaturateInsteadOfWrapping() {
        assertEquals(Long.MAX_VALUE, Deadlines.after(1_000, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Deadlines.after(Long.MAX_VALUE - 5, 10));
        assertEquals(Long.MIN_VALUE, Deadlines.after(-1_000, Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE + 1_000, Deadlines.after(1_000, Long.MIN_VALUE));
        assertEquals(1_010, Deadlines.after(1_000, 10));
        assertEquals(990, Deadlines.after(1_000, -10));
    }

    @Test
    void timeLeftIsNeverNegativeNorWrapped() {
        assertEquals(0, Deadlines.remaining(Long.MIN_VALUE, 1_000));
        assertEquals(0, Deadlines.remaining(Long.MIN_VALUE + 5, 1_000));
        assertEquals(0, Deadlines.remaining(1_000, 1_000));
        assertEquals(10, Deadlines.remaining(1_010, 1_000));
        assertEquals(Long.MAX_VALUE, Deadlines.remaining(Long.MAX_VALUE, -1_000));
        assertEquals(Long.MAX_VALUE - 1_000, Deadlines.remaining(Long.MAX_VALUE, 1_000));
    }

    @Test
    void selectTimeoutsRoundUpToWholeMillisecondsWithoutOverflow() {
        assertEquals(1, Deadlines.ceilMillis(1));
        assertEquals(1, Deadlines.ceilMillis(1_000_000));
        assertEquals(2, Deadlines.ceilMillis(1_000_001));
        assertEquals(Long.MAX_VALUE / 1_000_000 + 1, Deadlines.ceilMillis(Long.MAX_VALUE));
    }
}
