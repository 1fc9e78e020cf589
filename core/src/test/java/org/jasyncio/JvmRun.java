package org.jasyncio;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM run to its end: its exit status and what it printed, for tests of how jasyncio
 * starts under given JVM options (flags, the module path, an executable jar). Line ends are
 * {@code \n}. {@link ChildJvm} is the one to use for a child that must be signalled while it runs.
 *
 * @param exitCode the child's exit status
 * @param out      its standard output
 * @param err      its standard error
 */
record JvmRun(int exitCode, String out, String err) {

    /**
     * Runs this JDK's {@code java} with {@code args} (options, then what to run), files for its
     * output kept in {@code dir}; fails the test if it takes more than 60 s.
     */
    static JvmRun of(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        File out = dir.resolve("out.txt").toFile();
        File err = dir.resolve("err.txt").toFile();
        Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in 60 s: " + cmd);
        }
        return new JvmRun(p.exitValue(), read(out), read(err));
    }

    /** {@link #of(Path, List)} with {@code args} as an array. */
    static JvmRun of(Path dir, String... args) throws IOException, InterruptedException {
        return of(dir, List.of(args));
    }

    private static String read(File f) throws IOException {
        return Files.readString(f.toPath(), StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
