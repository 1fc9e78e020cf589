package org.jasyncio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.DeadlockException;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.jasyncio.net.Network;
import org.jasyncio.net.Protocol;
import org.jasyncio.net.Server;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * What makes an {@link AsyncTest} fail, checked by running small sample classes (the static
 * nested classes marked {@link Sample}, which run only that way) through JUnit's EngineTestKit
 * and reading their results.
 */
class AsyncTestFailuresTest {

    // ------------------------------------------------------------------ helpers

    private static final String SAMPLES_PARAMETER = "org.jasyncio.testing.samples";

    private static EngineExecutionResults run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(SAMPLES_PARAMETER, "run")
                .selectors(selectClass(sample)).execute();
    }

    /**
     * Marks a sample class: it runs only through {@link #run}, and is skipped if a test filter
     * (say {@code -Dtest=AsyncTest*}) hands it to JUnit directly, where its failures are meant.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(OnlyThroughEngineTestKit.class)
    @interface Sample {
    }

    static final class OnlyThroughEngineTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(SAMPLES_PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by AsyncTestFailuresTest")
                    : ConditionEvaluationResult.disabled("a sample of AsyncTestFailuresTest, which runs it");
        }
    }

    /** The failures of the tests (not containers), in the order they ran. */
    private static List<Throwable> failures(Events events) {
        return events.failed().stream().map(AsyncTestFailuresTest::throwable).toList();
    }

    private static Throwable throwable(Event e) {
        return e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    /** The only failure of the sample's only test. */
    private static Throwable onlyFailure(Class<?> sample) {
        Events tests = run(sample).testEvents();
        tests.assertStatistics(s -> s.started(1).failed(1).succeeded(0));
        return failures(tests).get(0);
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), "expected to find <" + part + "> in:\n" + text);
    }

    /** The line after the caller's: where the next statement of a sample is. */
    private static int nextLine() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    // ------------------------------------------------------------------ a passing sample

    @Sample
    static class Passes {
        @AsyncTest
        void fine() {
            Asyncio.createTask(() -> Asyncio.sleep(1)).await();
        }
    }

    @Test
    void aCleanTestPasses() {
        run(Passes.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    // ------------------------------------------------------------------ pending tasks

    @Sample
    static class LeavesATaskPending {
        static int createdAt;

        @AsyncTest
        void leaks() {
            createdAt = nextLine();
            Asyncio.createTask(AsyncTestFailuresTest::waitForever, "leaked");
        }
    }

    static Object waitForever() {
        return new Future<>().await();
    }

    @Test
    void aTaskStillPendingWhenTheBodyReturnsFailsTheTestNamingWhereItWasCreated() {
        Throwable t = onlyFailure(LeavesATaskPending.class);
        assertInstanceOf(AssertionError.class, t);
        String m = t.getMessage();
        assertContains(m, "1 task was still pending when the test body returned");
        assertContains(m, "Task[leaked pending");
        assertContains(m, "created at org.jasyncio.testing.AsyncTestFailuresTest$LeavesATaskPending.leaks"
                + "(AsyncTestFailuresTest.java:" + LeavesATaskPending.createdAt + ")");
    }

    @Sample
    static class LeavesATaskPendingWithoutDebug {
        @AsyncTest(debug = false)
        void leaks() {
            Asyncio.createTask(() -> Asyncio.sleep(5), "leaked");
        }
    }

    @Test
    void withoutDebugModeThePendingTaskIsListedWithoutItsCreationSite() {
        String m = onlyFailure(LeavesATaskPendingWithoutDebug.class).getMessage();
        assertContains(m, "Task[leaked pending");
        assertFalse(m.contains("created at"), m);
    }

    @Sample
    static class FailsAndLeaks {
        @AsyncTest
        void failsAndLeaks() {
            Asyncio.createTask(() -> Asyncio.sleep(5), "leaked");
            throw new IllegalArgumentException("the body's own failure");
        }
    }

    @Test
    void theBodysOwnExceptionIsThrownUnchangedWithTheLeftoversSuppressed() {
        Throwable t = onlyFailure(FailsAndLeaks.class);
        assertInstanceOf(IllegalArgumentException.class, t);
        assertEquals("the body's own failure", t.getMessage());
        assertEquals(1, t.getSuppressed().length, Arrays.toString(t.getSuppressed()));
        assertContains(t.getSuppressed()[0].getMessage(), "Task[leaked pending");
    }

    // ------------------------------------------------------------------ the loop's reports

    @Sample
    static class ReportsToTheHandler {
        @AsyncTest
        void reports() {
            Asyncio.getRunningLoop().callExceptionHandler(
                    ExceptionContext.of("Future exception was never retrieved", new IllegalStateException("boom")));
        }
    }

    @Test
    void aReportToTheLoopsExceptionHandlerFailsTheTestWithItsMessageAndException() {
        Throwable t = onlyFailure(ReportsToTheHandler.class);
        String m = t.getMessage();
        assertContains(m, "the loop's exception handler received 1 report:");
        assertContains(m, "Future exception was never retrieved");
        assertContains(m, "exception: java.lang.IllegalStateException: boom");
        assertEquals(1, t.getSuppressed().length);
        assertEquals("boom", t.getSuppressed()[0].getMessage(), "the exception itself, with its stack trace");
    }

    @Sample
    static class CallbackThrows {
        @AsyncTest
        void callbackThrows() {
            Asyncio.getRunningLoop().callSoon(() -> {
                throw new IllegalStateException("thrown in a callback");
            });
            Asyncio.sleep(0);
        }
    }

    @Test
    void anExceptionEscapingACallbackFailsTheTest() {
        Throwable t = onlyFailure(CallbackThrows.class);
        assertContains(t.getMessage(), "thrown in a callback");
        assertContains(t.getMessage(), "the loop's exception handler received 1 report:");
    }

    @Sample
    static class ForgetsAFailedTask {
        static int createdAt;

        @AsyncTest
        void forgets() {
            createdAt = nextLine();
            Asyncio.createTask(() -> {
                throw new IllegalStateException("failed, and nobody asked");
            }, "forgotten");
            Asyncio.sleep(1); // it fails meanwhile; nobody awaits it
        }
    }

    @Test
    void inDebugModeATaskExceptionNeverRetrievedFailsTheTestDeterministically() {
        // Debug mode (the default) reports at loop close every exception still unretrieved,
        // with where its future was made, whether or not the collector has found it.
        Throwable t = onlyFailure(ForgetsAFailedTask.class);
        String m = t.getMessage();
        assertContains(m, "the loop's exception handler received 1 report:");
        assertContains(m, "Task exception was never retrieved");
        assertContains(m, "Task[forgotten finished exception=java.lang.IllegalStateException: failed, and nobody asked]");
        assertContains(m, "created at org.jasyncio.testing.AsyncTestFailuresTest$ForgetsAFailedTask.forgets"
                + "(AsyncTestFailuresTest.java:" + ForgetsAFailedTask.createdAt + ")");
        assertEquals("failed, and nobody asked", t.getSuppressed()[0].getMessage());
    }

    @Sample
    static class UnretrievedFuture {
        // Without debug mode the report comes from the collector, when it finds the future: the
        // body sleeps in real time to give the JDK's Cleaner thread time to act.
        @AsyncTest(virtualTime = false, debug = false)
        void dropsAFailedFuture() {
            failAndDrop();
            // The loop hears of it when the future is collected; ask for that a few times.
            for (int i = 0; i < 20; i++) {
                System.gc();
                Asyncio.sleep(0.01);
            }
        }
    }

    /** Fails a future and drops it (in a frame of its own, so no stack slot keeps it). */
    static void failAndDrop() {
        new Future<Void>().setException(new IllegalStateException("nobody looks"));
    }

    @Test
    void withoutDebugModeAFutureExceptionNeverRetrievedFailsTheTestOnceCollected() {
        Throwable t = onlyFailure(UnretrievedFuture.class);
        assertContains(t.getMessage(), "exception was never retrieved");
        assertContains(t.getMessage(), "nobody looks");
    }

    @Sample
    static class LeavesAServerOpen {
        static int createdAt;

        @AsyncTest
        void serves() throws Exception {
            createdAt = nextLine();
            Server s = Network.createServer(() -> new Protocol() { }, "127.0.0.1", 0);
            assertTrue(s.port() > 0);
        }
    }

    @Test
    void aServerLeftOpenIsReportedAtCloseWithWhereItWasMade() {
        String m = onlyFailure(LeavesAServerOpen.class).getMessage();
        assertContains(m, "unclosed server Server[");
        assertContains(m, "(AsyncTestFailuresTest.java:" + LeavesAServerOpen.createdAt + ")");
    }

    @Sample
    static class TaskFailsOnCancellation {
        @AsyncTest
        void leavesAStubbornTask() {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    throw new IllegalStateException("failed while being cancelled");
                }
            }, "stubborn");
            Asyncio.sleep(0);
        }
    }

    @Test
    void aTaskFailingWhileTheRunnerCancelsItIsReportedToo() {
        String m = onlyFailure(TaskFailsOnCancellation.class).getMessage();
        assertContains(m, "Task[stubborn pending");
        assertContains(m, "unhandled exception during Asyncio.run() shutdown");
        assertContains(m, "failed while being cancelled");
    }

    @Sample
    static class LeaksAndReportsTwice {
        @AsyncTest
        void everything() {
            Asyncio.createTask(() -> Asyncio.sleep(5), "leaked");
            Asyncio.getRunningLoop().callExceptionHandler(ExceptionContext.of("first report", null));
            Asyncio.getRunningLoop().callExceptionHandler(
                    ExceptionContext.of("second report", new IllegalStateException("second's exception")));
        }
    }

    @Test
    void pendingTasksAndEveryReportAreListedInOneFailure() {
        Throwable t = onlyFailure(LeaksAndReportsTwice.class);
        String m = t.getMessage();
        assertContains(m, "1 task was still pending");
        assertContains(m, "Task[leaked pending");
        assertContains(m, "the loop's exception handler received 2 reports:\n  first report\n  second report");
        assertContains(m, "exception: java.lang.IllegalStateException: second's exception");
        assertEquals(1, t.getSuppressed().length, "only the report with an exception adds one");
    }

    @Sample
    static class CancelsItself {
        @AsyncTest
        void cancelsItself() {
            Asyncio.currentTask().cancel("by the body itself");
            Asyncio.sleep(1);
        }
    }

    @Test
    void theBodysOwnCancellationIsItsFailureUnchanged() {
        Throwable t = onlyFailure(CancelsItself.class);
        assertInstanceOf(org.jasyncio.CancelledError.class, t);
        assertFalse(String.valueOf(t.getMessage()).contains("interrupted"), String.valueOf(t.getMessage()));
    }

    @Sample
    static class Assumes {
        static int runs;

        @AsyncTest
        void plain() {
            runs++;
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "not here");
        }

        @AsyncTest(schedules = 2)
        void seeded() {
            runs++;
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "not here either");
        }
    }

    @Test
    void aFailedAssumptionAbortsTheTestUnderASeedToo() {
        Assumes.runs = 0;
        Events tests = run(Assumes.class).testEvents();
        tests.assertStatistics(s -> s.started(3).aborted(3).failed(0));
        assertEquals(3, Assumes.runs);
    }

    // ------------------------------------------------------------------ timeouts

    /** The body of the interrupt samples: three tasks, each waiting somewhere of its own. */
    static final class Hang {
        static int helperWaits;
        static int bodyWaits;

        static void hang(Runnable beforeWaiting) {
            Future<Void> never = new Future<>();
            var a = Asyncio.createTask(() -> waitHere(never), "helper-a");
            var b = Asyncio.createTask(() -> {
                Asyncio.sleep(0.001);
                return waitHere(never);
            }, "helper-b");
            beforeWaiting.run();
            bodyWaits = nextLine();
            Asyncio.gather(a, b).await();
        }

        static Void waitHere(Future<Void> f) {
            helperWaits = nextLine();
            return f.await();
        }
    }

    @Sample
    static class InterruptedWhileWaiting {
        @AsyncTest
        void hangs() {
            // Interrupts the loop thread, as JUnit's @Timeout does, once every task waits: the
            // virtual clock reaches the timer only then. No real time involved.
            Hang.hang(() -> Asyncio.getRunningLoop().callLater(5, () -> Thread.currentThread().interrupt()));
        }
    }

    @Test
    void anInterruptFailsTheTestWithEveryTaskAndWhereEachWaitedBeforeAnyWasCancelled() {
        Throwable t = onlyFailure(InterruptedWhileWaiting.class);
        assertInstanceOf(AssertionError.class, t);
        assertInstanceOf(org.jasyncio.CancelledError.class, t.getCause());
        String dump = t.getMessage();
        assertContains(dump, "the test thread was interrupted (JUnit's @Timeout interrupts it) while the test ran");
        String helperAt = "(AsyncTestFailuresTest.java:" + Hang.helperWaits + ")";
        String bodyAt = "(AsyncTestFailuresTest.java:" + Hang.bodyWaits + ")";
        List<String> taskLines = dump.lines().filter(l -> l.startsWith("  Task[")).toList();
        assertEquals(3, taskLines.size(), dump);
        assertTrue(taskLines.get(0).startsWith("  Task[hangs pending waiting on GatheringFuture at ")
                && taskLines.get(0).contains(bodyAt), dump);
        assertTrue(taskLines.get(1).startsWith("  Task[helper-a pending waiting on Future at ")
                && taskLines.get(1).contains(helperAt), dump);
        assertTrue(taskLines.get(2).startsWith("  Task[helper-b pending waiting on Future at ")
                && taskLines.get(2).contains(helperAt), dump);
        for (String line : taskLines) {
            assertFalse(line.contains("cancel"), "seen before any cancellation: " + line);
        }
        // Each task's suspended stack follows, from its innermost user frame to the task's root.
        assertEquals(2, dump.lines().filter(l -> l.startsWith("      at ") && l.contains("waitHere" + helperAt)).count(),
                dump);
        assertEquals(1, dump.lines().filter(l -> l.startsWith("      at ") && l.contains("hang" + bodyAt)).count(),
                dump);
        assertFalse(dump.contains("org.junit.") || dump.contains("Strand."), "each stack ends at the task's root:\n" + dump);
    }

    @Sample
    static class InterruptedAtOnce {
        @BeforeEach
        void interruptTheTestThread() {
            // As a @Timeout shorter than the loop's start would: before the runner's first iteration.
            Thread.currentThread().interrupt();
        }

        @AsyncTest
        void neverStarts() {
            throw new AssertionError("not reached: the interrupt comes first");
        }
    }

    @Test
    void anInterruptBeforeTheBodyStartsSaysSo() {
        Throwable t = onlyFailure(InterruptedAtOnce.class);
        assertContains(t.getMessage(), "the test thread was interrupted (JUnit's @Timeout interrupts it) before the "
                + "test body started");
        assertFalse(Thread.currentThread().isInterrupted(), "the runner consumed the interrupt");
    }

    /** Runs passing samples once, so a @Timeout sample's budget is not spent loading classes. */
    private static void warmUp() {
        run(Passes.class).testEvents().assertStatistics(s -> s.succeeded(1));
        run(ParameterizedWithSchedules.class).testEvents().assertStatistics(s -> s.succeeded(2));
    }

    @Sample
    static class TimesOut {
        // Without debug mode: in it the loop reports this hang itself as a deadlock, before
        // the timeout (see aDeadlockFailsTheTestAtOnceWithTheCycle).
        @AsyncTest(debug = false)
        @Timeout(value = 1, unit = TimeUnit.SECONDS)
        void hangs() {
            Hang.hang(() -> { });
        }
    }

    @Sample
    static class Deadlocks {
        @AsyncTest
        @Timeout(value = 30, unit = TimeUnit.SECONDS)
        void twoTasksAwaitEachOther() {
            Task<?>[] t = new Task<?>[2];
            t[0] = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return t[1].await();
            }, "first");
            t[1] = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return t[0].await();
            }, "second");
            t[0].await();
        }
    }

    @Test
    void aDeadlockFailsTheTestAtOnceWithTheCycle() {
        // @AsyncTest runs in debug mode under virtual time: the loop reports the hang itself,
        // in a fraction of a second, instead of waiting for JUnit's timeout.
        long start = System.nanoTime();
        Throwable t = onlyFailure(Deadlocks.class);
        assertInstanceOf(DeadlockException.class, t);
        assertContains(t.getMessage(), "Cycle: first -> second -> first");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "the deadlock was not reported before the timeout");
    }

    @Test
    void aTimeoutFailsWithJUnitsTimeoutAndTheDumpOfEveryTask() {
        warmUp();
        Throwable t = onlyFailure(TimesOut.class);
        assertInstanceOf(TimeoutException.class, t, "JUnit's own timeout failure");
        assertContains(t.getMessage(), "timed out after 1 second");
        assertEquals(1, t.getSuppressed().length, Arrays.toString(t.getSuppressed()));
        String dump = t.getSuppressed()[0].getMessage();
        assertContains(dump, "the test thread was interrupted (JUnit's @Timeout interrupts it) while the test ran");
        assertContains(dump, "Task[hangs pending waiting on GatheringFuture at ");
        assertContains(dump, "Task[helper-a pending waiting on Future at ");
        assertContains(dump, "Task[helper-b pending waiting on Future at ");
    }

    @Sample
    static class ParameterizedTimesOut {
        @ParameterizedTest
        @ValueSource(strings = {"stuck"})
        @AsyncTest(debug = false)
        @Timeout(value = 1, unit = TimeUnit.SECONDS)
        void hangs(String name) {
            Asyncio.createTask(AsyncTestFailuresTest::waitForever, name).await();
        }
    }

    @Test
    void aParameterizedInvocationThatTimesOutDumpsItsTasksToo() {
        warmUp();
        Throwable t = onlyFailure(ParameterizedTimesOut.class);
        assertInstanceOf(TimeoutException.class, t);
        String dump = t.getSuppressed()[0].getMessage();
        assertContains(dump, "Task[hangs pending waiting on Task stuck at ");
        assertContains(dump, "Task[stuck pending waiting on Future at ");
    }

    // ------------------------------------------------------------------ schedules and seeds

    /** Two timers due together: which runs first is the schedule's choice. */
    static List<String> race() {
        List<String> order = new ArrayList<>();
        var a = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            order.add("a");
        });
        var b = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            order.add("b");
        });
        Asyncio.gather(a, b).await();
        return order;
    }

    @Sample
    static class Races {
        @AsyncTest(schedules = 16)
        void aBeforeB() {
            assertEquals(List.of("a", "b"), race());
        }
    }

    @Sample
    static class RacesUnderPct {
        @AsyncTest(schedules = 16, strategy = ScheduleStrategy.PCT)
        void aBeforeB() {
            assertEquals(List.of("a", "b"), race());
        }
    }

    @Sample
    static class ReplaysSeedFive {
        @AsyncTest(seed = 5)
        void aBeforeB() {
            assertEquals(List.of("a", "b"), race());
        }
    }

    @Test
    void schedulesRunsOneInvocationPerSeedAndAFailureNamesItsSeedAndTheReplay() {
        Events tests = run(Races.class).testEvents();
        tests.assertStatistics(s -> s.started(16));
        List<String> names = tests.started().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
        for (int i = 0; i < 16; i++) {
            assertEquals("seed " + i, names.get(i));
        }
        List<Event> failed = tests.failed().list();
        assertTrue(failed.size() > 0 && failed.size() < 16, "some seeds put b first, some do not: " + failed.size());
        for (Event e : failed) {
            String seed = e.getTestDescriptor().getDisplayName().substring("seed ".length());
            Throwable t = throwable(e);
            assertInstanceOf(AssertionError.class, t);
            assertContains(t.getMessage(), "failed under schedule seed " + seed + " (RANDOM)");
            assertContains(t.getMessage(), "Replay this schedule alone with @AsyncTest(seed = " + seed + ")");
            assertContains(t.getMessage(), "expected: <[a, b]> but was: <[b, a]>");
            assertNotNull(t.getCause(), "the original failure is the cause");
        }
    }

    @Test
    void aSeedGivenAloneReplaysExactlyWhatThatInvocationOfSchedulesDid() {
        Events all = run(Races.class).testEvents();
        boolean fiveFailed = all.failed().stream().anyMatch(e -> e.getTestDescriptor().getDisplayName().equals("seed 5"));
        Events replay = run(ReplaysSeedFive.class).testEvents();
        replay.assertStatistics(s -> s.started(1).failed(fiveFailed ? 1 : 0));
        assertEquals("seed 5", replay.started().list().get(0).getTestDescriptor().getDisplayName());
        // And every seed replays under the runner alone, failing exactly when its invocation failed.
        for (long seed = 0; seed < 16; seed++) {
            String name = "seed " + seed;
            boolean failedThen = all.failed().stream().anyMatch(e -> e.getTestDescriptor().getDisplayName().equals(name));
            Throwable now = null;
            try {
                AsyncTestRun.run(new AsyncTestRun.Options(true, true, ScheduleStrategy.RANDOM), seed, "race",
                        () -> assertEquals(List.of("a", "b"), race()));
            } catch (Throwable t) {
                now = t;
            }
            assertEquals(failedThen, now != null, name + ": " + now);
        }
    }

    @Test
    void pctFailuresNameTheStrategyInTheReplay() {
        List<Throwable> failed = failures(run(RacesUnderPct.class).testEvents());
        assertFalse(failed.isEmpty(), "PCT also puts b first under some seed");
        for (Throwable t : failed) {
            assertContains(t.getMessage(), " (PCT): ");
            assertContains(t.getMessage(), ", strategy = ScheduleStrategy.PCT)");
        }
    }

    @Sample
    static class ParameterizedWithSchedules {
        static final List<String> RUNS = new ArrayList<>();

        @ParameterizedTest
        @ValueSource(strings = {"x", "y"})
        @AsyncTest(schedules = 3)
        void each(String p) {
            assertEquals(0.0, Asyncio.getRunningLoop().time(), "a fresh loop per seed");
            Asyncio.sleep(1);
            RUNS.add(p);
        }
    }

    @Test
    void aParameterizedTestWithSchedulesRunsEveryInvocationUnderEverySeed() {
        ParameterizedWithSchedules.RUNS.clear();
        run(ParameterizedWithSchedules.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertEquals(List.of("x", "x", "x", "y", "y", "y"), ParameterizedWithSchedules.RUNS);
    }

    @Sample
    static class ParameterizedRace {
        @ParameterizedTest
        @ValueSource(ints = {1})
        @AsyncTest(schedules = 16)
        void aBeforeB(int unused) {
            assertEquals(List.of("a", "b"), race());
        }
    }

    @Test
    void aParameterizedInvocationFailingUnderASeedNamesTheSeed() {
        Throwable t = onlyFailure(ParameterizedRace.class);
        assertContains(t.getMessage(), "failed under schedule seed ");
        assertContains(t.getMessage(), "Replay this schedule alone with @AsyncTest(seed = ");
    }

    @Sample
    static class ParameterizedLeak {
        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        @AsyncTest
        void leaks(int n) {
            Asyncio.createTask(() -> Asyncio.sleep(n), "leaked-" + n);
        }
    }

    @Test
    void aParameterizedInvocationIsCheckedLikeAnyOther() {
        Events tests = run(ParameterizedLeak.class).testEvents();
        tests.assertStatistics(s -> s.started(2).failed(2));
        List<Throwable> f = failures(tests);
        assertContains(f.get(0).getMessage(), "Task[leaked-1 pending");
        assertContains(f.get(1).getMessage(), "Task[leaked-2 pending");
    }

    // ------------------------------------------------------------------ bad input

    @Sample
    static class UnsupportedParameter {
        @AsyncTest
        void wantsAString(String name) {
        }
    }

    @Test
    void aParameterNobodySuppliesFailsWithAMessageNamingIt() {
        Throwable t = onlyFailure(UnsupportedParameter.class);
        assertContains(t.getMessage(), "@AsyncTest method UnsupportedParameter.wantsAString(String)");
        assertContains(t.getMessage(), "No ParameterResolver registered for parameter [java.lang.String");
        assertContains(t.getMessage(), "Parameters: #0 String ");
        assertContains(t.getMessage(), "Asyncio.getRunningLoop()");
    }

    @Sample
    static class WithTestToo {
        static boolean ranOutsideALoop;

        @Test
        @AsyncTest
        void both() {
            ranOutsideALoop |= Asyncio.currentTask() == null;
        }
    }

    @Test
    void testAndAsyncTestTogetherFailWithTheFixAndTheBodyNeverRunsOutsideALoop() {
        // JUnit finds such a method twice, as a test and as a template: the test fails with the
        // fix, without running the body; the template runs it on a loop as usual.
        WithTestToo.ranOutsideALoop = false;
        Events tests = run(WithTestToo.class).testEvents();
        tests.assertStatistics(s -> s.started(2).failed(1).succeeded(1));
        assertContains(failures(tests).get(0).getMessage(),
                "WithTestToo.both() has both @Test and @AsyncTest: remove @Test");
        assertFalse(WithTestToo.ranOutsideALoop);
    }

    @Sample
    static class NoSchedules {
        @AsyncTest(schedules = 0)
        void never() {
        }
    }

    @Sample
    static class SeedAndSchedules {
        @AsyncTest(seed = 3, schedules = 2)
        void never() {
        }
    }

    /** The failure of the sample's template container: it never gets to run a test. */
    private static Throwable containerFailure(Class<?> sample) {
        EngineExecutionResults r = run(sample);
        r.testEvents().assertStatistics(s -> s.started(0));
        List<Throwable> f = failures(r.containerEvents());
        assertEquals(1, f.size(), f.toString());
        return f.get(0);
    }

    @Test
    void schedulesBelowOneIsAClearError() {
        Throwable t = containerFailure(NoSchedules.class);
        assertContains(t.getMessage(), "@AsyncTest(schedules = 0) on NoSchedules.never(): schedules must be at least 1");
    }

    @Test
    void aSeedAndSeveralSchedulesTogetherIsAClearError() {
        Throwable t = containerFailure(SeedAndSchedules.class);
        assertContains(t.getMessage(), "give either seed");
    }
}
