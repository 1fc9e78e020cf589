package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.modulepath.ModulePathMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strand selection in a JVM started WITHOUT {@code --add-exports java.base/jdk.internal.vm=...}:
 * the default falls back to virtual threads with one warning; an explicit request for
 * continuations fails at start-up naming the flag. Each case runs {@link StrandFallbackMain} in
 * a child JVM, since the choice is made once per JVM; the module-path cases run
 * {@link ModulePathMain} with jasyncio as the named module {@code org.jasyncio}, where the flag
 * to name ends in {@code =org.jasyncio} instead of {@code =ALL-UNNAMED}.
 */
class StrandFallbackTest {

    private static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";
    private static final String MODULE_FLAG = "--add-exports java.base/jdk.internal.vm=org.jasyncio";
    private static final String MODULE_OPENS = "--add-opens java.base/java.lang=org.jasyncio";

    @TempDir
    Path dir;

    private JvmRun runChild(String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StrandFallbackMain.class.getName());
        return JvmRun.of(dir, cmd);
    }

    /**
     * Runs {@link ModulePathMain} from the class path with jasyncio as the named module
     * {@code org.jasyncio} from the module path (its exploded classes directory).
     */
    private JvmRun runChildOnModulePath(String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jvmOptions));
        cmd.addAll(List.of("--module-path", location(Asyncio.class), "--add-modules", "org.jasyncio",
                "-cp", location(ModulePathMain.class), ModulePathMain.class.getName()));
        return JvmRun.of(dir, cmd);
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theClassPathReachesTheChild() {
        // Surefire must hand the real test class path to the tests, or the child cannot start.
        assertTrue(System.getProperty("java.class.path").contains("test-classes"),
                System.getProperty("java.class.path"));
    }

    @Test
    void withoutThePropertyItFallsBackToVirtualThreadsWithOneWarning() throws Exception {
        JvmRun o = runChild();
        assertEquals(0, o.exitCode(), "stdout:\n" + o.out() + "\nstderr:\n" + o.err());
        assertEquals("round 1: 1 2 cancelled\nround 2: 1 2 cancelled\nstrand: virtual\n",
                o.out().replace(System.lineSeparator(), "\n"));
        assertEquals(1, count(o.err(), "continuations are not accessible"), "one warning expected:\n" + o.err());
        assertTrue(o.err().contains(FLAG), "the warning names the flag:\n" + o.err());
        assertTrue(o.err().contains("WARNING"), "logged at WARNING through System.Logger:\n" + o.err());
    }

    @Test
    void askingForContinuationsWithoutTheFlagFailsAtStartUpNamingIt() throws Exception {
        JvmRun o = runChild("-Djasyncio.strand=continuation");
        assertNotEquals(0, o.exitCode(), "stdout:\n" + o.out());
        assertFalse(o.out().contains("round"), "no program may run:\n" + o.out());
        assertTrue(o.err().contains("IllegalStateException"), o.err());
        assertTrue(o.err().contains(FLAG), "the error names the flag:\n" + o.err());
        assertEquals(0, count(o.err(), "running tasks on virtual threads"), "it must not fall back:\n" + o.err());
    }

    @Test
    void askingForVirtualThreadsWithoutTheFlagWorksSilently() throws Exception {
        JvmRun o = runChild("-Djasyncio.strand=virtual");
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        assertTrue(o.out().endsWith("strand: virtual" + System.lineSeparator()), o.out());
        assertEquals("", o.err());
    }

    @Test
    void onTheModulePathTheWarningNamesTheFlagForModuleOrgJasyncio() throws Exception {
        // ALL-UNNAMED would not help a named module: the warning must name the export that does.
        JvmRun o = runChildOnModulePath();
        assertEquals(0, o.exitCode(), "stdout:\n" + o.out() + "\nstderr:\n" + o.err());
        assertEquals("module: org.jasyncio\ngathered: [1, 2]\nstrand: virtual\n",
                o.out().replace(System.lineSeparator(), "\n"));
        assertEquals(1, count(o.err(), "continuations are not accessible"), "one warning expected:\n" + o.err());
        assertTrue(o.err().contains(MODULE_FLAG), "the warning names the module's flag:\n" + o.err());
        assertFalse(o.err().contains("ALL-UNNAMED"), o.err());
    }

    @Test
    void onTheModulePathTheFlagsForModuleOrgJasyncioGiveContinuationsWithoutAWarning() throws Exception {
        JvmRun o = runChildOnModulePath((MODULE_FLAG + " " + MODULE_OPENS).split(" "));
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        assertEquals("module: org.jasyncio\ngathered: [1, 2]\nstrand: continuation\n",
                o.out().replace(System.lineSeparator(), "\n"));
        assertEquals("", o.err());
    }

    @Test
    void onTheModulePathTheExportAloneGivesContinuationsAndTheThreadLocalWarningNamesTheModulesOpens()
            throws Exception {
        JvmRun o = runChildOnModulePath(MODULE_FLAG.split(" "));
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        assertEquals("module: org.jasyncio\ngathered: [1, 2]\nstrand: continuation\n",
                o.out().replace(System.lineSeparator(), "\n"));
        assertEquals(1, count(o.err(), "share its thread's ThreadLocals"), "one warning expected:\n" + o.err());
        assertTrue(o.err().contains(MODULE_OPENS), "the warning names the module's flag:\n" + o.err());
        assertFalse(o.err().contains("ALL-UNNAMED"), o.err());
    }

    @Test
    void onTheModulePathAskingForContinuationsWithoutTheFlagNamesTheModulesFlag() throws Exception {
        JvmRun o = runChildOnModulePath("-Djasyncio.strand=continuation");
        assertNotEquals(0, o.exitCode(), "stdout:\n" + o.out());
        assertFalse(o.out().contains("gathered"), "no program may run:\n" + o.out());
        assertTrue(o.err().contains(MODULE_FLAG), "the error names the module's flag:\n" + o.err());
    }
}
