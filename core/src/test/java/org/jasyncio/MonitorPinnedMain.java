package org.jasyncio;

import org.jasyncio.internal.strand.Strands;

/**
 * The child JVM's program for {@link MonitorPinnedTest}: a task suspends inside
 * {@code synchronized}, then a second task takes the same monitor and suspends outside it.
 * Prints how the first ended, what the second returned, and the strand in use.
 */
public final class MonitorPinnedMain {

    private MonitorPinnedMain() {
    }

    /**
     * Runs the program and prints its outcome on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Object monitor = new Object();
        String outcome = Asyncio.run(() -> {
            StringBuilder sb = new StringBuilder();
            Task<Void> holder = Asyncio.createTask(() -> {
                synchronized (monitor) {
                    Asyncio.sleep(0);
                }
            }, "holder");
            try {
                holder.await();
                sb.append("holder finished\n");
            } catch (IllegalStateException e) {
                sb.append("holder failed: ").append(e.getMessage()).append('\n');
            }
            Task<String> second = Asyncio.createTask(() -> {
                synchronized (monitor) {
                    sb.append("second took the monitor\n");
                }
                Asyncio.sleep(0.001);
                return "second ran";
            }, "second");
            sb.append(second.await()).append('\n');
            return sb.toString();
        });
        System.out.print(outcome);
        System.out.println("strand: " + Strands.factory().name());
    }
}
