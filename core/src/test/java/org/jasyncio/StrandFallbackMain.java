package org.jasyncio;

import java.util.List;
import org.jasyncio.internal.strand.Strands;

/**
 * The child JVM's program for {@link StrandFallbackTest}: two small {@link Asyncio#run}
 * programs (tasks, sleeps, a gather, a cancellation), then the name of the strand in use.
 */
public final class StrandFallbackMain {

    private StrandFallbackMain() {
    }

    /**
     * Runs the programs and prints their results on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        for (int round = 1; round <= 2; round++) {
            List<Object> results = Asyncio.run(() -> {
                Task<Integer> slow = Asyncio.createTask(() -> {
                    Asyncio.sleep(0.02);
                    return 1;
                });
                Task<Integer> fast = Asyncio.createTask(() -> {
                    Asyncio.sleep(0.01);
                    return 2;
                });
                Task<String> cancelled = Asyncio.createTask(() -> {
                    Asyncio.sleep(10);
                    return "never";
                });
                Asyncio.sleep(0);
                cancelled.cancel();
                return Asyncio.gatherReturnExceptions(slow, fast, cancelled).await();
            });
            System.out.println("round " + round + ": " + results.get(0) + " " + results.get(1) + " "
                    + (results.get(2) instanceof CancelledError ? "cancelled" : results.get(2)));
        }
        System.out.println("strand: " + Strands.factory().name());
    }
}
