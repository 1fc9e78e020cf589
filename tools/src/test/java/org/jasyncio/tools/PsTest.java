package org.jasyncio.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./jasyncio ps PID} and {@code pstree PID} against real child JVMs. */
class PsTest {

    /** What one run of the tool printed. */
    private record Result(int status, String out, String err) {
    }

    private static Result ps(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Ps.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@code mainClass} in a child JVM with this JVM's java, classpath and strand, up to its READY line. */
    private static Process start(Class<?> mainClass) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djasyncio.jmx.delay=0"));
        String strand = System.getProperty("jasyncio.strand");
        if (strand != null) {
            cmd.add("-Djasyncio.strand=" + strand);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (Exception e) {
                return e.toString();
            }
        }).get(60, TimeUnit.SECONDS);
        assertEquals("READY", ready, "the child's first line");
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void psAndPstreeOfAWaitingProgram() throws Exception {
        Process child = start(WaitingProgram.class);
        try {
            String pid = Long.toString(child.pid());
            Result table = ps("ps", pid);
            assertEquals(0, table.status(), table.err());
            assertTrue(table.out().startsWith("event loop "), table.out());
            assertTrue(row(table.out(), "consumer").contains(" Queue.get "), table.out());
            assertTrue(row(table.out(), "consumer").endsWith(" waiter"), table.out());
            assertTrue(row(table.out(), "sleeper").contains(" sleep 3600 s"), table.out());
            assertTrue(row(table.out(), "second-baker").contains(" Lock held by baker"), table.out());
            assertTrue(row(table.out(), "waiter").contains(" gather of consumer"), table.out());
            assertTrue(row(table.out(), "sleeper").contains(" WaitingProgram.lambda$"), "the user's frame\n" + table.out());

            Result tree = ps("pstree", pid);
            assertEquals(0, tree.status(), tree.err());
            assertTrue(tree.out().contains("└── (T) waiter  waiting at WaitingProgram.lambda$"), tree.out());
            assertTrue(tree.out().contains("\n    └── (T) consumer  waiting at WaitingProgram.lambda$"), tree.out());
        } finally {
            stop(child);
        }
    }

    private static String row(String table, String name) {
        return table.lines().filter(l -> l.matches("0x[0-9a-f]+\\s+" + name + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + table));
    }

    @Test
    void aJvmWithoutJasyncioIsToldSo() throws Exception {
        Process child = start(PlainProgram.class);
        try {
            Result r = ps("ps", Long.toString(child.pid()));
            assertEquals(1, r.status(), r.out());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("process " + child.pid() + " runs no jasyncio event loop"), r.err());
        } finally {
            stop(child);
        }
    }

    @Test
    void aDeadProcessIsToldSo() throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        gone.waitFor();
        Result r = ps("pstree", Long.toString(gone.pid()));
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("cannot attach to process " + gone.pid() + ": "), r.err());
    }

    @Test
    void usage() {
        assertEquals(2, ps().status());
        assertEquals(2, ps("top", "1").status());
        Result r = ps("ps", "abc");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("not a process id: abc"), r.err());
    }
}
