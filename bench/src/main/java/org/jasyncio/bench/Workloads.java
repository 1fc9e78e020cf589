package org.jasyncio.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jasyncio.bench.echo.EchoWorkload;

/**
 * The workload runner behind {@code ./jasyncio bench}: runs each workload on each peer in fresh
 * JVMs ({@code --runs} of them, 3 by default, the peers taking turns), prints every
 * {@code RESULT} line, then the median per peer and its ratio to the virtual-thread baseline
 * measured in the same run, and draws the medians as a PNG chart next to the build
 * ({@code bench/target/bench-<mode>-<time>.png}, named by a {@code CHART} line; {@code --no-chart}
 * skips it).
 *
 * <p>Two modes. <b>Warm</b> (the default): the workloads that need the JIT first run three
 * rounds at a quarter of the size, and echo servers get a 2-second warm-up under load before
 * the measured window. <b>Cold</b> ({@code --cold}): each workload runs once per fresh JVM with
 * no warm-up, timed inside the JVM from the workload's start, as a user running a program once
 * sees it; echo servers get a JVM each and are measured from the first message. Both print the
 * same lines; each MEDIAN line ends with {@code mode=warm} or {@code mode=cold}.
 *
 * <p>Usage: {@code ./jasyncio bench [--cold] [workload ...] [--n N] [--runs R] [--no-chart]};
 * workloads default to, warm: spawn, pingpong (through futures), pingpongq (through two
 * {@code Queue(maxsize=1)}, PERFORMANCE.md's pingpong), sleepers, timers, timers0 (every delay
 * zero: the timer machinery alone), tothread (100,000 {@code toThread} round trips against
 * {@code supplyAsync} on virtual threads), queue1 and queue1024 (1,000,000 items from a
 * producer to a consumer through a Queue of that maxsize, against an ArrayBlockingQueue
 * between two virtual threads), echo100 and echo1000 (the TCP echo servers under 100 and
 * 1,000 connections for 5 s each; see {@link EchoWorkload}), loops100 and loops1000 (jasyncio's
 * echo servers on one loop and on two loops sharing the port); cold: PERFORMANCE.md's table,
 * spawn, pingpongq, sleepers, timers, echo100, echo1000.
 */
public final class Workloads {

