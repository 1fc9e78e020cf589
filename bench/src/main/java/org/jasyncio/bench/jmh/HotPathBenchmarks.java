package org.jasyncio.bench.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot paths of the runtime, per operation, with a virtual-thread baseline in the same
 * class: a task's yield+resume ({@code sleep(0)}), awaiting a future completed by another
 * task, and {@code callSoon}. Each invocation runs a batch of {@value #BATCH} operations inside
 * one loop, so loop set-up is amortised away.
 *
 * <p>Run: {@code ./jasyncio jmh HotPathBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class HotPathBenchmarks {

    static final int BATCH = 10_000;

    /** Which strand the jasyncio benchmarks run on. */
    @Param({"continuation"})
    public String strand;

    private EventLoop loop;

    /** JMH set-up: the strand is chosen once per fork, before the first loop exists. */
    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        System.setProperty("jasyncio.strand", strand);
        loop = new EventLoop();
    }

    /** JMH tear-down. */
    @org.openjdk.jmh.annotations.TearDown
    public void tearDown() {
        loop.close();
    }

    /**
     * One {@code sleep(0)}: the task suspends, the loop runs one iteration, the task resumes.
     *
     * @return a value JMH consumes
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int yieldResume() {
        return loop.runUntilComplete(() -> {
            for (int i = 0; i < BATCH; i++) {
                Asyncio.sleep(0);
            }
            return BATCH;
        });
    }

    /**
     * One hand-off: a task awaits a fresh future that a second task completes.
     *
     * @return the last value handed over
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int futureAwait() {
        return loop.runUntilComplete(() -> {
            @SuppressWarnings("unchecked")
            Future<Integer>[] slot = new Future[1];
            slot[0] = new Future<>();
            var producer = Asyncio.createTask(() -> {
                for (int i = 0; i < BATCH; i++) {
                    Future<Integer> f = slot[0];
                    slot[0] = new Future<>();
                    f.setResult(i);
                    Asyncio.sleep(0);
                }
            });
            int last = 0;
            for (int i = 0; i < BATCH; i++) {
                last = slot[0].await();
            }
            producer.await();
            return last;
        });
    }

    /**
     * One {@code callSoon} and the loop iteration that runs it.
     *
     * @return the count of callbacks run
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int callSoon() {
        return callSoonChain(loop, BATCH);
    }

    /**
     * {@code n} callbacks on {@code loop}, each scheduling the next with {@code callSoon};
     * shared with {@link DebugHooksBenchmarks#callSoon()}.
     */
    static int callSoonChain(EventLoop loop, int n) {
        int[] count = new int[1];
        Runnable[] cb = new Runnable[1];
        cb[0] = () -> {
            if (++count[0] < n) {
                loop.callSoon(cb[0]);
            } else {
                loop.stop();
            }
        };
        loop.callSoon(cb[0]);
        loop.runForever();
        return count[0];
    }

    /**
     * Baseline: one hand-off between two virtual threads through a fresh CompletableFuture.
     *
     * @return the last value handed over
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int virtualThreadHandOff() throws InterruptedException {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] toConsumer = new CompletableFuture[] {new CompletableFuture<Integer>()};
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] toProducer = new CompletableFuture[] {new CompletableFuture<Integer>()};
        int[] last = new int[1];
        Thread consumer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < BATCH; i++) {
                last[0] = toConsumer[0].join();
                toConsumer[0] = new CompletableFuture<>();
                toProducer[0].complete(i);
            }
        });
        for (int i = 0; i < BATCH; i++) {
            CompletableFuture<Integer> ack = toProducer[0];
            toConsumer[0].complete(i);
            ack.join();
            toProducer[0] = new CompletableFuture<>();
        }
        consumer.join();
        return last[0];
    }
}
