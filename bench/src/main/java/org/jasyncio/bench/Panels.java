package org.jasyncio.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which metrics of a workload the chart shows, each as one {@link BenchChart.Panel}: the
 * workload's headline (PERFORMANCE.md's column) and, where the table has two, the second.
 */
final class Panels {

    private Panels() {
    }

    /** A metric: the RESULT field, its label with unit, and its direction. */
    private record Metric(String field, String label, boolean lowerIsBetter) {
        /** Wall time and peak memory grow with n; rates, per-switch and per-message costs do not. */
        boolean dependsOnSize() {
            return field.equals("seconds") || field.equals("peak_rss_mb");
        }
    }

    /**
     * The panels of one workload.
     *
     * @param workload the workload's name
     * @param medians  per peer, the median of each field
     * @param baseline the peer ratios are taken against
     * @return its panels, possibly none when no peer has the fields
     */
    static List<BenchChart.Panel> of(String workload, Map<String, Map<String, Double>> medians, String baseline) {
        List<BenchChart.Panel> panels = new ArrayList<>();
        Map<String, Double> base = medians.get(baseline);
        for (Metric m : metrics(workload)) {
            Map<String, Double> byPeer = new LinkedHashMap<>();
            Map<String, String> notes = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Double>> e : medians.entrySet()) {
                Double v = e.getValue().get(m.field());
                if (v != null && v >= 0) {
                    byPeer.put(e.getKey(), v);
                    if (m.dependsOnSize() && !sameSize(e.getValue(), base)) {
                        notes.put(e.getKey(), "n=" + Math.round(e.getValue().get("n")));
                    }
                }
            }
            if (!byPeer.isEmpty()) {
                panels.add(new BenchChart.Panel(workload + ": " + m.label(), m.lowerIsBetter(), byPeer,
                        byPeer.containsKey(baseline) ? baseline : null, notes));
            }
        }
        return panels;
    }

    /**
     * Whether a peer ran at the baseline's size: the virtual strand runs the task-heavy
     * workloads at a tenth, so its wall time and memory do not compare (its rates do).
     */
    static boolean sameSize(Map<String, Double> peer, Map<String, Double> base) {
        return base == null || peer.get("n") == null || peer.get("n").equals(base.get("n"));
    }

    private static List<Metric> metrics(String workload) {
        if (workload.startsWith("pingpong")) {
            return List.of(new Metric("ns_per_switch", "ns per switch", true));
        }
        if (workload.startsWith("echo") || workload.startsWith("loops")) {
            return List.of(new Metric("server_cpu_us", "server CPU per message, us", true),
                    new Metric("rate", "messages/s", false));
        }
        return switch (workload) {
            case "sleepers" -> List.of(new Metric("seconds", "wall time, s", true),
                    new Metric("peak_rss_mb", "peak RSS, MB", true));
            case "timers" -> List.of(new Metric("seconds", "wall time, s", true));
            case "spawn" -> List.of(new Metric("rate", "tasks/s", false));
            default -> List.of(new Metric("rate", "operations/s", false));
        };
    }
}
