package org.jasyncio.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jasyncio.bench.echo.EchoWorkload;

/**
 * The workload runner behind {@code ./jasyncio bench}: runs each workload on each peer in fresh
 * JVMs ({@code --runs} of them, 3 by default), prints every {@code RESULT} line, then the median
 * per peer and its ratio to the virtual-thread baseline measured in the same run.
 *
 * <p>Usage: {@code ./jasyncio bench [workload ...] [--n N] [--runs R]}; workloads default to
 * spawn, pingpong, sleepers, timers, timers0 (every delay zero: the timer machinery alone) and
 * tothread (100,000 {@code toThread} round trips against {@code supplyAsync} on virtual threads),
 * queue1 and queue1024 (1,000,000 items from a producer to a consumer through a Queue of that
 * maxsize, against an ArrayBlockingQueue between two virtual threads),
 * echo100 and echo1000 (the TCP echo servers under 100 and 1,000 connections for 5 s each; see
 * {@link EchoWorkload}).
 */
public final class Workloads {

    private static final List<String> DEFAULT = List.of("spawn", "pingpong", "sleepers", "timers", "timers0",
            "tothread", "queue1", "queue1024", "echo100", "echo1000");
    /** Workloads whose default size is not {@code --n}: their own, as their issues set it. */
    private static final Map<String, Integer> OWN_SIZE = Map.of("tothread", 100_000);
    /** The continuation strand's export, and java.lang open for per-task ThreadLocals. */
    private static final List<String> EXPORTS = List.of("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED");

    private Workloads() {
    }

    /** One kind of JVM to measure in: its peer argument and extra JVM flags. */
    private record Peer(String arg, List<String> jvmFlags, int divisor) {
    }

    /**
     * Runs the benchmark.
     *
     * @param args workloads and options
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        List<String> workloads = new ArrayList<>();
        Integer n = null;
        int runs = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> workloads.add(args[i]);
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(DEFAULT);
        }
        for (String w : workloads) {
            if (!DEFAULT.contains(w) && !w.matches("echo[1-9][0-9]*")) {
                System.err.println((w.equals("--help") || w.equals("-h") ? "" : "unknown workload: " + w + "\n")
                        + "usage: ./jasyncio bench [WORKLOAD...] [--runs R] [--n N]\n"
                        + "workloads: " + String.join(", ", DEFAULT) + " (echoC for C connections); none: all of them");
                System.exit(2);
            }
        }
        System.out.println("# jasyncio workload runner: " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, n=" + (n == null ? "default" : n) + ", " + runs + " fresh JVMs per peer; medians below each workload");
        for (String w : workloads) {
            Map<String, List<Measured>> byPeer = new LinkedHashMap<>();
            if (w.startsWith("echo")) {
                // One process measures every echo server in turn against the same load generator.
                String connections = w.substring("echo".length());
                for (int r = 0; r < runs; r++) {
                    record(byPeer, runProcess(List.of("-Djasyncio.strand=continuation"), EchoWorkload.class.getName(),
                            List.of("all", connections, "5"), w, "echo"));
                }
            } else {
                int size = n != null ? n : OWN_SIZE.getOrDefault(w, 1_000_000);
                for (Peer p : peers(w)) {
                    for (int r = 0; r < runs; r++) {
                        record(byPeer, runProcess(p.jvmFlags(), WorkloadProcess.class.getName(),
                                List.of(p.arg(), w, Integer.toString(Math.max(1, size / p.divisor()))), w,
                                p.arg() + " " + p.jvmFlags()));
                    }
                }
            }
            printMedians(w, byPeer);
        }
    }

    private static List<Peer> peers(String workload) {
        List<Peer> peers = new ArrayList<>();
        peers.add(new Peer("jasyncio", List.of("-Djasyncio.strand=continuation"), 1));
        // The virtual-thread strand is the fallback. A suspended task holds a whole virtual thread
        // (about 1 KB), and sleepers suspends every task at once: a million of them do not fit in
        // -Xmx1g, so that workload runs at a tenth of the size; the others run at full size.
        boolean switchBound = workload.equals("pingpong") || workload.startsWith("queue");
        peers.add(new Peer("jasyncio", List.of("-Djasyncio.strand=virtual"), workload.equals("sleepers") ? 10 : 1));
        peers.add(new Peer("vthreads", List.of(), 1));
        if (switchBound) {
            peers.add(new Peer("vthreads", List.of("-Djdk.virtualThreadScheduler.parallelism=1"), 1));
        }
        return peers;
    }

    /** A RESULT line with its parsed fields. */
    private record Measured(String line, String peer, double seconds, double rate) {
    }

    private static void record(Map<String, List<Measured>> byPeer, List<Measured> measured) {
        for (Measured m : measured) {
            System.out.println(m.line());
            byPeer.computeIfAbsent(m.peer(), k -> new ArrayList<>()).add(m);
        }
    }

    /** Runs {@code mainClass} in a fresh JVM and returns the RESULT lines it printed. */
    private static List<Measured> runProcess(List<String> jvmFlags, String mainClass, List<String> args, String workload,
            String who) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java"); // the same JDK as this driver
        cmd.addAll(EXPORTS);
        cmd.add("-Xmx1g");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Measured> results = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    results.add(new Measured(line, field(line, "peer"), Double.parseDouble(field(line, "seconds")),
                            Double.parseDouble(field(line, "rate"))));
                } else {
                    other.append(line).append('\n');
                }
            }
        }
        int exit = proc.waitFor();
        if (exit != 0 || results.isEmpty()) {
            // Reported, not fatal: one failing peer must not hide the others' figures.
            String why = other.toString().lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
            System.out.println("FAILED workload=" + workload + " peer=" + who + " exit=" + exit + ": " + why);
        }
        return results;
    }

    private static String field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + " in " + line);
    }

    private static void printMedians(String workload, Map<String, List<Measured>> byPeer) {
        double base = medianRate(byPeer, "java-vthreads");
        for (Map.Entry<String, List<Measured>> e : byPeer.entrySet()) {
            Measured m = median(e.getValue());
            System.out.println(String.format(Locale.ROOT, "MEDIAN workload=%s peer=%s seconds=%.3f rate=%.0f vs_vthreads=%.2fx",
                    workload, e.getKey(), m.seconds(), m.rate(), m.rate() / base));
        }
        if (workload.startsWith("echo")) {
            // Issue 5's targets: the protocol server at least Netty's rate, streams within 20% of it.
            double protocol = medianRate(byPeer, "jasyncio-protocol");
            System.out.println(String.format(Locale.ROOT,
                    "TARGETS workload=%s protocol_vs_netty=%.2fx (target >= 1.00x) streams_vs_protocol=%.2fx (target >= 0.80x)",
                    workload, protocol / medianRate(byPeer, "netty-nio"), medianRate(byPeer, "jasyncio-streams") / protocol));
        }
    }

    private static double medianRate(Map<String, List<Measured>> byPeer, String peer) {
        List<Measured> ms = byPeer.get(peer);
        return ms == null ? Double.NaN : median(ms).rate();
    }

    private static Measured median(List<Measured> ms) {
        List<Measured> sorted = new ArrayList<>(ms);
        sorted.sort(Comparator.comparingDouble(Measured::rate));
        return sorted.get(sorted.size() / 2);
    }
}
