package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/**
 * Ordering assertions for a single-threaded scheduler (after kotlinx.coroutines' TestBase):
 * a test states the exact interleaving it expects with {@code expect(1)}, {@code expect(2)},
 * ..., and ends with {@code finish(n)}. Each call fails at once if a step came out of order.
 */
public final class Steps {

    private int last;
    private final List<Integer> seen = new ArrayList<>();

    /**
     * Records step {@code n}, which must be the one after the last.
     *
     * @param n the step number
     */
    public void expect(int n) {
        seen.add(n);
        assertEquals(last + 1, n, "steps out of order; so far: " + seen);
        last = n;
    }

    /**
     * Records the final step {@code n}.
     *
     * @param n the step number
     */
    public void finish(int n) {
        expect(n);
    }

    /** Asserts that the last step recorded was {@code n}. */
    public void assertFinished(int n) {
        assertEquals(n, last, "the test did not reach its last step; steps: " + seen);
    }
}
