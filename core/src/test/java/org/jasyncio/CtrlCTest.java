package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C under {@link Asyncio#run}: asyncio's {@code Runner._on_sigint} and what
 * Lib/test/test_asyncio/test_runners.py's {@code test_interrupt_*} tests pin. The first tests
 * send a real SIGINT to a child JVM ({@link CtrlCMain}) running on this run's strand; the
 * last ones drive {@link CtrlC}'s decisions in process, without a signal.
 */
@Timeout(60)
class CtrlCTest {

    @TempDir
    Path dir;

    @Test
    void theFirstCtrlCCancelsMainSoFinallyBlocksAndTaskGroupCleanupsRunThenTheProcessExitsWith130() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, CtrlCMain.class, "taskgroup")) {
            child.awaitLine("ready");
            child.signal("INT");
            int status = child.awaitExit();
            List<String> out = child.output();
            String err = child.stderrText();
            assertEquals(130, status, "out: " + out + "\nerr:\n" + err);
            // The group's children are cancelled with the body and clean up before main's finally.
            assertEquals(List.of("ready", "child 1 cleaned up", "child 2 cleaned up", "main finally ran", "shutdown hook"),
                    out, err);
            assertTrue(err.startsWith("Exception in thread \"main\" org.jasyncio.KeyboardInterrupt: SIGINT (Ctrl-C)"
                    + " cancelled the main task"), err);
            assertTrue(err.contains("Caused by: org.jasyncio.CancelledError: SIGINT (Ctrl-C)"), err);
        }
    }

    @Test
    void aSecondCtrlCEndsTheProcessAtOnceWhenMainIgnoresTheFirst() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, CtrlCMain.class, "stubborn")) {
            child.awaitLine("ready");
            child.signal("INT");
            child.awaitLine("main ignored its cancellation");
            child.signal("INT");
            int status = child.awaitExit();
            // asyncio raises KeyboardInterrupt wherever the main thread is; the JVM cannot, so
            // the second Ctrl-C gets its default: shutdown hooks, then exit 130.
            assertEquals(130, status, child.stderrText());
            assertEquals(List.of("ready", "main ignored its cancellation", "shutdown hook"), child.output());
        }
    }

    @Test
    void aLoopHandlerForSigintTakesCtrlCFromTheRunnerUntilRemovedAndAMainThatCatchesTheCancellationReturns()
            throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, CtrlCMain.class, "handler")) {
            child.awaitLine("ready");
            child.signal("INT");
            child.awaitLine("ready again");
            child.signal("INT");
            int status = child.awaitExit();
            List<String> out = child.output();
            assertEquals(0, status, "out: " + out + "\nerr:\n" + child.stderrText());
            // asyncio's Runner.run raises KeyboardInterrupt only when main ends cancelled; a main
            // that catches the cancellation and returns gives its result.
            assertEquals(List.of("ready", "handler ran as a callback of the loop", "removed: true", "ready again",
                    "main cancelled: SIGINT (Ctrl-C)", "main returned normally", "Asyncio.run returned", "shutdown hook"), out);
            assertFalse(child.stderrText().contains("KeyboardInterrupt"), child.stderrText());
        }
    }

    @Test
    void onceRunHasReturnedCtrlCEndsTheProcessAsTheJvmDoesByDefault() throws Exception {
        // asyncio's Runner.run restores default_int_handler when it returns.
        try (ChildJvm child = ChildJvm.start(dir, CtrlCMain.class, "after")) {
            child.awaitLine("ready");
            child.signal("INT");
            assertEquals(130, child.awaitExit(), child.stderrText());
            assertEquals(List.of("main returned 42", "ready", "shutdown hook"), child.output());
            assertEquals("", child.stderrText());
        }
    }

    // ------------------------------------------------------------------ the decisions, in process

    @Test
    void theFirstSigintCancelsMainOnTheLoopAndRunThrowsKeyboardInterruptWithTheCancellationAsCause() {
        // test_runners: test_interrupt_cancelled_task (asyncio raises KeyboardInterrupt when
        // main ends cancelled and uncancel() brings its count back to 0).
        List<String> hard = new ArrayList<>();
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            Task<Object> main = sleepingMain(loop);
            CtrlC ctrlC = new CtrlC(main);
            loop.callSoon(() -> ctrlC.onSigint(() -> hard.add("hard exit")));
            CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
            assertEquals(CtrlC.MESSAGE, e.getMessage());
            Error thrown = ctrlC.afterCancelled(e);
            assertTrue(thrown instanceof KeyboardInterrupt, String.valueOf(thrown));
            assertEquals(e, thrown.getCause());
            assertEquals(List.of(), hard, "the first SIGINT is not a hard exit");
            ctrlC.onSigint(() -> hard.add("hard exit"));
            assertEquals(List.of("hard exit"), hard, "the second is");
        }
    }

    @Test
    void aCancellationNoSigintCausedStaysACancelledError() {
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            Task<Object> main = sleepingMain(loop);
            CtrlC ctrlC = new CtrlC(main);
            loop.callSoon(() -> main.cancel("by the program"));
            CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
            assertEquals(e, ctrlC.afterCancelled(e));
        }
    }

    @Test
    void mainCancelledBothByCtrlCAndByTheProgramEndsWithTheCancelledError() {
        // asyncio: uncancel() leaves a count above 0, so the CancelledError propagates.
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            Task<Object> main = sleepingMain(loop);
            CtrlC ctrlC = new CtrlC(main);
            loop.callSoon(() -> {
                ctrlC.onSigint(() -> { }); // its cancellation reaches main in the next iteration
                loop.callSoon(() -> main.cancel("by the program")); // so does this one, just before
            });
            CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
            assertEquals(e, ctrlC.afterCancelled(e));
        }
    }

    @Test
    void aSigintWhoseCancellationFindsMainAlreadyCancelledStillGivesKeyboardInterrupt() {
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            Task<Object> main = sleepingMain(loop);
            CtrlC ctrlC = new CtrlC(main);
            loop.callSoon(() -> {
                main.cancel("by the program"); // main ends before the SIGINT's cancellation reaches it
                ctrlC.onSigint(() -> { });
            });
            CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
            loop.runUntilComplete(loop.createTask(() -> Asyncio.sleep(0, "later"))); // the handed-over cancel runs, in vain
            assertTrue(ctrlC.afterCancelled(e) instanceof KeyboardInterrupt);
        }
    }

    @Test
    void aMainThatCatchesTheCtrlCCancellationAndReturnsHasAnsweredIt() {
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            Task<String> main = loop.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                    return "slept";
                } catch (CancelledError e) {
                    return "stopped cleanly";
                }
            });
            CtrlC ctrlC = new CtrlC(main);
            loop.callSoon(() -> ctrlC.onSigint(() -> { }));
            assertEquals("stopped cleanly", loop.runUntilComplete(main));
            ctrlC.afterReturned(); // nothing thrown
        }
    }

    @Test
    void aSigintThatFindsMainAlreadyDoneStillMakesRunThrowKeyboardInterrupt() {
        // asyncio's _on_sigint raises KeyboardInterrupt at once when the main task is done.
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            Task<String> main = loop.createTask(() -> "done");
            CtrlC ctrlC = new CtrlC(main);
            main.addDoneCallback(f -> ctrlC.onSigint(() -> { })); // the cancellation it hands over finds main done
            assertEquals("done", loop.runUntilComplete(main));
            loop.runUntilComplete(loop.createTask(() -> Asyncio.sleep(0, "later"))); // the handed-over cancel runs, in vain
            KeyboardInterrupt e = assertThrows(KeyboardInterrupt.class, ctrlC::afterReturned);
            assertTrue(e.getMessage().startsWith("SIGINT (Ctrl-C) arrived as the main task"), e.getMessage());
        }
    }

    @Test
    void withoutASigintNothingChanges() {
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            Task<String> main = loop.createTask(() -> "done");
            CtrlC ctrlC = new CtrlC(main);
            assertEquals("done", loop.runUntilComplete(main));
            ctrlC.afterReturned();
        }
    }

    /** A main task that sleeps for an hour: only a cancellation ends it. */
    private static Task<Object> sleepingMain(EventLoop loop) {
        return loop.createTask(() -> {
            Asyncio.sleep(3600);
            return null;
        });
    }
}
