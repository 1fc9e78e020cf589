package org.jasyncio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test program on the strand this test run uses, for tests that send it
 * real signals (Linux: {@code kill -INT pid}). Its standard output is read as it comes, so a
 * test can wait for a line before it signals; standard error goes to a file.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    /** Guarded by itself, as is endOfOutput. */
    private final List<String> lines = new ArrayList<>();
    private boolean endOfOutput;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon().name("child stdout").start(this::readOutput);
    }

    /**
     * Starts {@code mainClass} with {@code args} on this run's strand and class path. The
     * signals SIGINT, SIGTERM and SIGHUP are reset to their default in the child: a process
     * started in the background by a non-interactive shell ignores SIGINT, and the JVM does
     * not let a program catch a signal it was started to ignore.
     */
    static ChildJvm start(Path dir, Class<?> mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (ignoresShutdownSignals()) {
            cmd.addAll(List.of("env", "--default-signal=INT,TERM,HUP"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djasyncio.strand=" + Asyncio.strandName(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        cmd.addAll(List.of(args));
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        return new ChildJvm(p, err);
    }

    /** Whether this JVM was started with SIGHUP, SIGINT or SIGTERM ignored. */
    private static boolean ignoresShutdownSignals() {
        return ignores(1) || ignores(2) || ignores(15);
    }

    /** Whether this process ignores signal {@code number} (Linux's /proc; false elsewhere). */
    static boolean ignores(int number) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (number - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // then nothing is known to be ignored
        }
        return false;
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the child went away
        } finally {
            synchronized (lines) {
                endOfOutput = true;
                lines.notifyAll();
            }
        }
    }

    /** Waits (up to 20 s) until the child has printed {@code line}. */
    void awaitLine(String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (lines) {
            while (!lines.contains(line)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || endOfOutput) {
                    throw new AssertionError("the child did not print \"" + line + "\"; output: " + lines
                            + "\nstderr:\n" + stderrText());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Sends the child a signal ({@code "INT"}, {@code "TERM"}) with {@code kill}. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits (up to 20 s) for the child to end; returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end in 20 s; output so far: " + snapshot() + "\nstderr:\n"
                    + stderrText());
        }
        return process.exitValue();
    }

    /** Everything the child printed on standard output, once it has ended ({@link #awaitExit()}). */
    List<String> output() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (lines) {
            while (!endOfOutput && System.nanoTime() < deadline) {
                lines.wait(100);
            }
            return List.copyOf(lines);
        }
    }

    private List<String> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String stderrText() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
