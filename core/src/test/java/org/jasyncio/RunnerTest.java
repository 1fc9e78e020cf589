package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jasyncio.sync.Lock;
import org.junit.jupiter.api.Test;

/** {@link Runner}: asyncio.Runner's life cycle (Lib/test/test_asyncio/test_runners.py's RunnerTests). */
class RunnerTest {

    @Test
    void runReturnsTheResultAndRethrowsTheExceptionUnchanged() {
        try (Runner runner = new Runner()) {
            assertEquals(42, runner.run(() -> 42));
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> runner.run(() -> {
                throw boom;
            })));
        }
    }

    @Test
    void severalRunsShareOneLoop() {
        // test_runners: test_run_keeps_context / the loop is reused between run() calls.
        try (Runner runner = new Runner()) {
            EventLoop first = runner.run(() -> Asyncio.getRunningLoop());
            EventLoop second = runner.run(() -> Asyncio.getRunningLoop());
            assertSame(first, second);
            assertSame(first, runner.getLoop());
            Lock lock = runner.run(() -> {
                Lock l = new Lock();
                l.acquire();
                return l;
            });
            assertTrue(runner.run(() -> lock.locked()), "a loop-bound lock carries over to the next run");
        }
    }

    @Test
    void aTaskLeftPendingRunsAlongInTheNextRunAndIsCancelledAtClose() {
        List<String> log = new ArrayList<>();
        Task<?>[] left = new Task<?>[1];
        try (Runner runner = new Runner()) {
            runner.run(() -> {
                left[0] = Asyncio.createTask(() -> {
                    try {
                        Asyncio.sleep(3600);
                    } catch (CancelledError e) {
                        log.add("cancelled at close");
                        throw e;
                    }
                });
            });
            assertFalse(left[0].done());
            runner.run(() -> Asyncio.sleep(0));
            assertFalse(left[0].done());
        }
        assertTrue(left[0].cancelled());
        assertEquals(List.of("cancelled at close"), log);
    }

    @Test
    void getLoopMakesTheLoopOnceAndCloseClosesIt() {
        Runner runner = new Runner();
        EventLoop loop = runner.getLoop();
        assertSame(loop, runner.getLoop());
        assertFalse(loop.isClosed());
        runner.close();
        assertTrue(loop.isClosed());
        runner.close(); // idempotent
    }

    @Test
    void aClosedRunnerRefusesToRun() {
        Runner runner = new Runner();
        runner.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> 1));
        assertEquals("Runner is closed", e.getMessage());
        assertThrows(IllegalStateException.class, runner::getLoop);
    }

    @Test
    void runInsideARunningLoopIsRefusedBeforeAnythingIsMade() {
        try (Runner outer = new Runner(); Runner inner = new Runner()) {
            IllegalStateException e = outer.run(() -> assertThrows(IllegalStateException.class, () -> inner.run(() -> 1)));
            assertTrue(e.getMessage().contains("cannot be called from a running event loop"), e.getMessage());
        }
    }

    @Test
    void closingARunnerThatNeverRanMakesNoLoop() {
        Runner runner = Runner.builder().virtualTime(true).build();
        runner.close();
        assertThrows(IllegalStateException.class, runner::getLoop);
    }

    @Test
    void anInterruptCancelsTheMainTaskOfTheCurrentRunOnly() {
        try (Runner runner = new Runner()) {
            assertThrows(CancelledError.class, () -> runner.run(() -> {
                // A callback runs on the loop's thread: its interrupt comes "from outside" the task.
                Asyncio.getRunningLoop().callSoon(() -> Thread.currentThread().interrupt());
                Asyncio.sleep(3600);
            }));
            assertTrue(Thread.interrupted(), "run returns with the interrupt status set");
            assertEquals("ok", runner.run(() -> "ok"), "the runner is usable after an interrupted run");
        }
    }

    @Test
    void theBuilderAppliesDebugMode() {
        try (Runner plain = new Runner(); Runner debug = Runner.builder().debug(true).build()) {
            assertFalse(plain.getLoop().getDebug());
            assertTrue(debug.getLoop().getDebug());
        }
    }

    @Test
    void nullMainIsRefusedByName() {
        try (Runner runner = new Runner()) {
            assertEquals("main", assertThrows(NullPointerException.class, () -> runner.run((Coroutine<Object>) null)).getMessage());
            assertEquals("main", assertThrows(NullPointerException.class, () -> runner.run((AsyncRunnable) null)).getMessage());
        }
    }
}
