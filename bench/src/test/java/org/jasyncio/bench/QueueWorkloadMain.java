package org.jasyncio.bench;

/**
 * Runs the {@code queue} workload once by hand, outside the bench runner:
 * {@code java -cp ... org.jasyncio.bench.QueueWorkloadMain [n] [runs]}. Prints items/s for
 * jasyncio and virtual threads, at maxsize 1 and 1024; each figure is the median of the runs.
 */
public final class QueueWorkloadMain {

    private QueueWorkloadMain() {
    }

    /**
     * @param args optional: items per run (default 1,000,000) and runs (default 5)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int maxsize : new int[] {1, 1024}) {
            double[] j = new double[runs];
            double[] v = new double[runs];
            for (int r = 0; r < runs; r++) {
                j[r] = QueueWorkload.jasyncio(n, maxsize);
                v[r] = QueueWorkload.virtualThreads(n, maxsize);
            }
            java.util.Arrays.sort(j);
            java.util.Arrays.sort(v);
            System.out.printf("queue maxsize=%d: jasyncio %.0f items/s (%.3f s), virtual threads %.0f items/s (%.3f s)%n",
                    maxsize, n / j[runs / 2], j[runs / 2], n / v[runs / 2], v[runs / 2]);
        }
    }
}
