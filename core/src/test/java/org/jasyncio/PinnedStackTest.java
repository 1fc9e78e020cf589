package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Stacks the continuation strand cannot suspend: a clear error in the task, never a hang. */
class PinnedStackTest {

    @Test
    void suspendingInAClassInitialiserIsAClearErrorOnTheContinuationStrand() {
        // The JDK cannot yield a continuation through a class initialiser (it is pinned): the task
        // fails with an error that says so, and the loop is not affected. A virtual thread can
        // park there, so on the virtual strand the same code simply works (documented difference).
        if (Asyncio.strandName().equals("continuation")) {
            ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class,
                    () -> Asyncio.run(() -> SleepsWhileInitialising.VALUE));
            assertTrue(e.getCause() instanceof IllegalStateException, "cause: " + e.getCause());
            assertTrue(e.getCause().getMessage().contains("pinned"), e.getCause().getMessage());
        } else {
            assertEquals(1, Asyncio.run(() -> SleepsWhileInitialising.VALUE));
        }
    }

    static final class SleepsWhileInitialising {
        static final Integer VALUE = init();

        private static Integer init() {
            Asyncio.sleep(0.001);
            return 1;
        }
    }
}
