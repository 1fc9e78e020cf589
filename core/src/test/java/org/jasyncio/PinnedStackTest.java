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

    @Test
    void aYieldRefusedOnAPinnedStackLeavesTheTaskWaitingOnNothing() {
        // asyncio's task has a _fut_waiter only while it is suspended on it. A refused yield
        // never suspended the task, so it must not look (or be cancelled) as if it waited.
        String outcome = Asyncio.run(() -> AwaitsWhileInitialising.VALUE);
        if (Asyncio.strandName().equals("continuation")) {
            assertEquals("refused; waiting on nothing; the future was not cancelled", outcome);
        } else {
            assertEquals("awaited", outcome); // a virtual thread can park in a class initialiser
        }
    }

    /**
     * Completes {@code f}. The callback is a lambda of the test class, not of the class being
     * initialised: on the virtual strand the loop thread would otherwise wait for that class's
     * initialisation, which waits for {@code f}.
     */
    static Runnable completer(Future<String> f) {
        return () -> f.trySetResult("done");
    }

    static final class AwaitsWhileInitialising {
        static final String VALUE = init();

        private static String init() {
            Task<?> me = Asyncio.currentTask();
            Future<String> f = new Future<>();
            Asyncio.getRunningLoop().callSoon(completer(f)); // not a lambda of this class: see completer
            try {
                f.await();
                return "awaited";
            } catch (IllegalStateException pinned) {
                String waiting = me.waitingOn == null && !me.toString().contains("waiting on")
                        ? "waiting on nothing" : "still waiting on " + me.waitingOn + ": " + me;
                me.cancel(); // must not reach f: the task does not await it
                me.uncancel();
                return "refused; " + waiting + "; " + (f.cancelled() ? "the future was cancelled" : "the future was not cancelled");
            }
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
