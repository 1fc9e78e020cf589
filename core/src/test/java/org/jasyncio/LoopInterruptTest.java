package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Interrupts and the loop: a task's own interrupt is its own; one from outside is asyncio's Ctrl-C. */
class LoopInterruptTest {

    @Test
    void aTaskInterruptingItselfKeepsItsStatusAndDoesNotDisturbTheLoop() {
        boolean[] seen = new boolean[2];
        String r = Asyncio.run(() -> {
            Task<Void> other = Asyncio.createTask(() -> {
                Asyncio.sleep(0.02);
                seen[1] = Thread.currentThread().isInterrupted();
            });
            Thread.currentThread().interrupt();
            Asyncio.sleep(0.05); // the loop must neither spin nor treat this as an outside interrupt
            seen[0] = Thread.interrupted();
            other.await();
            return "main finished";
        });
        assertEquals("main finished", r);
        assertTrue(seen[0], "the task's own interrupt status survives its suspension");
        assertFalse(seen[1], "another task does not see it");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptFromOutsideCancelsTheMainTask() throws Exception {
        // asyncio.run turns Ctrl-C into a cancellation of the main task.
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                Asyncio.run(() -> {
                    sleeping.countDown();
                    Asyncio.sleep(30);
                });
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        runner.start();
        assertTrue(sleeping.await(10, TimeUnit.SECONDS));
        runner.interrupt();
        runner.join(10_000);
        assertFalse(runner.isAlive(), "Asyncio.run must return after the interrupt");
        assertTrue(outcome.get() instanceof CancelledError, "main was cancelled: " + outcome.get());
    }

    @Test
    void anInterruptedBareLoopStopsAndKeepsTheInterruptStatus() {
        EventLoop loop = new EventLoop();
        try {
            loop.callLater(30, () -> { });
            loop.callSoon(() -> Thread.currentThread().interrupt());
            loop.runForever(); // returns: the interrupt stops a loop that has no main task
            assertTrue(Thread.interrupted());
        } finally {
            loop.close();
        }
    }

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
