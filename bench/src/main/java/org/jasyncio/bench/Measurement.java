package org.jasyncio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One measured run of a workload, printed as the runner's {@code RESULT} line.
 *
 * @param peer     who ran it: {@code jasyncio-<strand>}, {@code java-vthreads}, ...
 * @param workload the workload's name
 * @param n        its size
 * @param seconds  wall time
 * @param ops      operations done (for the rate)
 * @param extra    more {@code key=value} fields, or empty
 */
record Measurement(String peer, String workload, long n, double seconds, double ops, String extra) {

    double rate() {
        return ops / seconds;
    }

    String line() {
        return String.format(Locale.ROOT, "RESULT peer=%s workload=%s n=%d seconds=%.3f rate=%.0f%s", peer, workload,
                n, seconds, rate(), extra.isEmpty() ? "" : " " + extra);
    }

    /** Peak resident set size of this process in MB (Linux VmHWM), or -1 if unknown. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
