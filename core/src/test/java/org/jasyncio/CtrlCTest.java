package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C under {@link Asyncio#run}: asyncio's {@code Runner._on_sigint} and what
 * Lib/test/test_asyncio/test_runners.py's {@code test_signal_install_not_supported_ok} family
 * and {@code test_interrupt_*} pin, with a real SIGINT sent to a child JVM ({@link CtrlCMain})
 * running on this run's strand.
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
}
