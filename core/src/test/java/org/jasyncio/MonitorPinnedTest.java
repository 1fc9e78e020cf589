package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the JVM does report a monitor held at a suspension, the task fails with an error that
 * states the rule, and the loop runs on. On JDK 25 the JVM reports it only under the deprecated
 * {@code -XX:LockingMode=1} (legacy stack locking, which counts held monitors per thread):
 * {@code Continuation.yield} then fails with "Pinned: MONITOR". Its default lightweight locking
 * reports nothing (pinned by {@link ThreadOwnedLockTest}). So {@link MonitorPinnedMain} runs in
 * a child JVM started with that flag, on the continuation strand.
 */
class MonitorPinnedTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void underLegacyLockingSuspendingInsideSynchronizedFailsTheTaskNamingTheRule() throws Exception {
        // The child chooses its strand itself (continuation); running it once is enough.
        assumeTrue(Asyncio.strandName().equals("continuation"), "runs once, in the continuation strand's execution");
        JvmRun run = JvmRun.of(dir, "-XX:LockingMode=1", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djasyncio.strand=continuation", "-cp", System.getProperty("java.class.path"),
                MonitorPinnedMain.class.getName());
        String stdout = run.out();
        String stderr = run.err();
        assumeTrue(!stderr.contains("Unrecognized VM option") && !stderr.contains("Could not create the Java Virtual"),
                "this JVM has no -XX:LockingMode=1 any more: nothing reports a held monitor there\n" + stderr);
        assertEquals(0, run.exitCode(), "stdout:\n" + stdout + "\nstderr:\n" + stderr);
        List<String> lines = stdout.lines().toList();
        assertEquals(4, lines.size(), stdout);
        String failure = lines.get(0);
        assertTrue(failure.startsWith("holder failed: cannot suspend this task here: it holds a monitor (it is inside a"
                + " synchronized block or method)"), failure);
        assertTrue(failure.contains("Pinned: MONITOR"), failure);
        assertTrue(failure.contains("a synchronized monitor held across a suspension"), failure);
        assertTrue(failure.contains("Never hold a thread-owned lock"), failure);
        assertTrue(failure.contains("use org.jasyncio.sync.Lock instead."), failure);
        // The error left the synchronized block, so the monitor is free; the loop runs on.
        assertEquals(List.of("second took the monitor", "second ran", "strand: continuation"), lines.subList(1, 4));
    }
}
