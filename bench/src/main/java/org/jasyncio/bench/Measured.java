package org.jasyncio.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A RESULT line read back by the runner, with its numeric fields ({@code seconds},
 * {@code rate}, {@code peak_rss_mb}, {@code ns_per_switch}, {@code server_cpu_us}, ...).
 *
 * @param line   the line as printed
 * @param peer   its {@code peer} field
 * @param fields every {@code key=value} whose value is a number, in line order
 */
record Measured(String line, String peer, Map<String, Double> fields) {

    /**
     * Parses a RESULT line.
     *
     * @param line the line
     * @return its fields
     * @throws IllegalStateException if it has no peer, seconds or rate
     */
    static Measured parse(String line) {
        String peer = null;
        Map<String, Double> fields = new LinkedHashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            if (key.equals("peer")) {
                peer = value;
            } else {
                try {
                    fields.put(key, Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    // a word (workload=spawn): not a measurement
                }
            }
        }
        if (peer == null || !fields.containsKey("seconds") || !fields.containsKey("rate")) {
            throw new IllegalStateException("not a RESULT line with peer, seconds and rate: " + line);
        }
        return new Measured(line, peer, fields);
    }

    double seconds() {
        return fields.get("seconds");
    }

    double rate() {
        return fields.get("rate");
    }

    /** The run with the median rate (the upper one of an even count), as the warm runner always chose. */
    static Measured medianByRate(List<Measured> runs) {
        List<Measured> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Measured::rate));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The median of each field over the runs, each taken on its own (the median wall time and
     * the median peak RSS may come from different runs).
     */
    static Map<String, Double> medians(List<Measured> runs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String key : runs.get(0).fields().keySet()) {
            List<Double> values = new ArrayList<>();
            for (Measured m : runs) {
                Double v = m.fields().get(key);
                if (v != null) {
                    values.add(v);
                }
            }
            values.sort(null);
            out.put(key, values.get(values.size() / 2));
        }
        return out;
    }
}