    private static final List<String> DEFAULT = List.of("spawn", "pingpong", "pingpongq", "sleepers", "timers",
            "timers0", "tothread", "queue1", "queue1024", "echo100", "echo1000", "loops100", "loops1000");
    private static final List<String> COLD_DEFAULT = List.of("spawn", "pingpongq", "sleepers", "timers", "echo100",
            "echo1000");
    /** Workloads whose default size is not {@code --n}: their own, as their issues set it. */
    private static final Map<String, Integer> OWN_SIZE = Map.of("tothread", 100_000);
    /** The continuation strand's export, and java.lang open for per-task ThreadLocals. */
    private static final List<String> EXPORTS = List.of("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED");
    private static final String BASELINE = "java-vthreads";
    /** The measured window of each echo server, in seconds, in both modes. */
    private static final String ECHO_SECONDS = "5";

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
        boolean cold = false;
        boolean chart = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--cold" -> cold = true;
                case "--warm" -> cold = false;
                case "--no-chart" -> chart = false;
                default -> workloads.add(args[i]);
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(cold ? COLD_DEFAULT : DEFAULT);
        }
        for (String w : workloads) {
            if (!DEFAULT.contains(w) && !w.matches("(echo|loops)[1-9][0-9]*")) {
                System.err.println((w.equals("--help") || w.equals("-h") ? "" : "unknown workload: " + w + "\n")
                        + "usage: ./jasyncio bench [--cold] [WORKLOAD...] [--runs R] [--n N] [--no-chart]\n"
                        + "workloads: " + String.join(", ", DEFAULT) + " (echoC and loopsC for C connections);"
                        + " none: all of them (--cold: " + String.join(", ", COLD_DEFAULT) + ")");
                System.exit(2);
            }
        }
        String mode = cold ? "cold" : "warm";
        System.out.println("# jasyncio workload runner: " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, n=" + (n == null ? "default" : n) + ", " + runs + " fresh JVMs per peer, mode=" + mode
                + (cold ? " (each workload once per JVM, no warm-up, timed inside the JVM)"
                        : " (JIT warm-up rounds, 2 s echo warm-up)")
                + "; medians below each workload");
        List<BenchChart.Panel> panels = new ArrayList<>();
        for (String w : workloads) {
            Map<String, List<Measured>> byPeer = new LinkedHashMap<>();
            if (w.startsWith("echo") || w.startsWith("loops")) {
                String connections = w.substring(w.startsWith("echo") ? "echo".length() : "loops".length());
                String group = w.startsWith("echo") ? "all" : "loops";
                List<String> peers = w.startsWith("echo") ? EchoWorkload.PEERS : EchoWorkload.LOOP_PEERS;
                for (int r = 0; r < runs; r++) {
                    if (cold) {
                        // A fresh JVM per server, measured from its first message.
                        for (String p : peers) {
                            record(byPeer, runProcess(List.of("-Djasyncio.strand=continuation"),
                                    EchoWorkload.class.getName(), List.of(p, connections, ECHO_SECONDS, "0"), w, p));
                        }
                    } else {
                        // One process measures every echo server in turn against the same load generator.
                        record(byPeer, runProcess(List.of("-Djasyncio.strand=continuation"), EchoWorkload.class.getName(),
                                List.of(group, connections, ECHO_SECONDS), w, "echo"));
                    }
                }
            } else {
                int size = n != null ? n : OWN_SIZE.getOrDefault(w, 1_000_000);
                // The peers take turns, run after run, so a burst of noise on the machine hits them alike.
                for (int r = 0; r < runs; r++) {
                    for (Peer p : peers(w)) {
                        record(byPeer, runProcess(p.jvmFlags(), WorkloadProcess.class.getName(),
                                List.of(p.arg(), w, Integer.toString(Math.max(1, size / p.divisor())), mode), w,
                                p.arg() + " " + p.jvmFlags()));
                    }
                }
            }
            Map<String, Map<String, Double>> medians = printMedians(w, byPeer, mode);
            panels.addAll(Panels.of(w, medians, BASELINE));
        }
        if (chart && !panels.isEmpty()) {
            writeChart(mode, runs, panels);
        }
    }

    /** Draws the run's chart next to the build; a chart that cannot be drawn is reported, never fatal. */
    private static void writeChart(String mode, int runs, List<BenchChart.Panel> panels) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path file = chartFolder().resolve("bench-" + mode + "-" + stamp + ".png");
        String heading = String.format(Locale.ROOT, "jasyncio bench, %s: %s, medians of %d fresh JVMs, %d cores, JDK %s",
                mode, mode.equals("cold") ? "no warm-up" : "after warm-up", runs,
                Runtime.getRuntime().availableProcessors(), Runtime.version().feature());
        try {
            BenchChart.write(file, heading, panels);
            System.out.println("CHART " + file);
        } catch (IOException | RuntimeException | Error e) {
            System.out.println("CHART failed: " + e);
        }
    }

    /** bench/target when run from the build (the classes' folder is bench/target/classes), else the working folder. */
    private static Path chartFolder() {
        try {
            Path classes = Path.of(Workloads.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(classes) && classes.getParent() != null) {
                return classes.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    private static List<Peer> peers(String workload) {
        List<Peer> peers = new ArrayList<>();
        peers.add(new Peer("jasyncio", List.of("-Djasyncio.strand=continuation"), 1));
        // The virtual-thread strand is the fallback. A suspended task holds a whole virtual thread
        // (about 1 KB), and sleepers suspends every task at once: a million of them fit in -Xmx1g,
        // but with the collector near the limit they take some 40 s, so that workload runs at a
        // tenth of the size; the others run at full size.
        boolean switchBound = workload.startsWith("pingpong") || workload.startsWith("queue");
        peers.add(new Peer("jasyncio", List.of("-Djasyncio.strand=virtual"), workload.equals("sleepers") ? 10 : 1));
        peers.add(new Peer("vthreads", List.of(), 1));
        if (switchBound) {
            peers.add(new Peer("vthreads", List.of("-Djdk.virtualThreadScheduler.parallelism=1"), 1));
        }
        return peers;
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
                    results.add(Measured.parse(line));
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

    /**
     * Prints each peer's MEDIAN line (the format of the warm runner, with the median of every
     * other field and the mode appended) and the workload's target lines; returns the medians.
     */
    private static Map<String, Map<String, Double>> printMedians(String workload, Map<String, List<Measured>> byPeer,
            String mode) {
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        for (Map.Entry<String, List<Measured>> e : byPeer.entrySet()) {
            medians.put(e.getKey(), Measured.medians(e.getValue()));
        }
        double base = medianRate(byPeer, BASELINE);
        Map<String, Double> baseFields = medians.get(BASELINE);
        for (Map.Entry<String, List<Measured>> e : byPeer.entrySet()) {
            Measured m = Measured.medianByRate(e.getValue());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "MEDIAN workload=%s peer=%s seconds=%.3f rate=%.0f", workload, e.getKey(), m.seconds(), m.rate()));
            if (!Double.isNaN(base)) {
                // Absent only where no virtual-thread peer runs (loopsC compares jasyncio with itself).
                line.append(String.format(Locale.ROOT, " vs_vthreads=%.2fx", m.rate() / base));
            }
            Map<String, Double> fields = medians.get(e.getKey());
            for (Map.Entry<String, Double> f : fields.entrySet()) {
                if (!List.of("n", "seconds", "rate").contains(f.getKey())) {
                    line.append(' ').append(f.getKey()).append('=').append(number(f.getValue()));
                }
            }
            // Lower is better for these two: the ratio is the baseline's over the peer's.
            for (String lower : List.of("peak_rss_mb", "server_cpu_us")) {
                if (baseFields != null && fields.containsKey(lower) && baseFields.containsKey(lower)
                        && (workload.equals("sleepers") || lower.equals("server_cpu_us"))
                        && Panels.sameSize(fields, baseFields)) {
                    line.append(String.format(Locale.ROOT, " %s_vs_vthreads=%.2fx",
                            lower.equals("peak_rss_mb") ? "rss" : "cpu", baseFields.get(lower) / fields.get(lower)));
                }
            }
            line.append(" mode=").append(mode);
            System.out.println(line);
        }
        if (workload.startsWith("echo")) {
            // Issue 5's targets: the protocol server at least Netty's rate, streams within 20% of it.
            double protocol = medianRate(byPeer, "jasyncio-protocol");
            System.out.println(String.format(Locale.ROOT,
                    "TARGETS workload=%s protocol_vs_netty=%.2fx (target >= 1.00x) streams_vs_protocol=%.2fx (target >= 0.80x)",
                    workload, protocol / medianRate(byPeer, "netty-nio"), medianRate(byPeer, "jasyncio-streams") / protocol));
        }
        if (workload.startsWith("loops")) {
            // Issue 15 item 3: two loops against one, in throughput and in server CPU per message.
            for (String level : List.of("protocol", "streams")) {
                Map<String, Double> one = medians.get("jasyncio-" + level);
                Map<String, Double> two = medians.get("jasyncio-" + level + "-2loops");
                if (one != null && two != null) {
                    System.out.println(String.format(Locale.ROOT,
                            "LOOPS workload=%s server=%s rate_2loops_vs_1=%.2fx server_cpu_us_1loop=%.2f"
                                    + " server_cpu_us_2loops=%.2f mode=%s",
                            workload, level, two.get("rate") / one.get("rate"), one.get("server_cpu_us"),
                            two.get("server_cpu_us"), mode));
                }
            }
        }
        return medians;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double medianRate(Map<String, List<Measured>> byPeer, String peer) {
        List<Measured> ms = byPeer.get(peer);
        return ms == null ? Double.NaN : Measured.medianByRate(ms).rate();
    }
}
