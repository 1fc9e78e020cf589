package org.jasyncio.internal.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
        Strand s = f.create();
        s.assign(() -> {
            log.add("a");
            s.suspend();
            log.add("b");
            s.suspend();
            log.add("c");
        }, null);
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
        Strand s = f.create();
        s.assign(() -> waitHere(s), null);
        s.resume();
        boolean found = false;
        for (StackTraceElement e : s.suspendedStack()) {
            found |= e.getMethodName().equals("waitHere");
        }
        assertTrue(found, "stack should name waitHere");
        s.resume();
        assertTrue(s.isDone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"continuation", "virtual"})
    void aPooledStrandRunsTheNextBodyAfterTheFirstReturns(String kind) {
        StrandPool pool = new StrandPool(Strands.choose(kind));
        List<String> log = new ArrayList<>();
        Strand first = pool.start(() -> log.add("first"), null);
        first.resume();
        assertTrue(first.isDone());
        pool.recycle(first);
        Strand[] self = new Strand[1];
        Strand second = pool.start(() -> {
            log.add("second");
            self[0].suspend();
            log.add("second again");
        }, null);
        self[0] = second;
        assertTrue(first.reusable(), "java.lang is open to the tests, so every strand is reusable");
        assertSame(first, second, "the idle strand is reused");
        second.resume();
        assertFalse(second.isDone());
        second.resume();
        assertTrue(second.isDone());
        assertEquals(List.of("first", "second", "second again"), log);
        pool.recycle(second);
        pool.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"continuation", "virtual"})
    void aStrandTheFullPoolWouldDropStillRunsANextBody(String kind) {
        // Told that the pool has no room, the continuation strand ends its continuation with
        // the body instead of yielding once more for a next one; given one all the same, it
        // starts a fresh continuation for it. Told there is room, it keeps waiting in its own.
        for (boolean kept : new boolean[] {false, true}) {
            Strand s = Strands.choose(kind).create();
            List<String> log = new ArrayList<>();
            for (String body : List.of("one", "two")) {
                s.assign(() -> {
                    log.add(body);
                    s.suspend();
                    log.add(body + " again");
                }, null);
                s.keepAfterBody(kept);
                s.resume();
                s.resume();
                assertTrue(s.isDone(), body + " should have ended");
            }
            assertEquals(List.of("one", "one again", "two", "two again"), log, "kept=" + kept);
        }
    }

    private static void waitHere(Strand s) {
        s.suspend();
    }
}
