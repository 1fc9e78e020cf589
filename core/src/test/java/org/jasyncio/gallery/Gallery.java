package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jasyncio.AsyncRunnable;
import org.jasyncio.Runner;
import org.jasyncio.ScheduleStrategy;

/**
 * The harness of the gallery of classic async bugs: runs a small program (a main coroutine whose
 * correctness check is an assertion) once in asyncio's default order and under schedule seeds
 * 0, 1, 2, ... of each {@link ScheduleStrategy}, always on a fresh {@link Runner} with virtual
 * time, and prints one {@code GALLERY} line per bug to stdout (Surefire's output file).
 *
 * <p>A run fails when the program throws an {@link AssertionError}; its message is the failure,
 * compared when a failing seed is replayed. Any other exception escapes: it is a broken program,
 * not the bug the program shows.
 */
final class Gallery {

    /** How many schedules exploration tries per strategy before giving up. */
    static final int MAX_SCHEDULES = 1_000;

    /** How many seeds per strategy the failure rate printed with each bug is measured on. */
    static final int RATE_SCHEDULES = 100;

    /** How many schedules per strategy the fixed version of a program must pass. */
    static final int FIXED_SCHEDULES = 200;

    private Gallery() {
    }

    /**
     * Runs {@code program} once on a fresh runner with virtual time and, if {@code seed} is not
     * null, that schedule seed and strategy.
     *
     * @return the failure message if the program's assertion failed, else empty
     */
    static Optional<String> runOnce(Long seed, ScheduleStrategy strategy, AsyncRunnable program) {
        Runner.Builder b = Runner.builder().virtualTime(true);
        if (seed != null) {
            b.scheduleSeed(seed).scheduleStrategy(strategy);
        }
        try (Runner runner = b.build()) {
            runner.run(program);
            return Optional.empty();
        } catch (AssertionError e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** The failure of a plain run (no seed: asyncio's order), if any. */
    static Optional<String> plainRun(AsyncRunnable program) {
        return runOnce(null, null, program);
    }

    /**
     * The first seed among 0 .. {@code maxSchedules - 1} under which {@code program} fails; the
     * number of schedules it took is that seed + 1.
     */
    static OptionalInt firstFailingSeed(ScheduleStrategy strategy, int maxSchedules, AsyncRunnable program) {
        return firstFailure(strategy, maxSchedules, program).map(f -> OptionalInt.of(f.seed())).orElse(OptionalInt.empty());
    }

    /** A failing seed and the failure it gave. */
    record Failure(int seed, String message) {
    }

    private static Optional<Failure> firstFailure(ScheduleStrategy strategy, int maxSchedules, AsyncRunnable program) {
        for (int seed = 0; seed < maxSchedules; seed++) {
            Optional<String> failure = runOnce((long) seed, strategy, program);
            if (failure.isPresent()) {
                return Optional.of(new Failure(seed, failure.get()));
            }
        }
        return Optional.empty();
    }

    /** How many of seeds 0 .. {@code seeds - 1} make {@code program} fail. */
    static int failures(ScheduleStrategy strategy, int seeds, AsyncRunnable program) {
        int n = 0;
        for (long seed = 0; seed < seeds; seed++) {
            if (runOnce(seed, strategy, program).isPresent()) {
                n++;
            }
        }
        return n;
    }

    /** Asserts that the plain run (asyncio's default order) passes: the bug hides there. */
    static void assertPlainRunPasses(AsyncRunnable program) {
        Optional<String> failure = plainRun(program);
        assertTrue(failure.isEmpty(), () -> "the plain run already fails: " + failure.orElseThrow());
    }

    /**
     * Explores up to {@link #MAX_SCHEDULES} seeds with each strategy, prints the
     * {@code GALLERY} line, asserts that {@code mustFind} found the bug and that every failing
     * seed found replays: rerunning it fails with the same message.
     *
     * @return the first failing seed of each strategy (absent if not found)
     */
    static Map<ScheduleStrategy, OptionalInt> assertFoundAndReplays(String bug, ScheduleStrategy mustFind,
                                                                     AsyncRunnable program) {
        String plain = plainRun(program).isEmpty() ? "pass" : "FAIL";
        Map<ScheduleStrategy, Optional<Failure>> found = new EnumMap<>(ScheduleStrategy.class);
        StringBuilder line = new StringBuilder("GALLERY ").append(bug).append(" plain=").append(plain);
        for (ScheduleStrategy s : ScheduleStrategy.values()) {
            Optional<Failure> f = firstFailure(s, MAX_SCHEDULES, program);
            found.put(s, f);
            line.append(' ').append(s).append(' ').append(f.isPresent()
                    ? "found-after=" + (f.get().seed() + 1) : "not-found-in=" + MAX_SCHEDULES);
            line.append(" fails=").append(failures(s, RATE_SCHEDULES, program)).append('/').append(RATE_SCHEDULES);
        }
        line.append(" strand=").append(System.getProperty("jasyncio.strand", "default"));
        System.out.println(line);
        found.forEach((s, f) -> f.ifPresent(x -> System.out.println(
                "GALLERY-FAILURE " + bug + " " + s + " seed=" + x.seed() + ": " + x.message())));
        if (found.get(mustFind).isEmpty()) {
            fail(bug + ": " + mustFind + " did not find the bug within " + MAX_SCHEDULES + " schedules");
        }
        Map<ScheduleStrategy, OptionalInt> seeds = new EnumMap<>(ScheduleStrategy.class);
        for (Map.Entry<ScheduleStrategy, Optional<Failure>> e : found.entrySet()) {
            seeds.put(e.getKey(), OptionalInt.empty());
            if (e.getValue().isPresent()) {
                Failure f = e.getValue().get();
                Optional<String> again = runOnce((long) f.seed(), e.getKey(), program);
                assertEquals(Optional.of(f.message()), again,
                        bug + ": " + e.getKey() + " seed " + f.seed() + " does not replay the same failure");
                seeds.put(e.getKey(), OptionalInt.of(f.seed()));
            }
        }
        return seeds;
    }

    /** Asserts that {@code program} passes under seeds 0 .. {@code seeds - 1} of every strategy. */
    static void assertPassesUnderExploration(AsyncRunnable program, int seeds) {
        for (ScheduleStrategy s : ScheduleStrategy.values()) {
            for (long seed = 0; seed < seeds; seed++) {
                Optional<String> failure = runOnce(seed, s, program);
                if (failure.isPresent()) {
                    fail(s + " seed " + seed + ": " + failure.get());
                }
            }
        }
    }
}
