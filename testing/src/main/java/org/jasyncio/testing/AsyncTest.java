package org.jasyncio.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jasyncio.ScheduleStrategy;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test method whose body runs as a task of a fresh {@link org.jasyncio.Runner},
 * so it may call {@code Asyncio.sleep}, {@code createTask}, {@code await} and every other
 * suspending call. pytest-asyncio's {@code @pytest.mark.asyncio}, kotlinx-coroutines-test's
 * {@code runTest}, Trio's {@code trio.testing} pytest plugin.
 *
 * <pre>{@code
 * @AsyncTest
 * void anHourPassesAtOnce() {
 *     Asyncio.sleep(3600);                                   // virtual time: no real wait
 *     assertEquals(3600.0, Asyncio.getRunningLoop().time());
 * }
 * }</pre>
 *
 * <h2>What each run does</h2>
 * For every run (one, or one per {@linkplain #schedules() schedule seed}) a new runner is
 * built with {@linkplain #virtualTime() virtual time} and {@linkplain #debug() debug mode} as
 * asked, the loop's exception handler is replaced by one that records every report, and the
 * method runs as a task of that loop. The test then <b>fails</b> if
 * <ul>
 *   <li>the body throws (its exception is rethrown unchanged, or, when a schedule seed was in
 *       play, wrapped in an {@link AssertionError} whose message names the seed and how to
 *       replay it, e.g. {@code @AsyncTest(seed = 17)});</li>
 *   <li>a task of the loop is still pending when the body returns: each is listed by its
 *       {@code toString()}, which says where it waits and, in debug mode, where it was
 *       created ({@code created at File.java:N});</li>
 *   <li>the loop's exception handler received anything during the run or while the runner
 *       closed: "Future exception was never retrieved" (in debug mode, every exception still
 *       unretrieved is reported when the loop closes), "Task was destroyed but it is
 *       pending!", "unclosed transport ...", "unclosed server ...", an exception escaping a
 *       callback, and so on; each is listed with its exception;</li>
 *   <li>the test thread is interrupted, as JUnit's {@link org.junit.jupiter.api.Timeout}
 *       does in its default same-thread mode: the failure lists every task of the loop and
 *       where each was waiting at that moment, before any was cancelled.</li>
 * </ul>
 * The runner is closed after each run: pending tasks are cancelled and awaited, the default
 * executor is shut down, and what the program left open is reported and closed. A body that
 * sets an exception handler of its own on the loop takes the reports over: from then on they
 * reach its handler, not the test's checks.
 *
 * <h2>With other test templates</h2>
 * {@code @AsyncTest} may be combined with {@code @ParameterizedTest} or {@code @RepeatedTest}:
 * then those decide the invocations, and each invocation runs under {@code @AsyncTest}'s
 * options (with {@code schedules = N}, the whole set of seeds runs inside each invocation).
 * Do not combine it with {@code @Test}: JUnit would also run the method as a plain test,
 * outside any loop; that run fails at once, without calling the body, saying to remove
 * {@code @Test}.
 *
 * <h2>Limits</h2>
 * Only the test method's body runs on the loop: {@code @BeforeEach}, {@code @AfterEach} and
 * the other lifecycle methods run on the test thread, outside any loop. The method's
 * parameters are resolved by JUnit before the run starts, by the usual
 * {@code ParameterResolver}s; a parameter nobody resolves fails the test with a message
 * naming it.
 *
 * <p>Thread-safety: an annotation; the run it causes belongs to JUnit's test thread (on the
 * virtual strand, the body itself runs on a virtual thread, one at a time with the loop).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(AsyncTestExtension.class)
public @interface AsyncTest {

    /**
     * The value of {@link #seed()} that means "no seed given": the events of one iteration
     * then run in asyncio's plain order, unless {@link #schedules()} asks for several seeds.
     */
    long NO_SEED = Long.MIN_VALUE;

    /**
     * Whether the loop's clock is virtual ({@code Runner.builder().virtualTime(true)}): it
     * starts at 0 and jumps to the next timer whenever nothing else is ready, so
     * {@code sleep(3600)} returns at once with {@code loop.time() == 3600.0}.
     * kotlinx-coroutines-test's virtual time; Trio's {@code MockClock(autojump_threshold=0)}.
     * {@code false} runs on the real monotonic clock, as pytest-asyncio does.
     *
     * @return whether time is virtual; {@code true} by default
     */
    boolean virtualTime() default true;

    /**
     * Runs the test once under this schedule seed ({@code Runner.builder().scheduleSeed(seed)}):
     * the loop hands out the events that became ready together in the order the seed and the
     * {@link #strategy()} choose. Use it to replay the seed a failure of
     * {@code schedules = N} named. Cannot be combined with {@code schedules} above 1.
     *
     * @return the seed, or {@link #NO_SEED} (the default)
     */
    long seed() default NO_SEED;

    /**
     * How many schedules to explore: with {@code N > 1} the test runs {@code N} times, under
     * seeds {@code 0} to {@code N - 1} (each a separate invocation, shown as "seed K"), and a
     * failing run names its seed and the annotation that replays it. With 1 (the default) and
     * no {@link #seed()}, the test runs once in asyncio's plain order.
     *
     * @return the number of schedules, at least 1
     */
    int schedules() default 1;

    /**
     * How a seed orders the events of one iteration
     * ({@code Runner.builder().scheduleStrategy}): {@link ScheduleStrategy#RANDOM} (uniform
     * choices) or {@link ScheduleStrategy#PCT} (priorities with change points). Only used when
     * a seed is in play.
     *
     * @return the strategy; {@code RANDOM} by default
     */
    ScheduleStrategy strategy() default ScheduleStrategy.RANDOM;

    /**
     * Whether the loop runs in debug mode ({@code Runner.builder().debug(true)}): futures,
     * tasks, transports, servers and subprocesses remember where the program made them, so
     * the failure reports say "created at File.java:N". asyncio's {@code debug=True}.
     *
     * @return whether debug mode is on; {@code true} by default
     */
    boolean debug() default true;
}
