package org.jasyncio.internal.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both strand kinds, driven directly: resume runs the body to its next suspension. */
class StrandTest {

    @ParameterizedTest
    @ValueSource(strings = {"continuation", "virtual"})
    void resumeRunsUntilSuspendThenContinues(String kind) {
        StrandFactory f = Strands.choose(kind);
        List<String> log = new ArrayList<>();
        Strand s = f.create(() -> {
            log.add("a");
            f.suspend();
            log.add("b");
            f.suspend();
            log.add("c");
        });
        assertFalse(s.isDone());
        s.resume();
        assertEquals(List.of("a"), log);
        s.resume();
        assertEquals(List.of("a", "b"), log);
        assertFalse(s.isDone());
        s.resume();
        assertEquals(List.of("a", "b", "c"), log);
        assertTrue(s.isDone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"continuation", "virtual"})
    void suspendedStackShowsWhereTheBodyWaits(String kind) {
        StrandFactory f = Strands.choose(kind);
        Strand s = f.create(() -> waitHere(f));
        s.resume();
        boolean found = false;
        for (StackTraceElement e : s.suspendedStack()) {
            found |= e.getMethodName().equals("waitHere");
        }
        assertTrue(found, "stack should name waitHere");
        s.resume();
        assertTrue(s.isDone());
    }

    private static void waitHere(StrandFactory f) {
        f.suspend();
    }
}
