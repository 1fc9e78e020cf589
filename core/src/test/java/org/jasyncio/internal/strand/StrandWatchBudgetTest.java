package org.jasyncio.internal.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * How long a waiting thread of the virtual strand stays busy (a platform resumer spinning, a
 * virtual resumer or a suspended strand yielding its carrier) before it parks: a few times the
 * usual wait while that is short, nothing once waits are usually long.
 */
class StrandWatchBudgetTest {

    @Test
    void quickAnswersGetAFewTimesTheirUsualWait() {
        assertEquals(StrandWatch.MIN_SPIN_NANOS, StrandWatch.budget(0));
        assertEquals(2 * 3_000 + StrandWatch.MIN_SPIN_NANOS, StrandWatch.budget(3_000));
    }

    @Test
    void theBudgetIsCappedAndEndsOnceWaitsAreUsuallyLong() {
        assertEquals(StrandWatch.MAX_SPIN_NANOS, StrandWatch.budget(StrandWatch.MAX_SPIN_NANOS - 1));
        assertEquals(0, StrandWatch.budget(StrandWatch.MAX_SPIN_NANOS));
        assertEquals(0, StrandWatch.budget(10 * StrandWatch.MAX_SPIN_NANOS));
    }

    @Test
    void yieldingStopsAtItsOwnLowerCap() {
        // A yield copies the virtual thread's stack: worth it for answers within 10 us only.
        assertEquals(2 * 3_000 + StrandWatch.MIN_SPIN_NANOS, StrandWatch.budget(3_000, StrandWatch.MAX_YIELD_NANOS));
        assertEquals(StrandWatch.MAX_YIELD_NANOS, StrandWatch.budget(9_000, StrandWatch.MAX_YIELD_NANOS));
        assertEquals(0, StrandWatch.budget(20_000, StrandWatch.MAX_YIELD_NANOS));
        assertEquals(StrandWatch.MAX_SPIN_NANOS, StrandWatch.budget(30_000), "a platform thread still spins");
    }

    @Test
    void theAverageMovesAnEighthOfTheWayAndOneLongWaitIsCapped() {
        assertEquals(1_000, StrandWatch.average(0, 8_000));
        assertEquals(7_000, StrandWatch.average(8_000, 0));
        // A wait of an hour (a task asleep, a strand idle in the pool) counts as the cap, so
        // that a few quick answers bring the budget back.
        long afterLong = StrandWatch.average(0, 3_600_000_000_000L);
        assertEquals(16 * StrandWatch.MAX_SPIN_NANOS / 8, afterLong);
        long a = afterLong;
        int quick = 0;
        while (StrandWatch.budget(a) == 0) {
            a = StrandWatch.average(a, 1_000);
            quick++;
        }
        assertTrue(quick <= 20, "quick answers needed to yield again: " + quick);
    }
}
