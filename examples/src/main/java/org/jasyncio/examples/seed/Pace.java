package org.jasyncio.examples.seed;

/**
 * The examples' clock option: every delay of the seed programs is multiplied by the system
 * property {@code jasyncio.examples.timeScale} (default 1, i.e. the seed's real seconds).
 * The golden-output tests run the programs at a small scale so that the 9-second gather takes
 * 90 ms, and check the measured times against the scaled expectations.
 */
public final class Pace {

    /** The system property holding the scale. */
    public static final String PROPERTY = "jasyncio.examples.timeScale";

    private Pace() {
    }

    /** The current scale factor. */
    public static double scale() {
        String s = System.getProperty(PROPERTY);
        if (s == null) {
            return 1.0;
        }
        double v = Double.parseDouble(s);
        if (!(v > 0)) {
            throw new IllegalArgumentException(PROPERTY + " must be a positive number, got " + s);
        }
        return v;
    }

    /**
     * A seed delay, scaled.
     *
     * @param seedSeconds the delay the seed program uses
     * @return the delay to really wait, in seconds
     */
    public static double seconds(double seedSeconds) {
        return seedSeconds * scale();
    }

    /**
     * Formats a measured wall time back on the seed's scale, so the output reads "~9.0 s"
     * whatever the scale.
     *
     * @param startNanos {@link System#nanoTime()} at the start
     * @return e.g. {@code "9.0 s"}
     */
    public static String elapsedSince(long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9 / scale();
        return String.format(java.util.Locale.ROOT, "%.1f s", seconds);
    }
}
