package org.jasyncio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AsyncTest} used as users use it: the body runs as a task of a fresh loop, with the
 * options the annotation gives. (What makes such a test fail is in
 * {@link AsyncTestFailuresTest}, which runs sample classes through JUnit's EngineTestKit.)
 */
class AsyncTestTest {

    /** The README's example, as written there. */
    @AsyncTest
    void retriesAfterAMinute() {
        double start = Asyncio.getRunningLoop().time();
        Asyncio.sleep(60);                                   // returns at once, in real time
        assertEquals(60.0, Asyncio.getRunningLoop().time() - start);
    }

    private static final List<EventLoop> PARAMETERIZED_LOOPS = new ArrayList<>();
    private static final AtomicInteger REPEATED = new AtomicInteger();

    @AsyncTest
    void anHourOfSleepTakesNoRealTimeUnderVirtualTime() {
        long start = System.nanoTime();
        Asyncio.sleep(3600);
        assertEquals(3600.0, Asyncio.getRunningLoop().time());
        // Loose on purpose: a real hour could never pass; this only rules out gross stalls.
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "took " + (System.nanoTime() - start) + " ns");
    }

    @AsyncTest
    void theBodyRunsOnTheStrandThisSurefireExecutionExpects() {
        // The parent pom runs this module's tests once per strand, as the core's.
        String expected = System.getProperty("jasyncio.expectedStrand", "continuation");
        assertEquals(expected, Asyncio.strandName());
        if (expected.equals("virtual")) {
            assertTrue(Thread.currentThread().isVirtual(), "the body runs on a virtual thread");
        }
    }

    @AsyncTest
    void theVirtualClockStartsAtZero() {
        assertEquals(0.0, Asyncio.getRunningLoop().time());
    }

    @AsyncTest(virtualTime = false)
    void virtualTimeFalseReallyWaits() {
        EventLoop loop = Asyncio.getRunningLoop();
        double t0 = loop.time();
        long start = System.nanoTime();
        Asyncio.sleep(0.05);
        assertTrue(System.nanoTime() - start >= 50_000_000L, "waited " + (System.nanoTime() - start) + " ns");
        assertTrue(loop.time() - t0 >= 0.05, "the loop's clock is real: " + (loop.time() - t0));
    }

    @AsyncTest
    void theBodyRunsInATaskOfARunningLoopInDebugMode() {
        Task<?> me = Asyncio.currentTask();
        assertNotNull(me);
        assertTrue(Asyncio.getRunningLoop().getDebug());
        assertTrue(me.toString().contains("created at"), me.toString());
    }

    @AsyncTest(debug = false)
    void debugFalseTurnsDebugModeOff() {
        assertFalse(Asyncio.getRunningLoop().getDebug());
    }

    @AsyncTest
    void tasksAndFuturesWorkInTheBody() {
        Future<String> box = new Future<>();
        Asyncio.getRunningLoop().callLater(2.5, () -> box.setResult("pizza"));
        Task<Integer> t = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            return 42;
        });
        assertEquals("pizza", box.await());
        assertEquals(42, t.await());
        assertEquals(2.5, Asyncio.getRunningLoop().time());
    }

    @AsyncTest
    void theBodyTaskIsNamedAfterTheMethod() {
        assertEquals("theBodyTaskIsNamedAfterTheMethod", Asyncio.currentTask().getName());
    }

    @AsyncTest
    void junitParameterResolversStillSupplyParameters(TestInfo info) {
        assertEquals("junitParameterResolversStillSupplyParameters(TestInfo)", info.getDisplayName());
        assertNotNull(Asyncio.currentTask());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    @AsyncTest
    void parameterizedInvocationsEachRunOnAFreshLoop(int hours) {
        EventLoop loop = Asyncio.getRunningLoop();
        assertEquals(0.0, loop.time(), "a fresh virtual clock");
        Asyncio.sleep(hours * 3600.0);
        assertEquals(hours * 3600.0, loop.time());
        synchronized (PARAMETERIZED_LOOPS) {
            for (EventLoop other : PARAMETERIZED_LOOPS) {
                assertNotSame(other, loop);
            }
            PARAMETERIZED_LOOPS.add(loop);
        }
    }

    @RepeatedTest(2)
    @AsyncTest
    void repeatedTestsRunOnTheLoopToo() {
        assertNotNull(Asyncio.currentTask());
        Asyncio.sleep(10);
        assertEquals(10.0, Asyncio.getRunningLoop().time());
        REPEATED.incrementAndGet();
    }

    @AfterAll
    static void eachTemplateRanAsOften() {
        // Per JVM: Surefire runs this class once per strand, in separate JVMs.
        assertEquals(3, PARAMETERIZED_LOOPS.size(), PARAMETERIZED_LOOPS.toString());
        assertEquals(2, REPEATED.get());
    }

    @Test
    void seedsAreZeroToNMinusOneOrTheOneGiven() throws Exception {
        class Holder {
            @AsyncTest(schedules = 3)
            void three() {
            }

            @AsyncTest(seed = 17)
            void seventeen() {
            }

            @AsyncTest
            void plain() {
            }
        }
        assertEquals(List.of(0L, 1L, 2L), seedsOf(Holder.class, "three"));
        assertEquals(List.of(17L), seedsOf(Holder.class, "seventeen"));
        List<Long> plain = seedsOf(Holder.class, "plain");
        assertEquals(1, plain.size());
        assertSame(null, plain.get(0), "no seed: asyncio's plain order");
    }

    @Test
    void theReplayAnnotationNamesTheStrategyOnlyWhenItIsNotTheDefault() {
        assertEquals("@AsyncTest(seed = 17)", AsyncTestRun.replayAnnotation(17, org.jasyncio.ScheduleStrategy.RANDOM));
        assertEquals("@AsyncTest(seed = 3, strategy = ScheduleStrategy.PCT)",
                AsyncTestRun.replayAnnotation(3, org.jasyncio.ScheduleStrategy.PCT));
    }

    private static List<Long> seedsOf(Class<?> c, String method) throws Exception {
        java.lang.reflect.Method m = c.getDeclaredMethod(method);
        return AsyncTestExtension.seeds(m.getAnnotation(AsyncTest.class), m);
    }
}
