package org.jasyncio.bench.jmh;

import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the debug-mode and JFR hooks on the loop's hot paths: a ping-pong between two
 * tasks through futures, spawning short tasks, and {@code callSoon}. {@code mode=off} is the
 * default loop (what every program pays); {@code debug} turns debug mode on (watchdog, creation
 * sites, the lock check at each suspension); {@code jfr} runs a JFR recording with jasyncio's
 * events enabled, debug mode off.
 *
 * <p>Run: {@code ./jasyncio jmh DebugHooksBenchmarks -p mode=off}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class DebugHooksBenchmarks {

    static final int BATCH = 10_000;

    /** Which strand the benchmarks run on. */
    @Param({"continuation"})
    public String strand;

    /** off, debug or jfr; see the class comment. */
    @Param({"off", "debug", "jfr"})
    public String mode;

    private EventLoop loop;
    private Recording recording;

    /** JMH set-up: the strand is chosen once per fork, before the first loop exists. */
    @Setup
    public void setUp() {
        System.setProperty("jasyncio.strand", strand);
        loop = new EventLoop();
        loop.setDebug(mode.equals("debug"));
        if (mode.equals("jfr")) {
            recording = new Recording();
            for (String e : new String[] {"TaskCreated", "TaskStep", "TaskDone", "SlowCallback", "LoopStall"}) {
                recording.enable("jasyncio." + e);
            }
            recording.setToDisk(true);
            recording.start();
        }
    }

    /** JMH tear-down. */
    @TearDown
    public void tearDown() {
        if (recording != null) {
            recording.close();
        }
        loop.close();
    }

    /**
     * One round trip: a task completes a fresh future the other awaits, and back.
     *
     * @return the last value handed over
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pingPong() {
        return loop.runUntilComplete(() -> {
            @SuppressWarnings("unchecked")
            Future<Integer>[] ping = new Future[] {new Future<Integer>()};
            @SuppressWarnings("unchecked")
            Future<Integer>[] pong = new Future[] {new Future<Integer>()};
            Task<Void> ponger = Asyncio.createTask(() -> {
                for (int i = 0; i < BATCH; i++) {
                    int v = ping[0].await();
                    ping[0] = new Future<>();
                    Future<Integer> p = pong[0];
                    pong[0] = new Future<>();
                    p.setResult(v);
                }
            });
            int last = 0;
            for (int i = 0; i < BATCH; i++) {
                Future<Integer> p = pong[0];
                ping[0].setResult(i);
                last = p.await();
            }
            ponger.await();
            return last;
        });
    }

    /**
     * One short task: created, stepped once, done, awaited in batches of 100.
     *
     * @return the sum of the results
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long spawn() {
        return loop.runUntilComplete(() -> {
            long sum = 0;
            @SuppressWarnings("unchecked")
            Task<Integer>[] batch = new Task[100];
            for (int i = 0; i < BATCH; i += batch.length) {
                for (int k = 0; k < batch.length; k++) {
                    int v = k;
                    batch[k] = Asyncio.createTask(() -> v);
                }
                for (Task<Integer> t : batch) {
                    sum += t.await();
                }
            }
            return sum;
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
        return HotPathBenchmarks.callSoonChain(loop, BATCH);
    }
}
