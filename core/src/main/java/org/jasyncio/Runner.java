package org.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runs main coroutines on one event loop that it owns, and cleans up after them when closed.
 * asyncio's {@code asyncio.Runner} (3.11); {@link Asyncio#run(Coroutine)} is a one-shot
 * runner.
 *
 * <pre>{@code
 * try (Runner runner = Runner.builder().virtualTime(true).build()) {
 *     runner.run(() -> Asyncio.sleep(3600));      // returns at once; the loop's clock says 3600
 *     double t = runner.getLoop().time();
 * }
 * }</pre>
 *
 * <p>{@link #run} may be called several times: every call runs on the same loop, so state kept
 * in loop-bound objects (a {@link org.jasyncio.sync.Lock}, a queue, a {@link LoopLocal}) carries
 * over. The loop is made at the first {@code run} or {@link #getLoop()}. {@link #close()} cancels
 * the tasks still pending, closes the async generators left open, shuts the default executor
 * down and closes the loop, as {@code asyncio.run} does on exit.
 *
 * <h2>Threads</h2>
 * A runner belongs to the thread that uses it; none of its methods is safe from another thread
 * while it runs (use {@link EventLoop#callSoonThreadsafe} on {@link #getLoop()} to reach it). On
 * the virtual strand, {@link #run} and {@link #close()} called from a platform thread run the
 * loop on a virtual thread of their own while the caller waits, as {@link Asyncio#run} does.
 *
 * <h2>Testing options</h2>
 * {@link Builder#virtualTime(boolean)} gives the loop a clock that jumps to the next timer
 * whenever nothing else is ready, and {@link Builder#scheduleSeed(long)} makes it hand out
 * events that became ready together in an order chosen by a seeded strategy; see the builder
 * and docs/testing.md.
 */
public final class Runner implements AutoCloseable {

    /* Implementation overview: asyncio's runners.py. run() refuses to start under a running
     * loop or after close, makes the loop on first use, runs main as a task until it is done,
     * and returns its result or rethrows its exception unchanged. CtrlC claims SIGINT for the
     * run (asyncio's Runner._on_sigint) and turns the main task's cancellation into
     * KeyboardInterrupt. An interrupt of the thread from outside cancels the main task while it
     * runs and is kept for the caller (restored when runForever returns); on the continuation
     * strand the loop's InterruptWatch finds it even when it lands inside a task's step. Between
     * runs an interrupt is only kept for the caller. close() runs the clean-up in this order, each
     * step even if the one before threw (nested finally blocks): (1) cancelAllTasks, asyncio's
     * runners._cancel_all_tasks: cancel every pending task, run the loop until all of them are
     * done (a GatheringFuture with returnExceptions), then report each non-cancelled task's
     * exception to the exception handler, in allTasks() order; then, beyond asyncio, the same
     * for the tasks runCoroutineThreadsafe started after that snapshot, after telling
     * StageBridge to start no more, so that every CompletableFuture handed out completes; (2)
     * loop.shutdownAsyncgens(); (3) shut the default executor down, waiting up to
     * EXECUTOR_JOIN_TIMEOUT_SECONDS (asyncio's constants.THREAD_JOIN_TIMEOUT); (4) close the
     * loop. Steps (1) to (3) are skipped if the loop is already closed or wedged (a strand
     * blocked on a thread-owned lock, EventLoop.strandBlocked): they would only throw its
     * error again, hiding the first one. */

    /** The message of the main task's cancellation by an interrupt of the thread running it. */
    static final String INTERRUPTED = "interrupted";

    /** How long {@link #close()} waits for the default executor's jobs (asyncio's 300 s). */
    static final double EXECUTOR_JOIN_TIMEOUT_SECONDS = 300;

    /** Null: the loop's own default (the {@code jasyncio.debug} property, {@code JASYNCIO_DEBUG}). */
    private final Boolean debug;
    private final Duration autojumpThreshold;
    private final boolean virtualTime;
    private final Long scheduleSeed;
    private final ScheduleStrategy scheduleStrategy;
    private EventLoop loop;
    private boolean closed;

    /**
     * A runner with asyncio's defaults: real time, no schedule perturbation, and debug mode
     * only if {@code -Djasyncio.debug=true} or {@code JASYNCIO_DEBUG} asks for it.
     */
    public Runner() {
        this(new Builder());
    }

    private Runner(Builder b) {
        this.debug = b.debug;
        this.virtualTime = b.virtualTime;
        this.autojumpThreshold = b.autojumpThreshold;
        this.scheduleSeed = b.scheduleSeed;
        this.scheduleStrategy = b.scheduleStrategy;
    }

    /**
     * Returns a builder for a runner with options; {@code Runner.builder().build()} equals
     * {@code new Runner()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code main} as a task of this runner's loop until it is done, and returns its
     * result or throws its exception unchanged. asyncio's {@code Runner.run(coro)}. Tasks that
     * {@code main} leaves pending stay on the loop: the next {@code run} runs them along, and
     * {@link #close()} cancels them.
     *
     * <p><b>Ctrl-C</b> (SIGINT), as asyncio's {@code Runner} handles it: the first one cancels
     * the task, so its {@code finally} blocks and {@link TaskGroup} clean-ups run; if the task
     * then ends cancelled, {@code run} throws {@link KeyboardInterrupt} (which, left uncaught,
     * ends the process with status 130); if it catches the cancellation and returns, so does
     * {@code run}; a Ctrl-C that comes too late to cancel the task, as it finishes, makes
     * {@code run} throw {@code KeyboardInterrupt} all the same. A second Ctrl-C before the task has ended ends the process at once, as the
     * JVM does by default (shutdown hooks run, {@code finally} blocks do not). This holds while
     * nothing else handles SIGINT: not a loop's {@link EventLoop#addSignalHandler} (which takes
     * Ctrl-C while it exists), another runner running meanwhile on another thread, or a handler
     * the program installed itself; and not in a process started with SIGINT ignored. Outside
     * {@code run} (between runs, in {@link #close()}), Ctrl-C ends the process as usual.
     *
     * <p><b>An interrupt of this thread</b> from another thread cancels the task too (message
     * {@code "interrupted"}), whatever the loop was doing when it arrived, even in the middle
     * of a task's step that does not suspend for a long time; {@code run} then returns or throws
     * with this thread's interrupt status set, on both strands. The task's own code does not
     * see that status (on the continuation strand, where tasks run on this thread, a blocking
     * call in the very step the interrupt lands in may still be interrupted by it).
     *
     * @param <T>  the result type
     * @param main the main coroutine
     * @return its result
     * @throws NullPointerException  if {@code main} is null (nothing runs)
     * @throws IllegalStateException if the runner is closed, a loop already runs on this
     *                               thread, or as {@link EventLoop#runForever()}
     * @throws KeyboardInterrupt     if Ctrl-C cancelled the task and it ended cancelled
     * @throws CancelledError        if the task ended cancelled for another reason (an
     *                               interrupt of this thread, say)
     */
    public <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop;"
                    + " inside a task, call the coroutine directly or use Asyncio.createTask()");
        }
        if (VirtualLoopThread.wanted()) {
            return VirtualLoopThread.call(() -> runHere(main));
        }
        return runHere(main);
    }

    private <T> T runHere(Coroutine<T> main) {
        EventLoop l = getLoop();
        Task<T> task = l.createTask(main);
        l.setInterruptHandler(() -> {
            task.cancel(INTERRUPTED);
            l.keepInterrupt(); // the caller finds its interrupt status set when run returns
        });
        CtrlC ctrlC = CtrlC.claim(task);
        try {
            T result = l.runUntilComplete(task);
            if (ctrlC != null) {
                ctrlC.afterReturned();
            }
            return result;
        } catch (CancelledError e) {
            throw ctrlC == null ? e : ctrlC.afterCancelled(e);
        } finally {
            if (ctrlC != null) {
                ctrlC.release();
            }
            // Once main is done, an interrupt no longer cancels anything: it is kept for the caller.
            l.setInterruptHandler(l::keepInterrupt);
        }
    }

    /**
     * {@link #run(Coroutine)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     * @throws NullPointerException  if {@code main} is null (nothing runs)
     * @throws IllegalStateException as {@link #run(Coroutine)}
     * @throws KeyboardInterrupt     as {@link #run(Coroutine)}
     */
    public void run(AsyncRunnable main) {
        Objects.requireNonNull(main, "main");
        run(Coroutines.of(main, "main"));
    }

    /**
     * Returns this runner's loop, making it on first use. asyncio's {@code Runner.get_loop()}.
     *
     * @return the loop
     * @throws IllegalStateException if the runner is closed
     */
    public EventLoop getLoop() {
        if (closed) {
            throw new IllegalStateException("Runner is closed");
        }
        if (loop == null) {
            VirtualClock clock = virtualTime ? new VirtualClock(autojumpThreshold) : null;
            ScheduleExplorer explorer = scheduleSeed == null ? null
                    : new ScheduleExplorer(scheduleSeed, scheduleStrategy, virtualTime);
            loop = new EventLoop(clock, explorer);
            if (debug != null) { // asyncio's Runner: set_debug only when debug is not None
                loop.setDebug(debug);
            }
        }
        return loop;
    }

    /**
     * Cancels the tasks still pending and waits for them, closes the async generators left
     * open, shuts the default executor down (waiting up to 300 s for its jobs) and closes the
     * loop. Idempotent. asyncio's {@code Runner.close()}.
     *
     * @throws IllegalStateException if called while the loop runs
     * @throws VirtualMachineError   one thrown on the loop during the clean-up, after the loop
     *                               is closed
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        EventLoop l = loop;
        if (l != null && l.isRunning()) {
            throw new IllegalStateException("Runner.close() cannot be called while its loop runs");
        }
        closed = true;
        if (l == null) {
            return;
        }
        if (VirtualLoopThread.wanted()) {
            VirtualLoopThread.call(() -> {
                cleanUp(l);
                return null;
            });
        } else {
            cleanUp(l);
        }
    }

    /** close()'s clean-up of a loop that was made; see the overview. */
    private static void cleanUp(EventLoop l) {
        l.setInterruptHandler(l::keepInterrupt);
        try {
            cancelAllTasks(l);
        } finally {
            try {
                if (!l.isClosed() && !l.isWedged()) {
                    l.runUntilComplete(l.shutdownAsyncgens());
                }
            } finally {
                try {
                    if (!l.isClosed() && !l.isWedged()) {
                        l.runUntilComplete(l.shutdownDefaultExecutor(EXECUTOR_JOIN_TIMEOUT_SECONDS));
                    }
                } finally {
                    l.close();
                }
            }
        }
    }

    private static void cancelAllTasks(EventLoop loop) {
        if (loop.isClosed() || loop.isWedged()) {
            return;
        }
        Set<Task<?>> tasks = loop.allTasks();
        if (!tasks.isEmpty()) {
            cancelAndWait(loop, tasks);
        }
        List<Task<?>> submittedMeanwhile = StageBridge.stopStarting(loop);
        if (!submittedMeanwhile.isEmpty()) {
            cancelAndWait(loop, submittedMeanwhile);
        }
    }

    /** Cancels {@code tasks}, runs the loop until they are done, reports their failures. */
    private static void cancelAndWait(EventLoop loop, Collection<Task<?>> tasks) {
        for (Task<?> t : tasks) {
            t.cancel();
        }
        loop.runUntilComplete(new GatheringFuture(loop, new ArrayList<>(tasks), true));
        for (Task<?> t : tasks) {
            if (t.cancelled()) {
                continue;
            }
            Throwable e = t.exception();
            if (e != null) {
                loop.callExceptionHandler(new ExceptionContext(
                        "unhandled exception during Asyncio.run() shutdown", e, t, t, null));
            }
        }
    }

    /**
     * The options of a {@link Runner}. Not safe for use by several threads at once.
     */
    public static final class Builder {
        private Boolean debug;
        private boolean virtualTime;
        private Duration autojumpThreshold;
        private Long scheduleSeed;
        private ScheduleStrategy scheduleStrategy = ScheduleStrategy.RANDOM;

        private Builder() {
        }

        /**
         * Runs the loop in debug mode, or not (see {@link EventLoop#setDebug}). asyncio's
         * {@code Runner(debug=True)}. Not calling it leaves the loop's default: debug mode when
         * {@code -Djasyncio.debug=true} or the environment variable {@code JASYNCIO_DEBUG} is set.
         *
         * @param debug whether debug mode is on
         * @return this builder
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * Gives the loop a virtual clock: {@link EventLoop#time()} starts at 0 and, whenever
         * no callback, task step or I/O event is ready, jumps straight to the next timer, so
         * {@code sleep(3600)} returns at once with the clock advanced by exactly 3600. Timeouts,
         * {@code waitFor}, {@code callLater}/{@code callAt}, {@code wait} and
         * {@code asCompleted} all follow the clock. kotlinx-coroutines-test's virtual time,
         * Trio's {@code MockClock}, Tokio's paused time.
         *
         * <p>While a thread job of the loop ({@link Asyncio#toThread},
         * {@link EventLoop#runInExecutor}) runs, the clock stands still and the loop waits for
         * it in real time (a job's {@code Thread.sleep} takes real time); a job that waits
         * with no deadline (a lock, a latch, a queue) for half a second while the loop has only
         * timers left fails with an {@link IllegalStateException} naming where it was
         * submitted, delivered to whoever awaits the job, instead of hanging (what it waits
         * for most likely needs the clock to move). For programs that
         * wait on real I/O or threads, see {@link #autojumpThreshold(Duration)}.
         *
         * @param virtualTime whether the loop's clock is virtual
         * @return this builder
         */
        public Builder virtualTime(boolean virtualTime) {
            this.virtualTime = virtualTime;
            if (!virtualTime) {
                autojumpThreshold = null;
            }
            return this;
        }

        /**
         * Turns virtual time on, jumping to the next timer only after the loop has been idle
         * (nothing ready, no I/O event, no thread's callback) for {@code threshold} of real
         * time. Trio's {@code MockClock(autojump_threshold=...)}. For tests whose program also
         * waits on real sockets or threads.
         *
         * @param threshold the real idle time before each jump; zero jumps at once
         * @return this builder
         * @throws NullPointerException     if {@code threshold} is null
         * @throws IllegalArgumentException if {@code threshold} is negative
         */
        public Builder autojumpThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("the autojump threshold cannot be negative: " + threshold);
            }
            this.virtualTime = true;
            this.autojumpThreshold = threshold;
            return this;
        }

        /**
         * Explores schedules: the loop hands out the events that became ready in the same
         * iteration (I/O readiness of several channels, timers due together, results of thread
         * jobs, {@code callSoonThreadsafe} arrivals from different threads) in an order that
         * the seed and the {@linkplain #scheduleStrategy strategy} choose, and, under virtual
         * time, fires each timer within a jitter of up to {@link ScheduleStrategy#JITTER_NANOS}
         * nanoseconds after its deadline. asyncio's guarantees still hold: {@code callSoon}
         * callbacks run FIFO, a task resumes the iteration after its future completes, and
         * awaiting a done future does not yield. Results of thread jobs are held until no job
         * of the loop runs code, then handed out together, so they replay too. The same seed
         * gives the same schedule, on both strands, as long as the program's other real inputs
         * (sockets, threads it starts itself) arrive the same way. A program with nothing
         * concurrent simply runs.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder scheduleSeed(long seed) {
            this.scheduleSeed = seed;
            return this;
        }

        /**
         * The strategy that orders events under a {@linkplain #scheduleSeed schedule seed};
         * {@link ScheduleStrategy#RANDOM} if not set.
         *
         * @param strategy the strategy
         * @return this builder
         * @throws NullPointerException if {@code strategy} is null
         */
        public Builder scheduleStrategy(ScheduleStrategy strategy) {
            this.scheduleStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Returns a runner with these options; its loop is made at first use.
         *
         * @return the runner
         */
        public Runner build() {
            return new Runner(this);
        }
    }
}
