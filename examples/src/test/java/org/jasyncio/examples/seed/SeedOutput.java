package org.jasyncio.examples.seed;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Captures a seed program's printed lines, and reads the wall times it printed. */
final class SeedOutput {

    /** The examples run 20 times faster than the seed under test. */
    static final double SCALE = 0.05;

    private static final Pattern TIME = Pattern.compile("(?:wall time:|took) (\\d+\\.\\d) s");

    interface Program {
        void run(PrintStream out) throws Exception;
    }

    private SeedOutput() {
    }

    static List<String> capture(Program p) throws Exception {
        return capture(p, SCALE);
    }

    /**
     * {@link #capture(Program)} at {@code scale}: a program whose output depends on the order of
     * two nearby deadlines runs slower, so that a loaded machine's pause cannot swap them.
     */
    static List<String> capture(Program p, double scale) throws Exception {
        String old = System.getProperty(Pace.PROPERTY);
        System.setProperty(Pace.PROPERTY, Double.toString(scale));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            p.run(out);
        } finally {
            if (old == null) {
                System.clearProperty(Pace.PROPERTY);
            } else {
                System.setProperty(Pace.PROPERTY, old);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The wall time printed on {@code line}, on the seed's scale. */
    static double seconds(String line) {
        Matcher m = TIME.matcher(line);
        if (!m.find()) {
            fail("no wall time on line: " + line);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * Asserts a measured time on the seed's scale: never less than the seed's own time (minus
     * rounding), and not much more, with room for a loaded 2-core machine.
     */
    static void assertTime(double expected, String line) {
        double s = seconds(line);
        assertTrue(s >= expected - 0.1, "too fast for the seed's " + expected + " s: " + line);
        assertTrue(s <= expected + 10, "far slower than the seed's " + expected + " s: " + line);
    }
}
