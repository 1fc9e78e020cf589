package org.jasyncio.examples.cookbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;
import org.jasyncio.testing.AsyncTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The cookbook's testing recipe: {@link Stock}'s race found by schedule exploration, replayed
 * by its seed, and the fix checked under the same schedules, all in virtual time. The racy
 * tests are the nested sample classes, which fail on purpose and run only through JUnit's
 * EngineTestKit, here.
 */
class StockTest {

    /** The first schedule seed under which the racy test fails (the same on both strands). */
    static final long FIRST_FAILING_SEED = 0;
    /** The racy test's first failure, as docs/cookbook.md quotes it. */
    static final String FIRST_FAILURE = "failed under schedule seed 0 (RANDOM): org.opentest4j.AssertionFailedError:"
            + " expected: <[true, false]> but was: <[true, true]>\n"
            + "Replay this schedule alone with @AsyncTest(seed = 0)";
    /** How many of seeds 0-99 fail the racy test, as docs/cookbook.md says. */
    static final int FAILING_SCHEDULES = 49;

    // ------------------------------------------------------------------ the fix, explored

    @AsyncTest(schedules = 100)
    void theLastItemIsSoldOnce() {
        Stock stock = new Stock(1, 2.0);
        Task<Boolean> alice = Asyncio.createTask(() -> stock.reserve(1));
        Task<Boolean> bob = Asyncio.createTask(() -> {
            Asyncio.sleep(2.0);                            // Bob orders as Alice's hold is confirmed
            return stock.reserve(1);
        });
        assertEquals(List.of(true, false), List.of(alice.await(), bob.await()));
        assertEquals(0, stock.available());
        assertEquals(2.0, Asyncio.getRunningLoop().time(), 0.002); // virtual seconds: no real wait
    }

    // ------------------------------------------------------------------ the race

    @AsyncTest
    void oneRunInAsyncioOrderHidesTheRace() {
        Stock stock = new Stock(1, 2.0);
        Task<Boolean> alice = Asyncio.createTask(() -> stock.reserveCheckThenAct(1));
        Task<Boolean> bob = Asyncio.createTask(() -> {
            Asyncio.sleep(2.0);
            return stock.reserveCheckThenAct(1);
        });
        // Equal deadlines fire in the order they were set: Alice's hold ends before Bob checks.
        assertEquals(List.of(true, false), List.of(alice.await(), bob.await()));
        assertEquals(0, stock.available());
    }

    @Test
    void explorationFindsTheRaceAndNamesTheSeedThatReplaysIt() {
        Events tests = run(RacyStockTest.class);
        List<Event> failed = tests.failed().list();
        assertTrue(!failed.isEmpty(), "no schedule of 100 found the race");
        assertEquals(FIRST_FAILURE, message(failed.get(0)));
        assertEquals(100, tests.finished().count());
        assertEquals(FAILING_SCHEDULES, failed.size(), "schedules that fail");
    }

    @Test
    void theSeedReplaysTheSameFailure() {
        List<Event> failed = run(ReplaySeedZero.class).failed().list();
        assertEquals(1, failed.size());
        assertEquals(FIRST_FAILURE, message(failed.get(0)));
    }

    @Test
    void aStockCannotStartNegativeNorHoldForANegativeTime() {
        assertThrows(IllegalArgumentException.class, () -> new Stock(-1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Stock(1, -1.0));
        assertThrows(IllegalArgumentException.class, () -> new Stock(1, Double.NaN));
    }

    // ------------------------------------------------------------------ samples, run by the tests above

    @Sample
    static class RacyStockTest {
        @AsyncTest(schedules = 100)
        void theLastItemIsSoldOnce() {
            Stock stock = new Stock(1, 2.0);
            Task<Boolean> alice = Asyncio.createTask(() -> stock.reserveCheckThenAct(1));
            Task<Boolean> bob = Asyncio.createTask(() -> {
                Asyncio.sleep(2.0);                        // Bob orders as Alice's hold is confirmed
                return stock.reserveCheckThenAct(1);
            });
            assertEquals(List.of(true, false), List.of(alice.await(), bob.await()));
            assertEquals(0, stock.available());
        }
    }

    @Sample
    static class ReplaySeedZero {
        @AsyncTest(seed = 0)
        void theLastItemIsSoldOnce() {
            new RacyStockTest().theLastItemIsSoldOnce();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static final String SAMPLES_PARAMETER = "org.jasyncio.examples.cookbook.samples";

    /** The test events of running {@code sample} (its failures are expected). */
    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(SAMPLES_PARAMETER, "run")
                .selectors(selectClass(sample)).execute().testEvents();
    }

    private static String message(Event finished) {
        TestExecutionResult result = finished.getRequiredPayload(TestExecutionResult.class);
        return result.getThrowable().map(Throwable::getMessage).orElse("");
    }

    /**
     * Marks a sample class: it runs only through {@link #run}, and is skipped if a test filter
     * hands it to JUnit directly, where its failures are meant.
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
                    ? ConditionEvaluationResult.enabled("run by StockTest")
                    : ConditionEvaluationResult.disabled("a sample of StockTest, which runs it");
        }
    }
}
