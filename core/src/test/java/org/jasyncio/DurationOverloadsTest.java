package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The {@link Duration} overloads of the public API: one next to every parameter that takes
 * seconds as a double (API.md's "Duration overloads next to double seconds"), each converting
 * by the one rule of {@link Deadlines#seconds(Duration, String)}: null is refused by name (or
 * means "no timeout" where asyncio takes None), a negative duration behaves as asyncio treats a
 * negative number of seconds in that function, and a huge one saturates instead of
 * overflowing. Timed behaviour runs under virtual time, so no test depends on the machine.
 */
class DurationOverloadsTest {

    /** The largest Duration there is: about 292 billion years. */
    private static final Duration MAX = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    private static Runner virtual() {
        return Runner.builder().virtualTime(true).build();
    }

    // ------------------------------------------------------------------ the API has them all

    /** The exported public types, from public-api.txt (the internal packages left out). */
    private static List<Class<?>> exportedTypes() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (InputStream in = DurationOverloadsTest.class.getResourceAsStream("/org/jasyncio/public-api.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#") && !name.contains(".internal.")) {
                    types.add(Class.forName(name));
                }
            }
        }
        return types;
    }

    private static boolean hasDurationSibling(Executable e, int index) {
        Class<?>[] wanted = e.getParameterTypes().clone();
        wanted[index] = Duration.class;
        Class<?> owner = e.getDeclaringClass();
        List<Executable> candidates = new ArrayList<>(Arrays.asList(owner.getDeclaredConstructors()));
        candidates.addAll(Arrays.asList(owner.getDeclaredMethods()));
        for (Executable c : candidates) {
            if (Modifier.isPublic(c.getModifiers()) && c.getName().equals(e.getName())
                    && Arrays.equals(c.getParameterTypes(), wanted)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyParameterInSecondsHasADurationOverloadAndEveryOtherDoubleIsALoopTime() throws Exception {
        Set<String> missing = new TreeSet<>();
        Set<String> unclassified = new TreeSet<>();
        int relative = 0;
        for (Class<?> type : exportedTypes()) {
            List<Executable> members = new ArrayList<>(Arrays.asList(type.getDeclaredConstructors()));
            members.addAll(Arrays.asList(type.getDeclaredMethods()));
            for (Executable e : members) {
                if (!Modifier.isPublic(e.getModifiers()) || e.isSynthetic()
                        || (e instanceof Method m && m.isBridge())) {
                    continue;
                }
                Class<?>[] params = e.getParameterTypes();
                String[] names = null;
                for (int i = 0; i < params.length; i++) {
                    if (params[i] != double.class && params[i] != Double.class) {
                        continue;
                    }
                    if (names == null) {
                        names = NullArgumentsTest.parameterNames(e);
                    }
                    String key = NullArgumentsTest.key(e) + "#" + i;
                    String name = names[i].toLowerCase(java.util.Locale.ROOT);
                    if (name.equals("when")) {
                        continue; // a point in loop time (callAt, timeoutAt, Timeout.at): no Duration
                    }
                    if (!(name.contains("seconds") || name.contains("delay") || name.contains("timeout"))) {
                        unclassified.add(key + " (" + names[i] + ")");
                        continue;
                    }
                    relative++;
                    if (!hasDurationSibling(e, i)) {
                        missing.add(key);
                    }
                }
            }
        }
        assertEquals(Set.of(), unclassified, "a double parameter that is neither seconds from now (named"
                + " ...seconds, ...delay, ...timeout) nor a loop time (named when): rename it, or classify it here");
        assertEquals(new TreeSet<>(), missing, "parameters in seconds without a Duration overload next to them");
        assertTrue(relative >= 14, "the reflection found the parameters in seconds: " + relative);
    }

    // ------------------------------------------------------------------ the conversion rule

    @Test
    void theConversionRefusesNullByNameKeepsTheSignAndNeverOverflows() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Deadlines.seconds(null, "timeout"));
        assertEquals("timeout", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Deadlines.toNanos(null, "delay"));
        assertEquals("delay", e.getMessage());
        assertEquals(-1.5, Deadlines.seconds(Duration.ofMillis(-1500), "d"));
        assertEquals(-1_500_000_000L, Deadlines.toNanos(Duration.ofMillis(-1500), "d"));
        assertEquals(2.000000001, Deadlines.seconds(Duration.ofSeconds(2, 1), "d"));
        assertEquals(Long.MAX_VALUE, Deadlines.toNanos(MAX, "d"));
        assertEquals(Long.MIN_VALUE, Deadlines.toNanos(Duration.ofSeconds(Long.MIN_VALUE), "d"));
        double max = Deadlines.seconds(MAX, "d");
        assertTrue(Double.isFinite(max) && max > 9.2e18, "seconds of the largest Duration: " + max);
        assertEquals(Long.MAX_VALUE, Deadlines.toNanos(max), "a deadline from it saturates");
    }

    // ------------------------------------------------------------------ waitFor

    @Test
    void waitForWithANegativeDurationTimesOutAtOnceLikeANegativeTimeout() {
        // asyncio's wait_for: timeout <= 0 returns a done future's result, else cancels and raises.
        try (Runner runner = virtual()) {
            runner.run(() -> {
                Future<String> done = new Future<>();
                done.setResult("done");
                assertEquals("done", Asyncio.waitFor(done, Duration.ofSeconds(-1)));
                Future<String> pending = new Future<>();
                assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(pending, Duration.ofMillis(-1)));
                assertTrue(pending.cancelled());
                assertEquals(0.0, Asyncio.getRunningLoop().time(), "no time passed");
            });
        }
    }

    @Test
    void waitForWithTheLargestDurationWaitsForTheResult() {
        try (Runner runner = virtual()) {
            assertEquals("v", runner.run(() -> Asyncio.waitFor(() -> Asyncio.sleep(5, "v"), MAX)));
        }
    }

    // ------------------------------------------------------------------ timeout

    @Test
    void timeoutWithANegativeDurationCancelsTheBodyAtItsFirstSuspension() {
        // asyncio.timeout(-1): reschedule() to a past deadline calls _on_timeout soon, so the
        // body runs up to its first await and is cancelled there.
        Steps steps = new Steps();
        try (Runner runner = virtual()) {
            runner.run(() -> {
                steps.expect(1);
                assertThrows(AsyncTimeoutException.class, () -> Asyncio.timeout(Duration.ofSeconds(-1), () -> {
                    steps.expect(2);
                    Asyncio.sleep(3600);
                    steps.expect(-1);
                }));
                steps.expect(3);
                assertEquals(0.0, Asyncio.getRunningLoop().time(), "no time passed");
            });
        }
        steps.assertFinished(3);
    }

    @Test
    void timeoutWithTheLargestDurationLetsTheBodyFinish() {
        try (Runner runner = virtual()) {
            runner.run(() -> {
                assertEquals("body", Asyncio.timeout(MAX, () -> Asyncio.sleep(3600, "body")));
                Timeout t = Timeout.after(MAX);
                assertTrue(t.when() > 9.2e18, "when() = " + t.when());
            });
        }
    }

    // ------------------------------------------------------------------ wait

    @Test
    void waitWithANegativeDurationReturnsOnTheNextIterationWithNothingCancelled() {
        // asyncio.wait: call_later(timeout, ...) with a negative delay fires on the next iteration.
        try (Runner runner = virtual()) {
            runner.run(() -> {
                Future<String> pending = new Future<>();
                WaitResult<Future<String>> r = Asyncio.wait(List.of(pending), Duration.ofSeconds(-1),
                        ReturnWhen.ALL_COMPLETED);
                assertEquals(Set.of(), r.done());
                assertEquals(Set.of(pending), r.pending());
                assertFalse(pending.done());
                assertEquals(0.0, Asyncio.getRunningLoop().time(), "no time passed");
            });
        }
    }

    @Test
    void waitWithTheLargestDurationWaitsForTheFutures() {
        try (Runner runner = virtual()) {
            runner.run(() -> {
                Task<String> t = Asyncio.createTask(() -> Asyncio.sleep(5, "t"));
                WaitResult<Task<String>> r = Asyncio.wait(List.of(t), MAX, ReturnWhen.ALL_COMPLETED);
                assertEquals(Set.of(t), r.done());
                assertEquals(5.0, Asyncio.getRunningLoop().time());
            });
        }
    }

    // ------------------------------------------------------------------ asCompleted

    @Test
    void asCompletedWithANegativeTimeoutGivesWhatIsDoneThenTimesOut() {
        // asyncio.as_completed: call_later(timeout, _on_timeout) with a negative delay runs on the
        // next iteration, after the done callbacks of futures already done; nothing is cancelled.
        for (boolean asDuration : new boolean[] {true, false}) {
            try (Runner runner = virtual()) {
                runner.run(() -> {
                    Future<String> done = new Future<>();
                    done.setResult("done");
                    Future<String> pending = new Future<>();
                    AsCompleted<String> ac = asDuration
                            ? Asyncio.asCompleted(List.of(done, pending), Duration.ofSeconds(-1))
                            : Asyncio.asCompleted(List.of(done, pending), -1.0);
                    Iterator<Future<String>> it = ac.iterator();
                    assertSame(done, it.next());
                    assertThrows(AsyncTimeoutException.class, it::next);
                    assertFalse(pending.done(), "as_completed cancels nothing");
                    assertEquals(0.0, Asyncio.getRunningLoop().time(), "no time passed");
                });
            }
        }
    }

    @Test
    void asCompletedWithATimeoutInSecondsTimesOutThenAndNotBefore() {
        try (Runner runner = virtual()) {
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Task<String> fast = Asyncio.createTask(() -> Asyncio.sleep(2, "fast"));
                Task<String> slow = Asyncio.createTask(() -> Asyncio.sleep(10, "slow"));
                Iterator<Future<String>> it = Asyncio.asCompleted(List.of(slow, fast), 5.0).iterator();
                assertSame(fast, it.next());
                assertEquals(2.0, loop.time());
                assertThrows(AsyncTimeoutException.class, it::next);
                assertEquals(5.0, loop.time());
                assertFalse(slow.done(), "as_completed cancels nothing");
                slow.cancel();
            });
        }
    }

    @Test
    void asCompletedWithInfiniteSecondsOrTheLargestDurationHasNoTimeoutAndNaNIsRefused() {
        try (Runner runner = virtual()) {
            runner.run(() -> {
                Task<String> a = Asyncio.createTask(() -> Asyncio.sleep(7, "a"));
                assertSame(a, Asyncio.asCompleted(List.of(a), Double.POSITIVE_INFINITY).iterator().next());
                Task<String> b = Asyncio.createTask(() -> Asyncio.sleep(7, "b"));
                assertSame(b, Asyncio.asCompleted(List.of(b), MAX).iterator().next());
                assertEquals(14.0, Asyncio.getRunningLoop().time());
                Future<String> f = new Future<>();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.asCompleted(List.of(f), Double.NaN));
                assertTrue(e.getMessage().contains("NaN"), e.getMessage());
            });
        }
    }

    @Test
    void asCompletedInSecondsRefusesWhatTheDurationFormRefuses() {
        try (Runner runner = virtual()) {
            runner.run(() -> {
                NullPointerException e = assertThrows(NullPointerException.class,
                        () -> Asyncio.asCompleted(null, 1.0));
                assertEquals("fs", e.getMessage());
            });
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Asyncio.asCompleted(List.of(), 1.0));
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    // ------------------------------------------------------------------ sleep

    @Test
    void sleepOfTheLargestDurationNeverComesDueAndANegativeOneYields() {
        // asyncio.sleep(1e300) never ends; sleep(-1) is sleep(0), one bare yield.
        try (Runner runner = virtual()) {
            runner.run(() -> {
                Task<Void> forever = Asyncio.createTask(() -> Asyncio.sleep(MAX));
                Asyncio.sleep(Duration.ofDays(365 * 100)); // a century: still within the clock's range
                assertFalse(forever.done());
                forever.cancel();
                Steps steps = new Steps();
                Asyncio.getRunningLoop().callSoon(() -> steps.expect(2));
                steps.expect(1);
                Asyncio.sleep(Duration.ofNanos(-1));
                steps.expect(3);
            });
        }
    }
}
