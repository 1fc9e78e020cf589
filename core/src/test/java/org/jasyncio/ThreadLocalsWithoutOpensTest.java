package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ThreadLocals in a JVM started without {@code --add-opens java.base/java.lang=ALL-UNNAMED}:
 * the continuation strand cannot swap a task's maps onto the loop thread, so the tasks of a
 * loop share its ThreadLocals, and one warning says so and names the flag; the virtual strand
 * still gives each task its own (a thread per task), silently, but a task's thread is made
 * when the task first runs, so it inherits InheritableThreadLocals from the loop's thread, not
 * from the task that created it. Each case runs
 * {@link ThreadLocalsMain} in a child JVM, since the access is settled once per JVM.
 */
class ThreadLocalsWithoutOpensTest {

    private static final String EXPORT = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";
    private static final String OPENS = "--add-opens java.base/java.lang=ALL-UNNAMED";

    @TempDir
    Path dir;

    @BeforeEach
    void onceOnly() {
        // The children choose their strand themselves: running them in one execution is enough.
        assumeTrue(Asyncio.strandName().equals("continuation"), "runs once, in the continuation strand's execution");
    }

    private JvmRun runChild(String... jvmOptions) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(jvmOptions));
        args.addAll(List.of("-cp", System.getProperty("java.class.path"), ThreadLocalsMain.class.getName()));
        return JvmRun.of(dir, args);
    }

    @Test
    void onTheContinuationStrandTasksShareTheLoopThreadsThreadLocalsAndOneWarningSaysSo() throws Exception {
        JvmRun o = runChild(EXPORT, "-Djasyncio.strand=continuation");
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        assertEquals("a sees b\nb sees b\na new task sees b\na child sees parent\nper-task: false\n"
                + "strand: continuation\n", o.out());
        assertEquals(1, o.err().split("tasks of a loop share its thread's ThreadLocals", -1).length - 1,
                "one warning expected:\n" + o.err());
        assertTrue(o.err().contains(OPENS), "the warning names the flag:\n" + o.err());
    }

    @Test
    void onTheVirtualStrandEachTaskStillHasItsOwnThreadLocalsSilently() throws Exception {
        JvmRun o = runChild(EXPORT, "-Djasyncio.strand=virtual");
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        // Inherited from the loop's thread, which has no value: the task's creator is out of reach.
        assertEquals("a sees a\nb sees b\na new task sees null\na child sees null\nper-task: true\n"
                + "strand: virtual\n", o.out());
        assertEquals("", o.err());
    }

    @Test
    void withTheFlagTheContinuationStrandGivesEachTaskItsOwn() throws Exception {
        JvmRun o = runChild(EXPORT, "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djasyncio.strand=continuation");
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        assertEquals("a sees a\nb sees b\na new task sees null\na child sees parent\nper-task: true\n"
                + "strand: continuation\n", o.out());
        assertEquals("", o.err());
    }
}
