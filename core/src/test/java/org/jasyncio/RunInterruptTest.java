package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An interrupt of the thread running {@link Asyncio#run} or {@link Runner#run} from another
 * thread: jasyncio's counterpart of asyncio's Ctrl-C for a Java caller (asyncio's
 * {@code Runner.run} cancels the main task on SIGINT). It cancels the main task whatever the
 * loop was doing when it arrived, and {@code run} returns with the interrupt status set, on
 * both strands alike. On the continuation strand every task runs on the loop's thread, so the
 * interrupt can land in the middle of a task's step; {@code InterruptWatch} tells it from the
 * task's own.
 */
@Timeout(30)
class RunInterruptTest {

    @AfterEach
    void clearStatus() {
        Thread.interrupted();
    }

    /** Interrupts {@code target} once {@code ready} is set, then sets {@code sent}. */
    private static Thread interruptWhen(Thread target, AtomicBoolean ready, AtomicBoolean sent) {
        return Thread.ofPlatform().daemon().start(() -> {
            while (!ready.get()) {
                Thread.onSpinWait();
            }
            target.interrupt();
            sent.set(true);
        });
    }

    @Test
    void anInterruptWhileMainAwaitsCancelsItAndRunReturnsWithTheStatusSet() {
        Thread caller = Thread.currentThread();
        AtomicBoolean waiting = new AtomicBoolean();
        AtomicBoolean sent = new AtomicBoolean();
        Thread interrupter = interruptWhen(caller, waiting, sent);
        CancelledError e = assertThrows(CancelledError.class, () -> Asyncio.run(() -> {
            Asyncio.getRunningLoop().callLater(0.001, () -> waiting.set(true));
            Asyncio.sleep(3600);
        }));
        assertEquals("interrupted", e.getMessage());
        assertTrue(Thread.interrupted(), "Asyncio.run returned without the interrupt status");
        joinQuietly(interrupter);
    }

    @Test
    void anInterruptDuringACpuBoundStepCancelsMainAtItsNextSuspensionAndIsNotTheTasks() {
        // Before InterruptWatch, on the continuation strand, the step that was running kept the
        // interrupt as its own: main was never cancelled.
        Thread caller = Thread.currentThread();
        AtomicBoolean stepRunning = new AtomicBoolean();
        AtomicBoolean sent = new AtomicBoolean();
        boolean[] taskSawStatus = new boolean[1];
        Thread interrupter = interruptWhen(caller, stepRunning, sent);
        assertThrows(CancelledError.class, () -> Asyncio.run(() -> {
            try {
                stepRunning.set(true);
                while (!sent.get()) {
                    Thread.onSpinWait(); // busy, never suspends, never looks at the status
                }
                Asyncio.sleep(0);
                return "not cancelled";
            } finally {
                taskSawStatus[0] = Thread.currentThread().isInterrupted();
            }
        }));
        assertFalse(taskSawStatus[0], "the main task's finally block ran with the caller's interrupt status set");
        assertTrue(Thread.interrupted(), "Asyncio.run returned without the interrupt status");
        joinQuietly(interrupter);
    }

    @Test
    void anInterruptAStepConsumesStillCancelsMain() {
        // On the continuation strand the step sees the caller's interrupt and clears it (as a
        // blocking call that throws InterruptedException would); the loop still learns of it.
        Thread caller = Thread.currentThread();
        AtomicBoolean stepRunning = new AtomicBoolean();
        AtomicBoolean sent = new AtomicBoolean();
        Thread interrupter = interruptWhen(caller, stepRunning, sent);
        assertThrows(CancelledError.class, () -> Asyncio.run(() -> {
            stepRunning.set(true);
            boolean consumed = false;
            while (!sent.get() || !consumed && Asyncio.strandName().equals("continuation")) {
                consumed |= Thread.interrupted();
            }
            Asyncio.sleep(0);
            return "not cancelled";
        }));
        assertTrue(Thread.interrupted(), "Asyncio.run returned without the interrupt status");
        joinQuietly(interrupter);
    }

    @Test
    void anInterruptDuringAStepOfAnotherTaskCancelsMainNotThatTask() {
        Thread caller = Thread.currentThread();
        AtomicBoolean stepRunning = new AtomicBoolean();
        AtomicBoolean sent = new AtomicBoolean();
        Thread interrupter = interruptWhen(caller, stepRunning, sent);
        Task<?>[] worker = new Task<?>[1];
        boolean[] workerSawStatus = new boolean[1];
        try (Runner runner = new Runner()) {
            assertThrows(CancelledError.class, () -> runner.run(() -> {
                worker[0] = Asyncio.createTask(() -> {
                    stepRunning.set(true);
                    while (!sent.get()) {
                        Thread.onSpinWait();
                    }
                    Asyncio.sleep(0);
                    workerSawStatus[0] = Thread.currentThread().isInterrupted();
                    return "worker done";
                });
                Asyncio.sleep(3600);
            }));
            assertTrue(Thread.interrupted());
            assertEquals("worker done", runner.run(() -> worker[0].await()), "the worker was not cancelled");
            assertFalse(workerSawStatus[0], "the worker kept the caller's interrupt as its own");
        }
        joinQuietly(interrupter);
    }

    @Test
    void aMainThatCatchesTheInterruptsCancellationReturnsItsResultWithTheStatusSet() {
        Thread caller = Thread.currentThread();
        AtomicBoolean waiting = new AtomicBoolean();
        AtomicBoolean sent = new AtomicBoolean();
        Thread interrupter = interruptWhen(caller, waiting, sent);
        String r = Asyncio.run(() -> {
            Asyncio.getRunningLoop().callSoon(() -> waiting.set(true));
            try {
                Asyncio.sleep(3600);
                return "slept";
            } catch (CancelledError e) {
                Asyncio.sleep(0.001); // clean-up may await: the interrupt was taken by the loop
                return "cleaned up after " + e.getMessage();
            }
        });
        assertEquals("cleaned up after interrupted", r);
        assertTrue(Thread.interrupted(), "Asyncio.run returned without the interrupt status");
        joinQuietly(interrupter);
    }

    @Test
    void aRunStartedWithTheStatusSetCancelsMainBeforeItsFirstStep() {
        Thread.currentThread().interrupt();
        boolean[] started = new boolean[1];
        assertThrows(CancelledError.class, () -> Asyncio.run(() -> {
            started[0] = true;
        }));
        assertFalse(started[0], "a task cancelled before its first step never starts");
        assertTrue(Thread.interrupted());
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
