package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded schedule exploration ({@link Runner.Builder#scheduleSeed}): what it may reorder (events
 * that became ready together), what it never does (asyncio's ordering guarantees), and that a
 * seed replays.
 */
class ScheduleExplorerTest {

    private static final int SEEDS = 60;

    private static Runner seeded(long seed, ScheduleStrategy strategy) {
        return Runner.builder().virtualTime(true).scheduleSeed(seed).scheduleStrategy(strategy).build();
    }

    /** Two timers with the same delay: asyncio leaves their order undefined. */
    private static List<String> sameDeadlineTimers(Runner runner) {
        List<String> order = new ArrayList<>();
        runner.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callLater(1, () -> order.add("a"));
            loop.callLater(1, () -> order.add("b"));
            loop.callLater(1, () -> order.add("c"));
            Asyncio.sleep(2);
        });
        return order;
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void timersDueTogetherComeInDifferentOrdersUnderDifferentSeeds(ScheduleStrategy strategy) {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            try (Runner runner = seeded(seed, strategy)) {
                seen.add(sameDeadlineTimers(runner));
            }
        }
        assertTrue(seen.size() >= 3, "orders seen: " + seen);
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void aSeedReplaysTheSameSchedule(ScheduleStrategy strategy) {
        for (long seed = 0; seed < 20; seed++) {
            List<String> first;
            try (Runner runner = seeded(seed, strategy)) {
                first = sameDeadlineTimers(runner);
            }
            try (Runner runner = seeded(seed, strategy)) {
                assertEquals(first, sameDeadlineTimers(runner), "seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void callSoonStaysFifoUnderEverySeed(ScheduleStrategy strategy) {
        // asyncio: callbacks scheduled with call_soon run in the order they were scheduled.
        for (long seed = 0; seed < SEEDS; seed++) {
            List<Integer> order = new ArrayList<>();
            try (Runner runner = seeded(seed, strategy)) {
                runner.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    loop.callLater(1, () -> order.add(-1)); // a timer arriving among them
                    for (int i = 0; i < 10; i++) {
                        int n = i;
                        loop.callSoon(() -> order.add(n));
                    }
                    Asyncio.sleep(2);
                });
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1), order, "seed " + seed);
        }
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void aTaskResumesInTheIterationAfterItsFutureCompletesUnderEverySeed(ScheduleStrategy strategy) {
        // asyncio: set_result schedules the waiter's wake-up with call_soon, so it runs before a
        // callback scheduled after set_result in the same callback.
        for (long seed = 0; seed < SEEDS; seed++) {
            List<String> order = new ArrayList<>();
            try (Runner runner = seeded(seed, strategy)) {
                runner.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    Future<Void> f = loop.createFuture();
                    Task<Void> waiter = Asyncio.createTask(() -> {
                        f.await();
                        order.add("waiter");
                    });
                    Asyncio.sleep(0);
                    loop.callLater(1, () -> {
                        f.setResult(null);
                        loop.callSoon(() -> order.add("after"));
                    });
                    loop.callLater(1, () -> order.add("other timer"));
                    waiter.await();
                    Asyncio.sleep(1);
                });
            }
            int waiter = order.indexOf("waiter");
            assertTrue(waiter >= 0 && waiter < order.indexOf("after"), "seed " + seed + ": " + order);
        }
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void awaitingADoneFutureDoesNotYieldUnderEverySeed(ScheduleStrategy strategy) {
        for (long seed = 0; seed < 20; seed++) {
            List<String> order = new ArrayList<>();
            try (Runner runner = seeded(seed, strategy)) {
                runner.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    Future<String> done = loop.createFuture();
                    done.setResult("x");
                    loop.callSoon(() -> order.add("callback"));
                    done.await();
                    order.add("main");
                    Asyncio.sleep(0);
                });
            }
            assertEquals(List.of("main", "callback"), order, "seed " + seed);
        }
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void threadsafeCallsKeepTheirOrderPerThreadButInterleaveAcrossThreads(ScheduleStrategy strategy) throws Exception {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            List<String> order = new ArrayList<>();
            try (Runner runner = seeded(seed, strategy)) {
                EventLoop loop = runner.getLoop();
                // Queued before the loop runs, so all of them arrive in the same iteration.
                Thread a = Thread.ofPlatform().start(() -> {
                    loop.callSoonThreadsafe(() -> order.add("a1"));
                    loop.callSoonThreadsafe(() -> order.add("a2"));
                });
                a.join();
                Thread b = Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> order.add("b1")));
                b.join();
                runner.run(() -> Asyncio.sleep(1));
            }
            assertTrue(order.indexOf("a1") < order.indexOf("a2"), "seed " + seed + ": " + order);
            seen.add(order);
        }
        assertTrue(seen.size() >= 2, "orders seen: " + seen);
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void aProgramWithNothingConcurrentSimplyRuns(ScheduleStrategy strategy) {
        try (Runner runner = seeded(42, strategy)) {
            int r = runner.run(() -> {
                Asyncio.sleep(1);
                return 7;
            });
            assertEquals(7, r);
            assertEquals(0, runner.getLoop().explorer.choices());
        }
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void timersWithDifferentDeadlinesKeepDeadlineOrderInRealTime(ScheduleStrategy strategy) {
        // Without virtual time there is no jitter: two timers due in one iteration but with
        // different deadlines still run in deadline order.
        for (long seed = 0; seed < 20; seed++) {
            List<String> order = new ArrayList<>();
            try (Runner runner = Runner.builder().scheduleSeed(seed).scheduleStrategy(strategy).build()) {
                runner.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    double now = loop.time();
                    loop.callAt(now + 0.002, () -> order.add("later"));
                    loop.callAt(now + 0.001, () -> order.add("sooner"));
                    Thread.sleep(5); // both are due by the next iteration
                    Asyncio.sleep(0.01);
                });
            }
            assertEquals(List.of("sooner", "later"), order, "seed " + seed);
        }
    }

    /** Three thread jobs started together; the order their results are handled in. */
    private static List<String> threadJobResults(Runner runner) {
        List<String> order = new ArrayList<>();
        runner.run(() -> {
            List<Future<String>> jobs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                Future<String> job = Asyncio.toThread(() -> name);
                job.addDoneCallback(f -> order.add(f.result()));
                jobs.add(job);
            }
            Asyncio.gather(jobs).await();
        });
        return order;
    }

    @ParameterizedTest
    @EnumSource(ScheduleStrategy.class)
    void threadJobResultsReplayUnderASeedAndVaryAcrossSeeds(ScheduleStrategy strategy) {
        // Thread jobs' results are held until no job runs code, then handed out together in
        // the order the jobs were made, for the seed to order: real thread timing cannot change
        // the schedule.
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            List<String> first;
            try (Runner runner = seeded(seed, strategy)) {
                first = threadJobResults(runner);
            }
            try (Runner runner = seeded(seed, strategy)) {
                assertEquals(first, threadJobResults(runner), "seed " + seed);
            }
            seen.add(first);
        }
        assertTrue(seen.size() >= 3, "orders seen: " + seen);
    }
}
