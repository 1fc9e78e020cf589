package org.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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

    private Asyncio() {
    }

    // ------------------------------------------------------------------------ run

    /**
     * Runs {@code main} as a task on a new event loop on this thread, and returns its result.
     * On exit, every task still pending is cancelled and waited for, and the loop is closed.
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
                loop.close();
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
    public static org.jasyncio.net.Connection openConnection(String host, int port) {
        return org.jasyncio.net.Streams.openConnection(host, port, org.jasyncio.net.StreamReader.DEFAULT_LIMIT);
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
    public static org.jasyncio.net.Server startServer(org.jasyncio.net.ClientHandler handler, String host, int port) {
        return org.jasyncio.net.Streams.startServer(handler, host, port, org.jasyncio.net.StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connects to the Unix domain socket at {@code path}. asyncio's
     * {@code asyncio.open_unix_connection(path)}.
     *
     * @param path the socket file
     * @return the reader and writer
     */
    public static org.jasyncio.net.Connection openUnixConnection(java.nio.file.Path path) {
        return org.jasyncio.net.Streams.openUnixConnection(path, org.jasyncio.net.StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Starts a Unix domain socket server at {@code path}. asyncio's
     * {@code asyncio.start_unix_server(client_connected_cb, path)}.
     *
     * @param handler the client handler
     * @param path    the socket file to create
     * @return the server, accepting
     */
    public static org.jasyncio.net.Server startUnixServer(org.jasyncio.net.ClientHandler handler, java.nio.file.Path path) {
        return org.jasyncio.net.Streams.startUnixServer(handler, path, org.jasyncio.net.StreamReader.DEFAULT_LIMIT);
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
