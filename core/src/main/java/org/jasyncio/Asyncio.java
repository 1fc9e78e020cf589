package org.jasyncio;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.jasyncio.internal.Rethrow;
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

    /* Implementation overview: a facade. Each method delegates to the package-private class
     * that implements the asyncio concept, named for it: Runner (asyncio.run), Sleep, Threads
     * (to_thread), GatheringFuture.gather, Waiting (wait), WaitFor (wait_for), Shield, Timeout,
     * AsCompleted; tasks come from the running EventLoop. What is left here is that delegation
     * and getRunningLoop's check, which other classes call as asyncio's modules call
     * events.get_running_loop(). openConnection and startServer are the only references from
     * org.jasyncio to the layers above it (streams, net). */

    /**
     * How long {@link #run} waits for the default executor's jobs on exit (asyncio's 300 s):
     * {@link Runner}'s constant, named here for {@link #run}'s Javadoc.
     */
    static final double EXECUTOR_JOIN_TIMEOUT_SECONDS = Runner.EXECUTOR_JOIN_TIMEOUT_SECONDS;

    private Asyncio() {
    }

    // ------------------------------------------------------------------------ run

    /**
     * Runs {@code main} as a task on a new event loop on this thread, and returns its result.
     * On exit, every task still pending is cancelled and waited for, every
     * {@link AsyncGenerator} left suspended is closed ({@link EventLoop#shutdownAsyncgens()}),
     * the default executor ({@link #toThread}) is shut down and its running jobs are waited
     * for (up to {@value #EXECUTOR_JOIN_TIMEOUT_SECONDS} s, like asyncio), and the loop is
     * closed.
     * {@code main}'s exception is rethrown unchanged, checked ones included. asyncio's
     * {@code asyncio.run(main())}.
     *
     * <p>A task made with {@link #createTask} during that clean-up (by a task being cancelled)
     * is not cancelled: it runs while the clean-up lasts and is destroyed pending at close, as
     * in asyncio. A coroutine submitted with {@link EventLoop#runCoroutineThreadsafe} during
     * the clean-up is cancelled after the leftover tasks, or refused once they are done, so
     * its {@code CompletableFuture} always completes (asyncio's may stay pending forever).
     *
     * <p>Ctrl-C (SIGINT) cancels the main task, so its {@code finally} blocks and
     * {@link TaskGroup} clean-ups run; if it ends cancelled, the clean-up above runs and this
     * method throws {@link KeyboardInterrupt}, which, left to propagate out of
     * {@code main(String[])}, ends the process with status 130. A second Ctrl-C while the main
     * task has not ended ends the process at once. An interrupt of this thread from another
     * thread cancels the main task as well, and this method returns or throws with the
     * interrupt status set. See {@link Runner#run(Coroutine)} for the details.
     *
     * <p>On the virtual strand, called from a platform thread, the loop runs on a virtual thread
     * of its own while this thread waits for it (a switch between the loop and a task then costs
     * about a microsecond instead of two OS thread wake-ups): callbacks see that thread as
     * {@code Thread.currentThread()}, with the caller's InheritableThreadLocals but not its
     * other ThreadLocals. The result, exceptions and interrupts are the same either way.
     *
     * <p>On the virtual strand, a task that stays blocked on a thread-owned lock (a monitor, a
     * {@code ReentrantLock}, a {@code ReentrantReadWriteLock}) for about a second ends the run
     * with the {@link IllegalStateException} of {@link EventLoop#runForever()}; the clean-up
     * is skipped then (it would need the unusable loop) and the loop is closed.
     *
     * @param <T>  the result type
     * @param main the main coroutine
     * @return its result
     * @throws NullPointerException  if {@code main} is null (checked first, nothing is made)
     * @throws IllegalStateException if an event loop is already running on this thread, or a
     *                               task stayed blocked on a thread-owned lock (see above)
     * @throws VirtualMachineError   one thrown by any task or callback of the loop, as it was
     *                               thrown (asyncio's {@code SystemExit}; see
     *                               {@link EventLoop#runForever()}), after the clean-up
     * @throws KeyboardInterrupt     if Ctrl-C cancelled the main task and it ended cancelled,
     *                               after the clean-up
     */
    public static <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop;"
                    + " inside a task, call the coroutine directly or use Asyncio.createTask()");
        }
        if (VirtualLoopThread.wanted()) {
            return VirtualLoopThread.call(() -> runOnce(main)); // one thread for the run and the clean-up
        }
        return runOnce(main);
    }

    private static <T> T runOnce(Coroutine<T> main) {
        Runner runner = new Runner();
        try {
            return runner.run(main);
        } finally {
            runner.close(); // not try-with-resources: a fatal error rethrown by the clean-up cannot suppress itself
        }
    }

    /**
     * {@link #run(Coroutine)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     * @throws NullPointerException  if {@code main} is null (checked first, nothing is made)
     * @throws IllegalStateException if an event loop is already running on this thread
     * @throws KeyboardInterrupt     as {@link #run(Coroutine)}
     */
    public static void run(AsyncRunnable main) {
        run(Coroutines.of(main, "main"));
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
        Sleep.sleep(seconds);
    }

    /**
     * {@link #sleep(double)} with a {@link Duration}.
     *
     * @param delay the delay
     * @throws NullPointerException  if {@code delay} is null
     * @throws IllegalStateException outside a task
     * @throws CancelledError        if the task is cancelled while it sleeps
     */
    public static void sleep(Duration delay) {
        Sleep.sleep(delay);
    }

    /**
     * {@link #sleep(double)}, then returns {@code result}: asyncio's
     * {@code await asyncio.sleep(delay, result)}.
     *
     * @param <T>     the result type
     * @param seconds the delay in seconds; zero or less yields once to the loop
     * @param result  the value to return once the delay has passed (may be null)
     * @return {@code result}
     * @throws IllegalArgumentException if {@code seconds} is NaN
     * @throws IllegalStateException    outside a task
     * @throws CancelledError           if the task is cancelled while it sleeps (nothing is
     *                                  returned)
     */
    public static <T> T sleep(double seconds, T result) {
        Sleep.sleep(seconds);
        return result;
    }

    /**
     * {@link #sleep(Duration)}, then returns {@code result}: asyncio's
     * {@code await asyncio.sleep(delay, result)}.
     *
     * @param <T>    the result type
     * @param delay  the delay; zero or negative yields once to the loop
     * @param result the value to return once the delay has passed (may be null)
     * @return {@code result}
     * @throws NullPointerException  if {@code delay} is null
     * @throws IllegalStateException outside a task
     * @throws CancelledError        if the task is cancelled while it sleeps (nothing is
     *                               returned)
     */
    public static <T> T sleep(Duration delay, T result) {
        Sleep.sleep(delay);
        return result;
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
        return createTask(coro, null);
    }

    /**
     * {@link #createTask(AsyncRunnable)} with a name.
     *
     * @param coro the coroutine
     * @param name the name
     * @return the task
     */
    public static Task<Void> createTask(AsyncRunnable coro, String name) {
        if (coro == null) {
            throw new NullPointerException("coro"); // before the loop is looked up, as for every AsyncRunnable overload
        }
        // Run as it is: no Coroutine adapter per task (Task.getCoro makes one if asked).
        return Task.ofRunnable(getRunningLoop(), coro, name);
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

    // ------------------------------------------------------------------------ introspection

    /**
     * The call graph of the current task: where it runs now and who awaits it, transitively.
     * asyncio 3.14's {@code asyncio.capture_call_graph()}. Loop thread only.
     *
     * @return the graph, or null when called from a plain callback (no task runs)
     * @throws IllegalStateException outside a running loop
     */
    public static CallGraph captureCallGraph() {
        return CallGraphs.captureCurrent();
    }

    /**
     * The call graph of {@code future}: for a task, the user's frames where it is suspended
     * (its current frames if it is the running task), and the graphs of every task awaiting
     * it, through {@code await}, {@code gather}, {@code wait}, {@code waitFor},
     * {@code shield}, {@code asCompleted} and task groups (see {@link CallGraph}). asyncio
     * 3.14's {@code asyncio.capture_call_graph(future)}. Call it on the future's loop thread
     * (from a task or a callback), or on any thread while that loop is not running.
     *
     * @param future the future or task
     * @return its graph
     * @throws NullPointerException  if {@code future} is null
     * @throws IllegalStateException from another thread while the future's loop runs
     */
    public static CallGraph captureCallGraph(Future<?> future) {
        return CallGraphs.capture(future);
    }

    /**
     * The call graph of {@code future} as text, asyncio 3.14's {@code format_call_graph()}
     * layout: a {@code * Task(name='main', id=0x1b6d3586)} or {@code * Future(id=...)} line,
     * then {@code + Call stack:} with one {@code |   File 'Main.java', line 12, in
     * org.example.Main.worker()} line per frame (innermost first), then {@code + Awaited by:}
     * and the awaiting tasks' graphs indented by four spaces; a task met again on its own
     * path (an await cycle) ends with {@code (cycle)}. The {@code id} is the identity hash
     * code (asyncio prints {@code id()}). Same threads as {@link #captureCallGraph(Future)}.
     *
     * @param future the future or task, or null for the current task
     * @return the text without a final newline; empty if {@code future} is null and no task runs
     * @throws IllegalStateException as {@link #captureCallGraph(Future)}, or if
     *                               {@code future} is null outside a running loop
     */
    public static String formatCallGraph(Future<?> future) {
        CallGraph g = future == null ? captureCallGraph() : captureCallGraph(future);
        return g == null ? "" : g.format();
    }

    /**
     * Prints {@link #formatCallGraph(Future)} and a newline to {@code System.out}. asyncio
     * 3.14's {@code asyncio.print_call_graph(future)}.
     *
     * @param future the future or task, or null for the current task
     * @throws IllegalStateException as {@link #formatCallGraph(Future)}
     */
    public static void printCallGraph(Future<?> future) {
        printCallGraph(future, System.out);
    }

    /**
     * Prints {@link #formatCallGraph(Future)} and a newline to {@code out}; prints nothing if
     * {@code future} is null and no task runs. asyncio 3.14's
     * {@code asyncio.print_call_graph(future, file=out)}.
     *
     * @param future the future or task, or null for the current task
     * @param out    where to print
     * @throws NullPointerException  if {@code out} is null
     * @throws IllegalStateException as {@link #formatCallGraph(Future)}
     */
    public static void printCallGraph(Future<?> future, java.io.PrintStream out) {
        Objects.requireNonNull(out, "out");
        String text = formatCallGraph(future);
        if (!text.isEmpty()) {
            out.println(text);
        }
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
        return Threads.toThread(job);
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

    // ------------------------------------------------------------------------ strands

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
     * other children keep running. Cancelling the gather cancels every child. If every
     * awaitable is already done (plain futures with an outcome, eager tasks that finished
     * inside {@code createTask}), the returned future is already done too (asyncio 3.12+,
     * gh-104144). asyncio's {@code asyncio.gather(*aws)}.
     *
     * @param <T> the common result type
     * @param aws the awaitables (tasks or futures); the same one twice is awaited once, and
     *            cancelling the gather cancels it once per occurrence, as in asyncio
     * @return a future of the results
     * @throws NullPointerException  if {@code aws} or one of its elements is null
     * @throws IllegalStateException if no loop runs here
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<List<T>> gather(List<? extends Awaitable<? extends T>> aws) {
        return (Future<List<T>>) (Future<?>) GatheringFuture.gather(requireAwaitables(aws), false);
    }

    /**
     * Varargs form of {@link #gather(List)}.
     *
     * @param aws the awaitables
     * @return a future of the results
     * @throws NullPointerException  if {@code aws} or one of its elements is null
     * @throws IllegalStateException if no loop runs here
     */
    public static Future<List<Object>> gather(Awaitable<?>... aws) {
        return GatheringFuture.gather(requireAwaitables(aws), false);
    }

    /**
     * Like {@link #gather(List)}, but exceptions (including {@link CancelledError}) become
     * elements of the result list instead of failing the gather. asyncio's
     * {@code gather(*aws, return_exceptions=True)}.
     *
     * @param aws the awaitables
     * @return a future of the results and exceptions, in argument order
     * @throws NullPointerException  if {@code aws} or one of its elements is null
     * @throws IllegalStateException if no loop runs here
     */
    public static Future<List<Object>> gatherReturnExceptions(List<? extends Awaitable<?>> aws) {
        return GatheringFuture.gather(requireAwaitables(aws), true);
    }

    /**
     * Varargs form of {@link #gatherReturnExceptions(List)}.
     *
     * @param aws the awaitables
     * @return a future of the results and exceptions
     * @throws NullPointerException  if {@code aws} or one of its elements is null
     * @throws IllegalStateException if no loop runs here
     */
    public static Future<List<Object>> gatherReturnExceptions(Awaitable<?>... aws) {
        return GatheringFuture.gather(requireAwaitables(aws), true);
    }

    /** {@code aws} as a list, refusing a null array or list, or a null element, by the parameter's name. */
    private static <A extends Awaitable<?>> List<A> requireAwaitables(List<A> aws) {
        Objects.requireNonNull(aws, "aws");
        int i = 0;
        for (A aw : aws) {
            if (aw == null) {
                throw new NullPointerException("aws[" + i + "] is null: gather() needs a task or future");
            }
            i++;
        }
        return aws;
    }

    private static List<Awaitable<?>> requireAwaitables(Awaitable<?>[] aws) {
        return requireAwaitables(Arrays.asList(Objects.requireNonNull(aws, "aws")));
    }

    // ------------------------------------------------------------------------ streams

    /**
     * Opens a TCP connection and returns its reader and writer; the host name is resolved off
     * the loop. asyncio's {@code asyncio.open_connection(host, port)}. Errors are thrown
     * unchanged although undeclared ({@link java.net.ConnectException},
     * {@link java.net.UnknownHostException}, ...): catch {@code Exception}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @return the reader and writer
     */
    public static org.jasyncio.streams.Connection openConnection(String host, int port) {
        try {
            return org.jasyncio.streams.Streams.openConnection(host, port);
        } catch (java.io.IOException e) {
            throw Rethrow.unchecked(e); // the contract declares nothing; the exception travels unchanged
        }
    }

    /**
     * Starts a TCP server that runs {@code handler} as a new task for each connection; port 0
     * binds an ephemeral port ({@code Server.port()} tells which). asyncio's
     * {@code asyncio.start_server(client_connected_cb, host, port)}.
     *
     * @param handler the client handler
     * @param host    the host to bind (null: every interface)
     * @param port    the port
     * @return the server, accepting
     */
    public static org.jasyncio.net.Server startServer(org.jasyncio.streams.ClientHandler handler, String host, int port) {
        try {
            return org.jasyncio.streams.Streams.startServer(handler, host, port);
        } catch (java.io.IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    // ------------------------------------------------------------------------ composition
    // wait, waitFor, timeout, shield, asCompleted (TaskGroup is its own class).

    /**
     * Waits until all of {@code fs} are done and returns the done and pending sets. asyncio's
     * {@code asyncio.wait(fs)}.
     *
     * @param <F> the future type
     * @param fs  the futures or tasks, at least one
     * @return the done set (all of them) and an empty pending set
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs) {
        return wait(fs, null, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * {@link #wait(Collection, Duration, ReturnWhen)} without a timeout.
     *
     * @param <F>        the future type
     * @param fs         the futures or tasks, at least one
     * @param returnWhen when to return
     * @return the done and pending sets
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, ReturnWhen returnWhen) {
        return wait(fs, null, returnWhen);
    }

    /**
     * Waits until {@code returnWhen} is satisfied or {@code timeout} passes, and returns which
     * futures are done and which are still pending. Nothing is cancelled, not even on timeout,
     * and no exception of a future is thrown here. Even if the condition already holds, the
     * task yields to the loop once, like asyncio. asyncio's
     * {@code asyncio.wait(fs, timeout=, return_when=)}.
     *
     * @param <F>        the future type
     * @param fs         the futures or tasks, at least one; duplicates count once
     * @param timeout    the longest wait, or null for none
     * @param returnWhen when to return
     * @return the done and pending sets, in input order
     * @throws IllegalArgumentException if {@code fs} is empty
     * @throws CancelledError           if the waiting task is cancelled (the futures are not)
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, Duration timeout,
                                                           ReturnWhen returnWhen) {
        return Waiting.wait(fs, timeout, returnWhen);
    }

    /**
     * {@link #wait(Collection, Duration, ReturnWhen)} with the timeout in seconds.
     *
     * @param <F>        the future type
     * @param fs         the futures or tasks, at least one
     * @param seconds    the longest wait in seconds
     * @param returnWhen when to return
     * @return the done and pending sets
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> fs, double seconds,
                                                           ReturnWhen returnWhen) {
        return Waiting.wait(fs, seconds, returnWhen);
    }

    /**
     * Awaits {@code aw} for at most {@code timeout}. When the time is up, {@code aw} is
     * cancelled, and this waits until it has really finished cancelling before it throws
     * {@link AsyncTimeoutException}. If {@code aw} suppresses the cancellation and returns a
     * value, that value is returned (asyncio 3.12+). A null timeout waits forever; a zero or
     * negative one returns the result if {@code aw} is already done, else cancels it at once.
     * Cancelling the waiting task cancels {@code aw} too. asyncio's
     * {@code asyncio.wait_for(aw, timeout)}.
     *
     * @param <T>     the result type
     * @param aw      the awaitable (a task or future)
     * @param timeout the longest wait, or null
     * @return the result of {@code aw}
     * @throws AsyncTimeoutException if the timeout cancelled {@code aw}
     */
    public static <T> T waitFor(Awaitable<T> aw, Duration timeout) {
        return WaitFor.waitFor(aw, timeout);
    }

    /**
     * {@link #waitFor(Awaitable, Duration)} with the timeout in seconds; infinity waits
     * forever. asyncio's {@code asyncio.wait_for(aw, timeout)}.
     *
     * @param <T>     the result type
     * @param aw      the awaitable
     * @param seconds the longest wait in seconds
     * @return the result of {@code aw}
     * @throws AsyncTimeoutException if the timeout cancelled {@code aw}
     */
    public static <T> T waitFor(Awaitable<T> aw, double seconds) {
        return WaitFor.waitFor(aw, seconds);
    }

    /**
     * {@link #waitFor(Awaitable, Duration)} for a coroutine: it runs as a new task of the
     * running loop, which the timeout cancels. With a zero or negative timeout the task is
     * cancelled before its first step, so the coroutine never runs (unless the loop starts
     * tasks eagerly and it finished inside {@code createTask}). asyncio's
     * {@code asyncio.wait_for(coro, timeout)}, which wraps a coroutine in a task.
     *
     * @param <T>     the result type
     * @param coro    the coroutine
     * @param timeout the longest wait, or null for none
     * @return the coroutine's result
     * @throws AsyncTimeoutException if the timeout cancelled the coroutine's task
     * @throws CancelledError        if the waiting task is cancelled (the coroutine's task is
     *                               cancelled too)
     * @throws NullPointerException  if {@code coro} is null
     * @throws IllegalStateException outside a task (no task is created then)
     */
    public static <T> T waitFor(Coroutine<T> coro, Duration timeout) {
        return WaitFor.waitFor(coro, timeout);
    }

    /**
     * {@link #waitFor(Coroutine, Duration)} with the timeout in seconds; infinity waits
     * forever. asyncio's {@code asyncio.wait_for(coro, timeout)}.
     *
     * @param <T>     the result type
     * @param coro    the coroutine
     * @param seconds the longest wait in seconds
     * @return the coroutine's result
     * @throws AsyncTimeoutException    if the timeout cancelled the coroutine's task
     * @throws IllegalArgumentException if {@code seconds} is NaN
     * @throws NullPointerException     if {@code coro} is null
     * @throws IllegalStateException    outside a task (no task is created then)
     */
    public static <T> T waitFor(Coroutine<T> coro, double seconds) {
        return WaitFor.waitFor(coro, seconds);
    }

    /**
     * Runs {@code body} in the current task with a deadline {@code delay} from now; null
     * means no deadline. If the deadline passes, the body is cancelled and, once it has
     * unwound, {@link AsyncTimeoutException} is thrown; a cancellation that came from
     * elsewhere stays a {@link CancelledError}, even if it arrives as the deadline fires.
     * asyncio's {@code async with asyncio.timeout(delay): body}. For a deadline that can be
     * moved, use {@link Timeout}.
     *
     * @param <T>   the result type
     * @param delay the time allowed, or null
     * @param body  the body, run in this task
     * @return the body's result
     * @throws AsyncTimeoutException if the deadline cancelled the body
     */
    public static <T> T timeout(Duration delay, Coroutine<T> body) {
        return Timeout.after(delay).run(body);
    }

    /**
     * {@link #timeout(Duration, Coroutine)} for a body that returns nothing.
     *
     * @param delay the time allowed, or null
     * @param body  the body
     */
    public static void timeout(Duration delay, AsyncRunnable body) {
        Timeout.after(delay).run(body);
    }

    /**
     * {@link #timeout(Duration, Coroutine)} with the delay in seconds.
     *
     * @param <T>     the result type
     * @param seconds the time allowed; infinity means no deadline
     * @param body    the body
     * @return the body's result
     */
    public static <T> T timeout(double seconds, Coroutine<T> body) {
        return Timeout.after(seconds).run(body);
    }

    /**
     * {@link #timeout(double, Coroutine)} for a body that returns nothing.
     *
     * @param seconds the time allowed; infinity means no deadline
     * @param body    the body
     */
    public static void timeout(double seconds, AsyncRunnable body) {
        Timeout.after(seconds).run(body);
    }

    /**
     * Like {@link #timeout(Duration, Coroutine)} with an absolute deadline in loop time (see
     * {@link EventLoop#time()}). asyncio's {@code asyncio.timeout_at(when)}.
     *
     * @param <T>  the result type
     * @param when the deadline, in loop time
     * @param body the body
     * @return the body's result
     */
    public static <T> T timeoutAt(double when, Coroutine<T> body) {
        return Timeout.at(when).run(body);
    }

    /**
     * {@link #timeoutAt(double, Coroutine)} for a body that returns nothing.
     *
     * @param when the deadline, in loop time
     * @param body the body
     */
    public static void timeoutAt(double when, AsyncRunnable body) {
        Timeout.at(when).run(body);
    }

    /**
     * Protects {@code aw} from cancellation: returns a future that mirrors it, so that
     * cancelling the returned future (or a task awaiting it) leaves {@code aw} running. If
     * {@code aw} is already done it is returned itself. asyncio's {@code asyncio.shield(aw)}.
     *
     * @param <T> the result type
     * @param aw  the awaitable
     * @return the outer future
     */
    public static <T> Future<T> shield(Awaitable<T> aw) {
        return Shield.shield(aw);
    }

    /**
     * Iterates over {@code fs} in the order they complete. Iterating the result suspends the
     * task until the next one is done and yields the original future (asyncio 3.13's
     * {@code async for f in as_completed(fs)}); {@link AsCompleted#awaitables()} gives the
     * classic form, awaitables of the next result. asyncio's {@code asyncio.as_completed}.
     *
     * @param <T> the result type
     * @param fs  the futures or tasks; duplicates count once
     * @return the single-use iteration
     */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<T>> fs) {
        return new AsCompleted<>(fs, Double.NaN);
    }

    /**
     * {@link #asCompleted(Collection)} with a timeout: once it passes, the next step throws
     * {@link AsyncTimeoutException} (nothing is cancelled). asyncio's
     * {@code as_completed(fs, timeout=)}.
     *
     * @param <T>     the result type
     * @param fs      the futures or tasks
     * @param timeout the time allowed for all of them, or null
     * @return the single-use iteration
     */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<T>> fs, Duration timeout) {
        return new AsCompleted<>(fs, timeout == null ? Double.NaN : Deadlines.seconds(timeout, "timeout"));
    }

    /**
     * {@link #asCompleted(Collection, Duration)} with the timeout in seconds; infinity means
     * none. Zero or negative times out on the next loop iteration, as asyncio's
     * {@code call_later} of a negative delay does: every step not already satisfied by a
     * future done by then throws {@link AsyncTimeoutException}. asyncio's
     * {@code as_completed(fs, timeout=seconds)}.
     *
     * @param <T>     the result type
     * @param fs      the futures or tasks; duplicates count once
     * @param seconds the time allowed for all of them, in seconds
     * @return the single-use iteration
     * @throws IllegalArgumentException if {@code seconds} is NaN
     * @throws NullPointerException     if {@code fs} or one of its elements is null
     * @throws IllegalStateException    if no loop runs here, or a future belongs to another loop
     */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Future<T>> fs, double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("asCompleted() timeout cannot be NaN");
        }
        return new AsCompleted<>(fs, seconds);
    }
}
