package org.jasyncio.examples.seed;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;

/**
 * Seed section 3, "Coroutines with asyncio": the ten jobs as tasks, gathered. One thread; the
 * sleeps overlap, so the wall time is ~9 s. Results come in argument order.
 *
 * <pre>{@code
 * async def job(n):                          static long job(int n) {
 *     acc = sum(i * i for ...)                   long acc = sumOfSquares(n);
 *     await asyncio.sleep(n)                     Asyncio.sleep(n);
 *     return acc                                 return acc; }
 * async def main():
 *     tasks = [asyncio.create_task(job(i)) for i in range(10)]
 *     results = await asyncio.gather(*tasks)
 *     print(results)
 * }</pre>
 */
public final class GatherJobs {

    private GatherJobs() {
    }

    static long job(int n) {
        long acc = Job.sumOfSquares(n); // CPU-bound simulation
        Asyncio.sleep(Pace.seconds(n)); // I/O-bound simulation
        return acc;
    }

    /** Runs the program, printing to {@code out}. */
    public static void run(PrintStream out) {
        long start = System.nanoTime();
        Asyncio.run(() -> {
            List<Task<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> job(n)));
            }
            List<Long> results = Asyncio.gather(tasks).await();
            out.println(results);
        });
        out.println("wall time: " + Pace.elapsedSince(start) + " (the sleeps overlap on one thread)");
    }

    /**
     * Runs the program on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }
}
