package org.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.jasyncio.internal.strand.Strands;

/**
 * The module-level functions of asyncio: {@code asyncio.run}, {@code sleep},
 * {@code create_task}, {@code gather}, {@code current_task}, ... as static methods.
 *
 * <pre>{@code
 * import org.jasyncio.Asyncio;
 *
 * Asyncio.run(() -> {
 *     System.out.println("hello");
 *     Asyncio.sleep(1);
 *     System.out.println("world");
 * });
 * }</pre>
 *
 * <p>Every suspending method here must be called inside a task; elsewhere it throws
 * {@link IllegalStateException} at once, never hangs.
 */
public final class Asyncio {

    /** How long {@link #run} waits for the default executor's jobs on exit (asyncio's 300 s). */
    static final double EXECUTOR_JOIN_TIMEOUT_SECONDS = 300;

    private Asyncio() {
    }

    // ------------------------------------------------------------------------ run

    /**
     * Runs {@code main} as a task on a new event loop on this thread, and returns its result.
     * On exit, every task still pending is cancelled and waited for, the default executor
     * ({@link #toThread}) is shut down and its running jobs are waited for (up to
     * {@value #EXECUTOR_JOIN_TIMEOUT_SECONDS} s, like asyncio), and the loop is closed.
     * {@code main}'s exception is rethrown unchanged, checked ones included. asyncio's
     * {@code asyncio.run(main())}.
     *
     * <p>An interrupt of this thread from outside cancels the main task (asyncio's Ctrl-C
     * behaviour).
     *
     * @param <T>  the result type
     * @param main the main coroutine
     * @return its result
     * @throws IllegalStateException if an event loop is already running on this thread
     */
    public static <T> T run(Coroutine<T> main) {
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop;"
                    + " inside a task, call the coroutine directly or use Asyncio.createTask()");
        }
        EventLoop loop = new EventLoop();
        try {
            Task<T> task = loop.createTask(main);
            loop.setInterruptHandler(() -> task.cancel("interrupted"));
            return loop.runUntilComplete(task);
        } finally {
            try {
                cancelAllTasks(loop);
            } finally {
                try {
                    if (!loop.isClosed()) {
                        loop.runUntilComplete(loop.shutdownDefaultExecutor(EXECUTOR_JOIN_TIMEOUT_SECONDS));
                    }
                } finally {
                    loop.close();
                }
            }
        }
    }

    /**
     * {@link #run(Coroutine)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     */
    public static void run(AsyncRunnable main) {
        run(toCoroutine(main));
    }

    private static void cancelAllTasks(EventLoop loop) {
        if (loop.isClosed()) {
            return;
        }
        Set<Task<?>> tasks = loop.allTasks();
        if (tasks.isEmpty()) {
            return;
        }
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

    // ------------------------------------------------------------------------ sleep

    /**
     * Suspends the current task for {@code seconds}. {@code sleep(0)} (or less) yields once
     * to the loop: the task resumes on the next iteration. asyncio's
     * {@code asyncio.sleep(delay)}.
     *
     * @param seconds the delay
     * @throws IllegalStateException outside a task
     * @throws CancelledError        if the task is cancelled while it sleeps
     */
    public static void sleep(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("sleep() of NaN seconds");
        }
        sleepNanos(seconds <= 0 ? 0 : EventLoop.toNanos(seconds));
    }

    /**
     * {@link #sleep(double)} with a {@link Duration}.
     *
     * @param delay the delay
     */
    public static void sleep(Duration delay) {
        sleepNanos(delay.isNegative() || delay.isZero() ? 0 : saturatedNanos(delay));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos == 0) {
            Suspension.yieldNow();
            return;
        }
        Task<?> task = Suspension.currentTask("sleep()");
        SleepTimer timer = new SleepTimer(task.loop, nanos);
        task.loop.addTimer(timer);
        try {
            timer.future.await();
        } finally {
            timer.cancel();
        }
    }

    // ------------------------------------------------------------------------ tasks

    /**
     * Wraps {@code coro} in a task scheduled on the running loop; its first step runs on the
     * next iteration. asyncio's {@code asyncio.create_task(coro)}.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return the task
     * @throws IllegalStateException if no loop runs here
     */
    public static <T> Task<T> createTask(Coroutine<T> coro) {
        return getRunningLoop().createTask(coro);
    }

    /**
     * {@link #createTask(Coroutine)} with a name. asyncio's {@code create_task(coro, name=)}.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @param name the name
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return getRunningLoop().createTask(coro, name);
    }

    /**
     * {@link #createTask(Coroutine)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @return the task, whose result is null
     */
    public static Task<Void> createTask(AsyncRunnable coro) {
        return getRunningLoop().createTask(toCoroutine(coro));
    }

    /**
     * {@link #createTask(AsyncRunnable)} with a name.
     *
     * @param coro the coroutine
     * @param name the name
     * @return the task
     */
    public static Task<Void> createTask(AsyncRunnable coro, String name) {
        return getRunningLoop().createTask(toCoroutine(coro), name);
    }

    static Coroutine<Void> toCoroutine(AsyncRunnable r) {
        if (r == null) {
            throw new NullPointerException("coroutine");
        }
        return () -> {
            r.run();
            return null;
        };
    }

    /**
     * The running task, or null outside a task. asyncio's {@code asyncio.current_task()}.
     *
     * @return the current task or null
     */
    public static Task<?> currentTask() {
        EventLoop loop = EventLoop.runningOrNull();
        return loop == null ? null : loop.currentTask;
    }

    /**
     * The running loop's tasks that are not done. asyncio's {@code asyncio.all_tasks()}.
     *
     * @return a snapshot
     * @throws IllegalStateException if no loop runs here
     */
    public static Set<Task<?>> allTasks() {
        return getRunningLoop().allTasks();
    }

    /**
     * The loop running on this thread (or in this task). asyncio's
     * {@code asyncio.get_running_loop()}.
     *
     * @return the running loop
     * @throws IllegalStateException if none runs here
     */
    public static EventLoop getRunningLoop() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop == null) {
            throw new IllegalStateException("no running event loop: call this inside Asyncio.run(...) or a task");
        }
        return loop;
    }

    // ------------------------------------------------------------------------ threads

    /**
     * Runs the blocking {@code job} on another thread (the running loop's default executor,
     * a virtual thread per job unless changed with {@link EventLoop#setDefaultExecutor}) in a
     * copy of the current {@link Context}, and returns a future of its result; the loop keeps
     * running meanwhile. Await it: {@code String s = Asyncio.toThread(() -> readFile()).await();}.
     * Its exception arrives unchanged. Cancelling the future (or the task awaiting it)
     * interrupts the job if it is running; see {@link EventLoop#runInExecutor}. asyncio's
     * {@code asyncio.to_thread(func)}.
     *
     * @param <T> the result type
     * @param job the blocking work
     * @return a future of its result
     * @throws IllegalStateException if no loop runs here
     */
    public static <T> Future<T> toThread(Callable<T> job) {
        if (job == null) {
            throw new NullPointerException("job");
        }
        EventLoop loop = getRunningLoop();
        Context context = Context.copyContext();
        return loop.runInExecutor(null, () -> context.run(job));
    }

    /**
     * Suspends the current task until {@code stage} completes, and returns its result or
     * throws its exception unchanged (a {@code CompletionException} wrapper is removed; a
     * cancelled stage throws {@link CancelledError}). Cancelling the waiting task cancels the
     * stage. Shorthand for {@code Future.fromCompletionStage(stage).await()}; Python's
     * {@code await asyncio.wrap_future(f)}.
     *
     * @param <T>   the result type
     * @param stage any completion stage, e.g. a {@code CompletableFuture}
     * @return its result
     * @throws IllegalStateException outside a task
     */
    public static <T> T await(CompletionStage<T> stage) {
        Suspension.currentTask("await(CompletionStage)");
        return Future.fromCompletionStage(stage).await();
    }

    // ------------------------------------------------------------------------ subprocesses

    /**
     * Starts {@code program} with {@code args} (no shell), with stdin, stdout and stderr as
     * pipes, and returns it once started; the start itself runs off the loop. asyncio's
     * {@code asyncio.create_subprocess_exec(program, *args, stdin=PIPE, stdout=PIPE,
     * stderr=PIPE)}.
     *
     * @param program the program (looked up on the PATH)
     * @param args    its arguments
     * @return the running child
     * @throws java.io.IOException (unchanged, undeclared) if it cannot be started
     * @throws IllegalStateException outside a task
     */
    public static Subprocess createSubprocessExec(String program, String... args) {
        List<String> command = new ArrayList<>(args.length + 1);
        command.add(program);
        command.addAll(Arrays.asList(args));
        return createSubprocess(new ProcessBuilder(command));
    }

    /**
     * Runs {@code command} through the shell ({@code /bin/sh -c}, or {@code cmd.exe /c} on
     * Windows) with piped stdin, stdout and stderr. asyncio's
     * {@code asyncio.create_subprocess_shell(cmd, ...)}; the same warning applies: never pass
     * untrusted input to a shell.
     *
     * @param command the shell command line
     * @return the running child
     */
    public static Subprocess createSubprocessShell(String command) {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        return createSubprocess(windows ? new ProcessBuilder("cmd.exe", "/c", command)
                : new ProcessBuilder("/bin/sh", "-c", command));
    }

    /**
     * Starts the child {@code builder} describes; each stream whose redirect is
     * {@code Redirect.PIPE} (the {@code ProcessBuilder} default) becomes a stream of the
     * returned {@link Subprocess}, others (inherit, a file, discard) are null there. The start
     * runs on the default executor, so it never blocks the loop. asyncio's
     * {@code create_subprocess_exec} with its {@code stdin=}/{@code stdout=}/{@code stderr=},
     * {@code cwd=} and {@code env=} arguments.
     *
     * @param builder the command, directory, environment and redirects
     * @return the running child
     */
    public static Subprocess createSubprocess(ProcessBuilder builder) {
        if (builder == null) {
            throw new NullPointerException("builder");
        }
        Task<?> task = Suspension.currentTask("createSubprocess()");
        EventLoop loop = task.loop;
        // If this task is cancelled while the child starts, the child must not outlive it.
        java.util.concurrent.atomic.AtomicReference<Object> started = new java.util.concurrent.atomic.AtomicReference<>();
        Future<Process> starting = loop.runInExecutor(null, () -> {
            Process p = builder.start();
            if (!started.compareAndSet(null, p)) {
                p.destroyForcibly();
            }
            return p;
        });
        try {
            return new Subprocess(loop, starting.await(), builder);
        } catch (CancelledError c) {
            if (started.getAndSet(c) instanceof Process orphan) {
                orphan.destroyForcibly();
            }
            throw c;
        }
    }

    /**
     * Which strand runs tasks in this JVM: {@code "continuation"} or {@code "virtual"} (see the
     * README's "Picking a strand"). No asyncio equivalent.
     *
     * @return the strand kind's name
     */
    public static String strandName() {
        return Strands.factory().name();
    }

    // ------------------------------------------------------------------------ gather

    /**
     * Runs the awaitables concurrently and returns a future of their results, in argument
     * order. The first exception (or cancellation) of a child fails the gather at once; the
     * other children keep running. Cancelling the gather cancels every child. asyncio's
     * {@code asyncio.gather(*aws)}.
     *
     * @param <T> the common result type
     * @param aws the awaitables (tasks or futures); the same one twice is awaited once
     * @return a future of the results
     * @throws IllegalStateException if no loop runs here
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<List<T>> gather(List<? extends Awaitable<? extends T>> aws) {
        return (Future<List<T>>) (Future<?>) gatherFutures(aws, false);
    }

    /**
     * Varargs form of {@link #gather(List)}.
     *
     * @param aws the awaitables
     * @return a future of the results
     */
    public static Future<List<Object>> gather(Awaitable<?>... aws) {
        return gatherFutures(Arrays.asList(aws), false);
    }

    /**
     * Like {@link #gather(List)}, but exceptions (including {@link CancelledError}) become
     * elements of the result list instead of failing the gather. asyncio's
     * {@code gather(*aws, return_exceptions=True)}.
     *
     * @param aws the awaitables
     * @return a future of the results and exceptions, in argument order
     */
    public static Future<List<Object>> gatherReturnExceptions(List<? extends Awaitable<?>> aws) {
        return gatherFutures(aws, true);
    }

    /**
     * Varargs form of {@link #gatherReturnExceptions(List)}.
     *
     * @param aws the awaitables
     * @return a future of the results and exceptions
     */
    public static Future<List<Object>> gatherReturnExceptions(Awaitable<?>... aws) {
        return gatherFutures(Arrays.asList(aws), true);
    }

    private static Future<List<Object>> gatherFutures(List<? extends Awaitable<?>> aws, boolean returnExceptions) {
        EventLoop loop = getRunningLoop();
        List<Future<?>> children = new ArrayList<>(aws.size());
        for (Awaitable<?> aw : aws) {
            Future<?> f = (Future<?>) aw;
            if (f.loop != loop) {
                throw new IllegalStateException("gather() got a future attached to a different loop: " + f);
            }
            children.add(f);
        }
        if (children.isEmpty()) {
            Future<List<Object>> empty = new Future<>(loop);
            empty.setResult(new ArrayList<>());
            return empty;
        }
        return new GatheringFuture(loop, children, returnExceptions);
    }

    /** The timer behind {@link #sleep}: completes its future unless it was cancelled. */
    private static final class SleepTimer extends TimerHandle {
        final Future<Void> future;

        SleepTimer(EventLoop loop, long nanos) {
            super(loop, null, System.nanoTime() + nanos, loop.nextTimerSequence());
            this.future = new Future<>(loop);
        }

        @Override
        void run() {
            if (!future.done()) {
                future.setResult(null);
            }
        }

        @Override
        Object describeCallback() {
            return "sleep wake-up";
        }
    }
}
