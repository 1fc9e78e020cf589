package org.jasyncio.examples.threads;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.jasyncio.Asyncio;
import org.jasyncio.Awaitable;
import org.jasyncio.Future;
import org.jasyncio.Task;

/**
 * The seed's last lesson, made runnable: async code is still one thread "unless you
 * explicitly offload blocking work to a thread/process pool via asyncio.to_thread()". Ten
 * blocking jobs (the seed's {@code job(n)}: a sum of squares, then a real
 * {@code Thread.sleep(n s)}) run through {@link Asyncio#toThread}, while a ticker task keeps
 * printing: the loop stays responsive although every job blocks its thread.
 *
 * <pre>{@code
 * async def main():                                  Asyncio.run(() -> {
 *     ticker = asyncio.create_task(tick())               Task<Void> ticker = Asyncio.createTask(...);
 *     jobs = [asyncio.to_thread(job, n)                  for (n...) jobs.add(Asyncio.toThread(() -> job(n)));
 *             for n in range(10)]
 *     print(await asyncio.gather(*jobs))                 out.println(Asyncio.gather(jobs).await());
 *     ticker.cancel()                                    ticker.cancel();
 * }</pre>
 *
 * <p>Times: the system property {@code jasyncio.examples.timeScale} (or {@link #run(PrintStream,
 * double)}'s argument) multiplies every delay; printed times are on the seed's scale.
 */
public final class BlockingJobs {

    /** The system property holding the time scale (shared with the seed walkthrough). */
    public static final String TIME_SCALE_PROPERTY = "jasyncio.examples.timeScale";
    private static final int JOBS = 10;
    private static final double TICK_SECONDS = 0.5;

    private BlockingJobs() {
    }

    /** The seed's job: a sum of squares, then a blocking sleep of {@code n} seconds (scaled). */
    static long job(int n, double scale) throws InterruptedException {
        long sum = 0;
        for (long i = 0; i < n * 1000L; i++) {
            sum += i * i;
        }
        Thread.sleep((long) (n * 1000 * scale));
        return sum;
    }

    /**
     * Runs the program at the time scale of {@value #TIME_SCALE_PROPERTY} (default 1).
     *
     * @param out where to print
     */
    public static void run(PrintStream out) {
        run(out, Double.parseDouble(System.getProperty(TIME_SCALE_PROPERTY, "1")));
    }

    /**
     * Runs the program.
     *
     * @param out   where to print
     * @param scale the factor applied to every delay (1 = the seed's seconds)
     */
    public static void run(PrintStream out, double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("the time scale must be positive, got " + scale);
        }
        long start = System.nanoTime();
        Asyncio.run(() -> {
            AtomicInteger done = new AtomicInteger();
            out.println("10 blocking jobs (job(n) sleeps n s in Thread.sleep), each on its own thread via toThread");
            Task<Void> ticker = Asyncio.createTask(() -> {
                Asyncio.sleep(TICK_SECONDS / 2 * scale); // ticks fall between the jobs' ends
                for (int k = 1; ; k++) {
                    out.println("tick " + k + ": the loop is free; " + done.get() + " of " + JOBS + " jobs done");
                    Asyncio.sleep(TICK_SECONDS * scale);
                }
            });
            List<Future<Long>> jobs = new ArrayList<>();
            for (int n = 0; n < JOBS; n++) {
                int job = n;
                Future<Long> f = Asyncio.toThread(() -> job(job, scale));
                f.addDoneCallback(x -> {
                    done.incrementAndGet();
                    out.println("job " + job + " done");
                });
                jobs.add(f);
            }
            List<Object> results = Asyncio.gather(new ArrayList<Awaitable<?>>(jobs)).await();
            ticker.cancel();
            out.println(results);
        });
        double seconds = (System.nanoTime() - start) / 1e9 / scale;
        out.println(String.format(Locale.ROOT, "wall time: %.1f s (the longest job, not the sum of 45 s)", seconds));
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
