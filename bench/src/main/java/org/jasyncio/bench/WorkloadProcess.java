package org.jasyncio.bench;

import java.util.Locale;

/**
 * Runs one workload for one peer in this (fresh) JVM and prints its {@code RESULT} line. The
 * driver, {@link Workloads}, starts one of these per measurement, so that each run starts from a
 * clean heap and its peak RSS is its own.
 *
 * <p>Usage: {@code WorkloadProcess <peer> <workload> <n> [warm|cold]}, where peer is
 * {@code jasyncio} (the strand comes from {@code -Djasyncio.strand}) or {@code vthreads}.
 * {@code warm} (the default) first runs the workloads that need the JIT three times at a
 * quarter of the size; {@code cold} runs the workload once, as a program run once sees it.
 */
public final class WorkloadProcess {

    private static final int WARMUP_ROUNDS = 3;

    private WorkloadProcess() {
    }

    /**
     * Runs the measurement.
     *
     * @param args peer, workload, n, and optionally warm or cold
     * @throws Exception if the workload fails or computes a wrong result
     */
    public static void main(String[] args) throws Exception {
        String peer = args[0];
        String workload = args[1];
        int n = Integer.parseInt(args[2]);
        boolean cold = args.length > 3 && args[3].equals("cold");
        String peerName = peerName(peer);
        if (!cold && warmsUp(workload)) {
            // The JIT needs a few rounds before the measured one; every peer gets the same.
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                run(peer, workload, Math.max(1, n / 4));
            }
        }
        double seconds = run(peer, workload, n);
        double ops = n;
        String extra = "peak_rss_mb=" + Measurement.peakRssMb();
        if (workload.startsWith("pingpong")) {
            ops = 2.0 * n; // two switches per round trip
            extra += String.format(Locale.ROOT, " ns_per_switch=%.0f", seconds * 1e9 / (2.0 * n));
        }
        System.out.println(new Measurement(peerName, workload, n, seconds, ops, extra).line());
    }

    private static boolean warmsUp(String workload) {
        return switch (workload) {
            case "spawn", "pingpong", "pingpongq", "timers0", "tothread", "queue1", "queue1024" -> true;
            default -> false;
        };
    }

    static String peerName(String peer) {
        return switch (peer) {
            case "jasyncio" -> "jasyncio-" + org.jasyncio.Asyncio.strandName();
            case "vthreads" -> Integer.getInteger("jdk.virtualThreadScheduler.parallelism", 0) == 1
                    ? "java-vthreads-1carrier" : "java-vthreads";
            default -> throw new IllegalArgumentException("unknown peer " + peer);
        };
    }

    static double run(String peer, String workload, int n) throws Exception {
        boolean jasyncio = peer.equals("jasyncio");
        return switch (workload) {
            case "spawn" -> jasyncio ? JasyncioWorkloads.spawn(n) : VirtualThreadWorkloads.spawn(n);
            case "pingpong" -> jasyncio ? JasyncioWorkloads.pingpong(n) : VirtualThreadWorkloads.pingpong(n);
            case "pingpongq" -> jasyncio ? JasyncioWorkloads.pingpongQueues(n) : VirtualThreadWorkloads.pingpongQueues(n);
            case "sleepers" -> jasyncio ? JasyncioWorkloads.sleepers(n) : VirtualThreadWorkloads.sleepers(n);
            case "timers" -> jasyncio ? JasyncioWorkloads.timers(n, false) : VirtualThreadWorkloads.timers(n, false);
            case "timers0" -> jasyncio ? JasyncioWorkloads.timers(n, true) : VirtualThreadWorkloads.timers(n, true);
            case "tothread" -> jasyncio ? ToThreadWorkload.jasyncio(n) : ToThreadWorkload.completableFuture(n);
            case "queue1" -> jasyncio ? QueueWorkload.jasyncio(n, 1) : QueueWorkload.virtualThreads(n, 1);
            case "queue1024" -> jasyncio ? QueueWorkload.jasyncio(n, 1024) : QueueWorkload.virtualThreads(n, 1024);
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
    }
}
