package org.jasyncio;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jasyncio.internal.strand.InterruptWatch;
import org.jasyncio.internal.strand.StrandBlockedException;
import org.jasyncio.internal.strand.StrandFactory;
import org.jasyncio.internal.strand.StrandPool;
import org.jasyncio.internal.strand.Strands;

/**
 * An event loop: one thread that runs callbacks, timers, I/O callbacks and the steps of
 * tasks, one at a time, in the order they became ready. asyncio's
 * {@code AbstractEventLoop}/{@code BaseEventLoop}.
 *
 * <p>Most code never touches a loop directly: {@link Asyncio#run(Coroutine)} creates one, and
 * {@link Asyncio#getRunningLoop()} returns the running one.
 *
 * <pre>{@code
 * EventLoop loop = new EventLoop();
 * loop.callLater(0.5, () -> System.out.println("half a second later"));
 * loop.callLater(1.0, loop::stop);
 * loop.runForever();
 * loop.close();
 * }</pre>
 *
 * <h2>Threads</h2>
 * Safe from any thread: {@link #callSoonThreadsafe}, {@link #execute},
 * {@link #runCoroutineThreadsafe}, {@link #stop()} (from another thread it is handed to the
 * loop, which it wakes), {@link #inEventLoop()}, {@link #isRunning()}, {@link #isClosed()},
 * {@link #time()}, {@link #dumpTasks()} and the debug-mode getters and durations. Every other
 * method is loop-only: while the loop runs, call it on the loop's thread or in one of its
 * tasks; from another thread it throws {@link IllegalStateException} before doing anything.
 * Before the loop runs, the thread setting it up may call them, as in asyncio.
 *
 * <h2>Life cycle</h2>
 * <table>
 *   <caption>States and the calls that move between them</caption>
 *   <tr><th>state</th><th>call</th><th>next state</th></tr>
 *   <tr><td>idle</td><td>{@link #runForever()}, {@link #runUntilComplete}</td><td>running</td></tr>
 *   <tr><td>running</td><td>{@link #stop()}: ends after the current iteration</td><td>idle</td></tr>
 *   <tr><td>idle</td><td>{@link #close()}</td><td>closed</td></tr>
 *   <tr><td>running</td><td>{@link #close()}</td><td>{@code IllegalStateException}</td></tr>
 *   <tr><td>closed</td><td>any scheduling or running call</td><td>{@code IllegalStateException}
 *       ("Event loop is closed"); {@code close()} again does nothing</td></tr>
 * </table>
 * A loop may run, stop and run again any number of times before it is closed.
 */
public final class EventLoop implements Executor, AutoCloseable {

    /*
     * Implementation overview.
     *
     * runOnce() is the whole scheduler and the only place callbacks are called (asyncio's
     * _run_once): (1) the select timeout is 0 if anything is ready, selected channels wait to
     * be handed out, or the loop is stopping; else the time to the nearest timer (through
     * Deadlines, whose arithmetic saturates; under virtual time VirtualClock.poll decides);
     * else forever. (2) IoPoller.poll selects and hands ready channels' callbacks to the ready
     * queue a slice at a time, then a slice of the Inbox (callSoonThreadsafe) is drained.
     * (3) TimerQueue.moveDue moves due timers; a ScheduleExplorer may reorder what arrived.
     * (4) Exactly the items ready when the iteration began run, FIFO: a Handle (run in its
     * context by Handle.runInItsContext), a Task whose step is due, or a due Sleep.SleepFuture
     * (ReadyItem is sealed over the three), timed by LoopDebug in debug mode or under JFR. An
     * escaping exception goes to the exception handler, except a fatal one (isFatal: asyncio's
     * SystemExit), which propagates out of runForever; its finally blocks leave the loop idle
     * and closable, and unrun items stay queued.
     *
     * The TaskList holds pending tasks strongly (asyncio's weak set would let an unreferenced
     * task vanish). `thread` is set while runForever runs; isForeignThread() recognises a
     * caller that must go through callSoonThreadsafe. On the virtual strand, tasks run on
     * threads of their own and count as on the loop through RunningLoops (StrandPool.turn),
     * which replaces a ThreadLocal that per-task ThreadLocals would hide.
     * Thread jobs live in DefaultExecutor and ExecutorJob; debug mode's state in LoopDebug.
     *
     * A wedged strand (virtual strand only): a task's strand blocked on a thread-owned lock
     * makes its resume throw StrandBlockedException; strandBlocked reports it once and keeps
     * the error in `wedged`. runReady stops before the next item and throws it, and every
     * later run throws again: resuming any other strand could run two at once.
     */

    private static final System.Logger LOG = System.getLogger("org.jasyncio");

    /** Ready work, FIFO; a task is queued as itself, at most once, so a step allocates nothing. */
    final ArrayDeque<ReadyItem> ready = new ArrayDeque<>(256);
    final TimerQueue timers = new TimerQueue();
    final IoPoller io;
    /** Where other threads leave callbacks. */
    final Inbox inbox;
    private final StrandPool strandPool;
    private final TaskList tasks = new TaskList();
    private final DefaultExecutor defaultExecutor = new DefaultExecutor(this);
    /** The virtual clock ({@link Runner.Builder#virtualTime}), or null for real time. */
    private final VirtualClock clock;
    /** The schedule perturbation ({@link Runner.Builder#scheduleSeed}), or null. */
    final ScheduleExplorer explorer;

    private volatile Thread thread;
    private volatile boolean closed;
    private boolean stopping;
    private long jobSequence;
    private boolean interruptedFromOutside;
    private Runnable interruptHandler;
    /** While running on the continuation strand: tells interrupts from outside from a task's own. */
    private InterruptWatch interruptWatch;
    private ExceptionHandler exceptionHandler;
    /** Set once a task's strand stayed blocked on a thread-owned lock; see {@link #strandBlocked}. */
    private IllegalStateException wedged;
    /** The future runUntilComplete waits for, or null. */
    private Future<?> awaited;

    /** The task whose step is running, or null. */
    Task<?> currentTask;
    /** Whether new tasks start eagerly; see {@link #setEagerTasks}. */
    boolean eagerTasks;
    /** The {@link Context} of the running callback or task step, or null between them. */
    Context currentContext;
    /** Reused for every callback run in a copy of its captured context (no allocation). */
    final Context callbackContext = new Context();
    /** The handle whose callback runs now in {@link #callbackContext}, else null. */
    Handle runningHandle;
    /** Reused for every step of a task that has no Context object of its own (see Task). */
    final Context taskContext = new Context();
    /** The values of {@link LoopLocal}s for this loop. */
    final ConcurrentHashMap<LoopLocal<?>, Object> locals = new ConcurrentHashMap<>(4);
    /** The thread jobs started and not finished (virtual time and the deadlock check look at them). */
    final Set<ExecutorJob<?>> threadJobs = ConcurrentHashMap.newKeySet();
    /** Loop futures bridged from CompletionStages and not done yet (loop only). */
    int pendingStages;
    /** This loop's management bean, made when it first runs (see {@link LoopMonitor}); else null. */
    LoopMonitor monitor;
    /** Whether debug mode is on; see {@link #setDebug}. Plain: read once per iteration by runReady. */
    boolean debug;
    /** Debug mode's and JFR's timing, watchdog slot, creation sites and deadlock timeout. */
    final LoopDebug debugging = new LoopDebug(this);
    /** The futures' exceptions not retrieved yet, oldest first: reported at close unless retrieved or collected first. */
    final Set<NeverRetrievedReporter> unretrieved = Collections.synchronizedSet(new LinkedHashSet<>());

    /**
     * Creates a loop, not yet running, with this JVM's strand kind. asyncio's {@code new_event_loop()}.
     *
     * @throws UncheckedIOException if the selector cannot be opened
     */
    public EventLoop() {
        this(null, null);
    }

    /** A loop with a virtual clock and a schedule explorer, each optional (null). */
    EventLoop(VirtualClock clock, ScheduleExplorer explorer) {
        this.clock = clock;
        this.explorer = explorer;
        this.strandPool = new StrandPool(Strands.factory());
        this.io = new IoPoller(this);
        this.inbox = new Inbox(this, io);
        this.debug = DebugMode.fromEnvironment(); // asyncio: self.set_debug(coroutines._is_debug_mode())
    }

    /** The loop running on this thread (or in this task's strand), or null. */
    static EventLoop runningOrNull() {
        return RunningLoops.current();
    }

    StrandFactory strands() {
        return strandPool.factory();
    }

    StrandPool strandPool() {
        return strandPool;
    }

    // ---------------------------------------------------------------- scheduling callbacks

    /**
     * Schedules {@code callback} to run on the next iteration, after the callbacks already
     * scheduled (FIFO), in a copy of the current {@link Context}. asyncio's {@code loop.call_soon(cb)}.
     *
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws NullPointerException  if {@code callback} is null
     * @throws IllegalStateException if the loop is closed, or from a foreign thread (use {@link #callSoonThreadsafe})
     */
    public Handle callSoon(Runnable callback) {
        return scheduleSoon(callback, null);
    }

    /**
     * {@link #callSoon(Runnable)} running {@code callback} in {@code context} (entered, so its
     * {@link ContextVar} changes stay there). asyncio's {@code loop.call_soon(cb, context=ctx)}.
     *
     * @param callback what to run
     * @param context  the context to run it in
     * @return a handle that can cancel it
     * @throws NullPointerException  if an argument is null (nothing is scheduled)
     * @throws IllegalStateException as {@link #callSoon(Runnable)}
     */
    public Handle callSoon(Runnable callback, Context context) {
        return scheduleSoon(callback, Objects.requireNonNull(context, "context"));
    }

    /** Queues a checked callback: in {@code context}, or if null in a copy of the current one. */
    private Handle scheduleSoon(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkOwner();
        Handle h = withContext(new Handle(this, callback), context);
        ready.add(h);
        return h;
    }

    /** Gives {@code h} {@code context}, or if null a copy of the current one's values. */
    private <H extends Handle> H withContext(H h, Context context) {
        if (context != null) {
            h.context = context;
        } else {
            h.values = capturedValues();
        }
        return h;
    }

    /** The context values a callback scheduled now runs with (a copy of the current context). */
    ContextMap capturedValues() {
        Context c = currentContext;
        return c != null ? c.values : Context.threadContext().values;
    }

    /** Appends an internal handle, or a task to step, to the ready queue; the caller is on the loop. */
    void schedule(ReadyItem h) {
        checkClosed();
        ready.add(h);
    }

    /**
     * {@link #callSoon} from any thread: it wakes the loop if it waits for I/O or timers.
     * asyncio's {@code loop.call_soon_threadsafe(cb)}. Callbacks run in submission order, a
     * slice of 1,024 per iteration so that due timers and I/O are not held back by a burst (a
     * deliberate difference: asyncio takes them all at once).
     *
     * @param callback what to run on the loop
     * @return a handle that can cancel it
     * @throws NullPointerException  if {@code callback} is null
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Handle h = new Handle(this, Objects.requireNonNull(callback, "callback"));
        h.values = Context.current().values;
        return inbox.submit(h);
    }

    /**
     * {@link #callSoonThreadsafe(Runnable)} running {@code callback} in {@code context}.
     * asyncio's {@code loop.call_soon_threadsafe(cb, context=ctx)}. Any thread.
     *
     * @param callback what to run on the loop
     * @param context  the context to run it in
     * @return a handle that can cancel it
     * @throws NullPointerException  if an argument is null (nothing is scheduled)
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback, Context context) {
        Handle h = new Handle(this, Objects.requireNonNull(callback, "callback"));
        h.context = Objects.requireNonNull(context, "context");
        return inbox.submit(h);
    }

    /**
     * Runs {@code command} on the loop: {@link #callSoonThreadsafe(Runnable)} as an
     * {@link Executor}, e.g. {@code stage.thenAcceptAsync(result -> ..., loop)}. Any thread.
     *
     * @param command what to run on the loop
     * @throws RejectedExecutionException if the loop is closed
     * @throws NullPointerException       if {@code command} is null
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        try {
            callSoonThreadsafe(command);
        } catch (IllegalStateException closed) {
            throw new RejectedExecutionException(closed.getMessage(), closed);
        }
    }

    /**
     * Schedules {@code callback} to run after {@code delaySeconds}; timers due together run in
     * scheduling order. asyncio's {@code loop.call_later}. Zero, negative or {@code -Infinity}
     * runs it on the next iteration; {@code Infinity} never comes due.
     *
     * @param delaySeconds the delay, in seconds
     * @param callback     what to run
     * @return a handle that can cancel it
     * @throws NullPointerException     if {@code callback} is null
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException    as {@link #callSoon(Runnable)}
     */
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return scheduleLater(Deadlines.toNanos(checkTime(delaySeconds)), callback, null);
    }

    /**
     * {@link #callLater(double, Runnable)} running {@code callback} in {@code context}.
     * asyncio's {@code loop.call_later(delay, cb, context=ctx)}.
     *
     * @param delaySeconds the delay, in seconds
     * @param callback     what to run
     * @param context      the context to run it in
     * @return a handle that can cancel it
     * @throws NullPointerException     if {@code callback} or {@code context} is null
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException    as {@link #callSoon(Runnable)}
     */
    public TimerHandle callLater(double delaySeconds, Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(context, "context");
        return scheduleLater(Deadlines.toNanos(checkTime(delaySeconds)), callback, context);
    }

    /**
     * {@link #callLater(double, Runnable)} with a {@link Duration}: zero or negative runs it on
     * the next iteration; one beyond the clock's range (about 292 years) never comes due.
     *
     * @param delay    the delay
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException as {@link #callSoon(Runnable)}
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        return scheduleLater(Deadlines.toNanos(Objects.requireNonNull(delay, "delay")), callback, null);
    }

    /**
     * {@link #callLater(Duration, Runnable)} running {@code callback} in {@code context}.
     *
     * @param delay    the delay
     * @param callback what to run
     * @param context  the context to run it in
     * @return a handle that can cancel it
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException as {@link #callSoon(Runnable)}
     */
    public TimerHandle callLater(Duration delay, Runnable callback, Context context) {
        Objects.requireNonNull(context, "context");
        return scheduleLater(Deadlines.toNanos(Objects.requireNonNull(delay, "delay")), callback, context);
    }

    /**
     * Schedules {@code callback} at loop time {@code when} (see {@link #time()}); a past
     * {@code when} runs it on the next iteration, {@code Infinity} never. asyncio's {@code loop.call_at}.
     *
     * @param when     the loop time, in seconds
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws NullPointerException     if {@code callback} is null
     * @throws IllegalArgumentException if {@code when} is NaN
     * @throws IllegalStateException    as {@link #callSoon(Runnable)}
     */
    public TimerHandle callAt(double when, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return scheduleTimer(Deadlines.atLoopTime(checkTime(when)), callback, null);
    }

    /** A timer {@code delayNanos} from now, jittered by who sets it under schedule exploration. */
    private TimerHandle scheduleLater(long delayNanos, Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback"); // before the explorer draws any jitter for it
        Object source = currentTask != null ? currentTask : callback;
        return scheduleTimer(deadlineAfter(delayNanos, source), callback, context);
    }

    /** Adds a checked timer; the owner check comes before any state changes. */
    private TimerHandle scheduleTimer(long deadline, Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkOwner();
        return addTimer(withContext(new TimerHandle(this, callback, deadline), context));
    }

    private static double checkTime(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("a delay or deadline cannot be NaN");
        }
        return seconds;
    }

    /**
     * {@return the loop's monotonic clock, in seconds from an arbitrary origin} From 0 under
     * {@linkplain Runner.Builder#virtualTime virtual time}. asyncio's {@code loop.time()}. Any thread.
     */
    public double time() {
        return nanoTime() / 1e9;
    }

    /** Whether the loop runs on a virtual clock. */
    boolean isVirtualTime() {
        return clock != null;
    }

    /** The loop's clock in nanoseconds: the deadline scale of every timer. */
    long nanoTime() {
        return clock == null ? System.nanoTime() : clock.now();
    }

    /**
     * The deadline {@code delayNanos} from now (saturated), jittered under schedule exploration
     * by {@code source}'s priority (the task or callback that sets the timer).
     */
    long deadlineAfter(long delayNanos, Object source) {
        long deadline = Deadlines.after(nanoTime(), delayNanos);
        return explorer == null ? deadline : Deadlines.add(deadline, explorer.jitter(delayNanos, source));
    }

    long nextJobSequence() {
        return jobSequence++;
    }

    /** Wakes the loop if it blocks in select; any thread. */
    void wakeup() {
        io.wakeup();
    }

    <H extends TimerHandle> H addTimer(H timer) {
        checkOwner();
        timers.add(timer);
        return timer;
    }

    void timerCancelled() {
        timers.cancelledOne();
    }

    // ------------------------------------------------------------------------ tasks

    /**
     * {@return a new pending future bound to this loop} asyncio's {@code loop.create_future()}.
     *
     * @param <T> the result type
     */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /**
     * Wraps {@code coro} in a task of this loop; its first step runs on the next iteration (or
     * at once if {@linkplain #setEagerTasks eager}). asyncio's {@code loop.create_task(coro)}.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return the task
     * @throws NullPointerException  if {@code coro} is null
     * @throws IllegalStateException if the loop is closed, or called from a foreign thread
     */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return new Task<>(this, coro, null);
    }

    /**
     * {@link #createTask(Coroutine)} with a name.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @param name the task's name; null gives the default {@code Task-N}
     * @return the task
     * @throws NullPointerException  if {@code coro} is null
     * @throws IllegalStateException as {@link #createTask(Coroutine)}
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return new Task<>(this, coro, name);
    }

    /**
     * {@link #createTask(Coroutine, String)} running every step in {@code context} instead of
     * a copy of the current one. asyncio's {@code create_task(coro, context=ctx)}.
     *
     * @param <T>     the result type
     * @param coro    the coroutine
     * @param name    the task's name, or null
     * @param context the context the task runs in
     * @return the task
     * @throws NullPointerException  if {@code coro} or {@code context} is null (no task is made)
     * @throws IllegalStateException as {@link #createTask(Coroutine)}
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        return new Task<>(this, coro, name, Objects.requireNonNull(context, "context"));
    }

    /**
     * Makes tasks created from now on, while this loop runs, run their first step inside
     * {@code createTask} until they first suspend. asyncio's
     * {@code loop.set_task_factory(asyncio.eager_task_factory)}.
     *
     * @param eager true for eager tasks, false for asyncio's default
     * @throws IllegalStateException if the loop is closed, or called from a foreign thread
     */
    public void setEagerTasks(boolean eager) {
        checkOwner();
        this.eagerTasks = eager;
    }

    /** {@return whether new tasks start eagerly} See {@link #setEagerTasks}. */
    public boolean isEagerTasks() {
        return eagerTasks;
    }

    void register(Task<?> task) {
        tasks.add(task);
    }

    void unregister(Task<?> task) {
        tasks.remove(task);
    }

    /** How many tasks are not done; any thread, possibly a moment old from another. */
    int taskCount() {
        return tasks.size();
    }

    /** The thread running the loop, or null when it does not run. */
    Thread thread() {
        return thread;
    }

    /**
     * The loop's pending tasks as a table, one row per task, oldest first: its id, name, state
     * ({@code running}, {@code waiting}, {@code ready}, {@code not started}, with
     * {@code cancelling}), the user's frame where it waits, what it waits on ({@code Queue.get},
     * {@code sleep 2.5 s}, {@code Lock held by Task-7}, {@code gather of Task-2, Task-3}, ...),
     * and the tasks awaiting it. asyncio 3.14's {@code python -m asyncio ps PID} for one loop
     * ({@code ./jasyncio ps PID} prints it for every loop of a JVM). Any thread: from another
     * one it is made on the loop, or, if the loop does not answer within a second, read from
     * the calling thread, marked as possibly inconsistent and followed by the loop's stack.
     *
     * @return the table, lines ending with {@code \n}
     */
    public String dumpTasks() {
        return TaskDump.dump(this, false);
    }

    /**
     * The loop's pending tasks as a tree, each under the tasks that await it (through
     * {@code await}, {@code gather}, {@code wait}, {@code waitFor}, {@code shield},
     * {@code asCompleted} or a {@link TaskGroup}), with the columns of {@link #dumpTasks()}. A
     * cycle in the await graph, which asyncio refuses to draw, is listed first as
     * {@code Task-1 -> Task-2 -> Task-1 (cycle)} and drawn with its closing edge marked.
     * asyncio 3.14's {@code python -m asyncio pstree PID} for one loop. Any thread, as {@link #dumpTasks()}.
     *
     * @return the tree, lines ending with {@code \n}
     */
    public String dumpTaskTree() {
        return TaskDump.dump(this, true);
    }

    /** {@return a snapshot of this loop's tasks not done yet, oldest first} asyncio's {@code all_tasks(loop)}. */
    public Set<Task<?>> allTasks() {
        return tasks.snapshot();
    }

    /** {@return the task running on this loop now, or null in a plain callback} asyncio's {@code current_task(loop)}. */
    public Task<?> currentTask() {
        return currentTask;
    }

    // ------------------------------------------------------------------------ running

    /**
     * Runs the loop until {@link #stop()} is called. asyncio's {@code loop.run_forever()}.
     *
     * <p>A {@link VirtualMachineError} thrown by a callback, a task or an exception handler is
     * not reported: it stops the loop and is thrown unchanged, as asyncio re-raises
     * {@code SystemExit} (a task it escaped from is done with it first). The loop is then idle
     * and may run again or close; callbacks not yet run stay queued. On the virtual strand, a
     * task blocked for about a second on a thread-owned lock ({@code synchronized},
     * {@code ReentrantLock}) is reported through the exception handler and ends the run with an
     * {@link IllegalStateException} stating the rule (use {@link org.jasyncio.sync.Lock}); the
     * loop can then only be closed. A deliberate difference: asyncio hangs for good there.
     *
     * @throws IllegalStateException if the loop is closed or already running, another loop
     *                               runs on this thread, or a task's strand stayed blocked on
     *                               a thread-owned lock (now or in an earlier run)
     * @throws VirtualMachineError   a fatal error thrown on the loop, as it was thrown
     */
    public void runForever() {
        checkCanRun();
        thread = Thread.currentThread();
        RunningLoops.enter(this);
        LoopMonitor.started(this);
        interruptWatch = strandPool.factory().runsOnLoopThread() ? InterruptWatch.start() : null;
        try {
            if (debug) {
                debugging.watch(true);
            }
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            debugging.watch(false);
            LoopMonitor.stopped(this);
            stopping = false;
            thread = null;
            RunningLoops.exit();
            if (interruptWatch != null) {
                interruptWatch.stop();
                interruptWatch = null;
            }
            if (interruptedFromOutside) {
                interruptedFromOutside = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /** asyncio's _check_closed and _check_running. */
    private void checkCanRun() {
        checkClosed();
        if (wedged != null) {
            throw new IllegalStateException("This event loop is unusable since a task stayed blocked on a thread-owned"
                    + " lock (see the cause); it can only be closed", wedged);
        }
        if (thread != null) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (runningOrNull() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running on this thread");
        }
    }

    /**
     * Runs the loop until {@code future} is done, and returns its result (or throws its
     * exception, unchanged). asyncio's {@code loop.run_until_complete(future)}.
     *
     * @param <T>    the result type
     * @param future the future to wait for; must belong to this loop
     * @return its result
     * @throws NullPointerException  if {@code future} is null
     * @throws IllegalStateException if the future belongs to another loop, the loop stopped
     *                               before it was done, or as {@link #runForever()}
     * @throws DeadlockException     in debug mode, if nothing could ever complete it (see
     *                               {@link #setDeadlockTimeout(Duration)})
     * @throws VirtualMachineError   a fatal error thrown on the loop (see {@link #runForever()})
     */
    public <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkCanRun();
        if (future.loop != this) {
            throw new IllegalStateException("The future belongs to a different loop than the one given to runUntilComplete()");
        }
        Consumer<Future<T>> stopper = f -> stop();
        future.addDoneCallback(stopper);
        awaited = future;
        try {
            runForever();
        } catch (Throwable fatal) {
            // A fatal error that is the future's own exception reaches the caller here: it
            // counts as retrieved (asyncio consumes it the same way for a task it made).
            if (future.state == Future.FINISHED && future.exception == fatal) {
                future.markRetrieved();
            }
            throw fatal;
        } finally {
            awaited = null;
            future.removeDoneCallback(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    /**
     * Wraps {@code coro} in a task and runs the loop until it is done. asyncio's
     * {@code loop.run_until_complete(coro)}. A refused call (loop closed or running) makes no task.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return its result
     * @throws NullPointerException  if {@code coro} is null
     * @throws IllegalStateException as {@link #runUntilComplete(Future)}
     * @throws VirtualMachineError   a fatal error thrown on the loop (see {@link #runForever()})
     */
    public <T> T runUntilComplete(Coroutine<T> coro) {
        Objects.requireNonNull(coro, "coro");
        checkCanRun();
        return runUntilComplete(createTask(coro));
    }

    /**
     * Asks the loop to stop: {@link #runForever()} returns after the current iteration (after
     * one, if called before it runs). asyncio's {@code loop.stop()}. Any thread.
     */
    public void stop() {
        if (isForeignThread()) {
            try {
                callSoonThreadsafe(() -> stopping = true);
            } catch (IllegalStateException closedMeanwhile) {
                // A closed loop is stopped already.
            }
            return;
        }
        stopping = true;
    }

    /** {@return whether {@link #runForever()} runs} asyncio's {@code loop.is_running()}; any thread. */
    public boolean isRunning() {
        return thread != null;
    }

    /** {@return whether {@link #close()} was called} asyncio's {@code loop.is_closed()}; any thread. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: reports tasks still pending and exceptions of futures never retrieved
     * through the exception handler (asyncio reports the latter only when the collector finds
     * the future), runs the {@link LoopLocal} close actions, drops callbacks and timers, closes
     * the selector. Idempotent. asyncio's {@code loop.close()}.
     *
     * @throws IllegalStateException if the loop is running
     * @throws VirtualMachineError   if the exception handler threw one; the loop is closed all the same
     */
    @Override
    public void close() {
        if (thread != null) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        try {
            tasks.forEachNewestFirst(t ->
                    callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending!", null, t, t, null)));
            NeverRetrievedReporter.reportAtClose(this);
            LoopLocal.closeAll(this);
        } finally {
            LoopMonitor.stopped(this);
            closed = true; // even if the handler threw a fatal error: close() then rethrows it
            defaultExecutor.closeNow();
            for (ReadyItem item : ready) {
                if (item instanceof Handle h) {
                    h.dropped(); // e.g. a report or a runCoroutineThreadsafe start drained before a fatal error
                }
            }
            ready.clear();
            timers.clear();
            inbox.dropAll();
            StageBridge.loopClosed(this); // fails the futures of runCoroutineThreadsafe tasks destroyed pending
            strandPool.close();
            io.close();
        }
    }

    /** The exception thrown by any use of a closed loop. */
    static IllegalStateException closedError() {
        return new IllegalStateException("Event loop is closed");
    }

    void checkClosed() {
        if (closed) {
            throw closedError();
        }
    }

    /** Refuses a loop-only call when the loop is closed or the caller is a foreign thread. */
    void checkOwner() {
        checkClosed();
        if (isForeignThread()) {
            throw new IllegalStateException("Non-thread-safe operation invoked on an event loop from another thread;"
                    + " use callSoonThreadsafe() or runCoroutineThreadsafe() from other threads");
        }
    }

    /** Whether the caller is neither the running loop's thread nor one of its tasks; false while idle. */
    boolean isForeignThread() {
        Thread owner = thread;
        return owner != null && owner != Thread.currentThread() && runningOrNull() != this;
    }

    /** Rejects a loop-only {@code operation} from a foreign thread before it touches anything. */
    void checkThread(String operation) {
        Thread owner = thread; // read once: the loop may stop (thread = null) while this runs
        if (owner != null && owner != Thread.currentThread() && runningOrNull() != this) {
            throw new IllegalStateException(operation + " was called from thread \"" + Thread.currentThread().getName()
                    + "\" while " + this + " runs on thread \"" + owner.getName() + "\": it is loop-only;"
                    + " from another thread, use loop.callSoonThreadsafe(() -> ...) to run it on the loop");
        }
    }

    /**
     * {@return whether the caller runs on this loop: its thread, or one of its tasks} Netty's
     * {@code inEventLoop()}; asyncio compares {@code get_running_loop()}. Any thread.
     */
    public boolean inEventLoop() {
        return runningOrNull() == this;
    }

    /** Keeps an interrupt from outside for the caller: restored when {@link #runForever()} returns. */
    void keepInterrupt() {
        interruptedFromOutside = true;
    }

    /** Sets the action run when the loop thread is interrupted from outside (asyncio's Ctrl-C). */
    void setInterruptHandler(Runnable handler) {
        this.interruptHandler = handler;
    }

    /** One iteration of the scheduler: asyncio's {@code _run_once}. See the class comment. */
    void runOnce() {
        if (interruptWatch != null ? interruptWatch.takeOutsideInterrupt() : Thread.interrupted()) {
            onInterruptFromOutside();
        }
        int from = ready.size();
        if (from > 0 || stopping || io.hasPendingKeys()) {
            io.poll(0, ready, inbox);
        } else if (explorer != null && explorer.holdsJobs() && (clock == null || timers.isEmpty())) {
            io.poll(ScheduleExplorer.HELD_JOBS_POLL_NANOS, ready, inbox); // until the jobs' results are handed out
        } else if (timers.isEmpty()) {
            pollWithoutTimers(from);
        } else if (clock == null) {
            io.poll(Deadlines.remaining(timers.firstDeadline(), System.nanoTime()), ready, inbox);
        } else {
            clock.poll(this, from);
        }
        int ioEnd = ready.size();
        inbox.drainTo(ready);
        if (explorer != null) {
            explorer.releaseJobs(this, ready);
        }
        int inboxEnd = ready.size();
        if (!timers.isEmpty()) {
            timers.moveDue(nanoTime(), ready);
        }
        if (explorer != null) {
            explorer.reorder(ready, from, ioEnd, inboxEnd);
        }
        if (interruptWatch != null) {
            interruptWatch.beforeSteps(io.blockingSelects());
        }
        runReady();
    }

    /**
     * Nothing ready and no timer that will come due: blocks until I/O or another thread wakes
     * the loop. In debug mode, when nothing at all could wake it (no channel watched, no
     * thread job, no bridged CompletionStage pending) while runUntilComplete waits, it waits
     * the deadlock timeout for a cross-thread call, then throws the deadlock report.
     */
    void pollWithoutTimers(int from) {
        if (!(debug && awaited != null && io.watchesNothing() && threadJobs.isEmpty() && pendingStages == 0)) {
            io.poll(-1, ready, inbox);
            return;
        }
        long wait = debugging.deadlockTimeoutNanos;
        io.poll(wait, ready, inbox);
        if (ready.size() == from && inbox.isEmpty() && !io.hasPendingKeys() && threadJobs.isEmpty() && !awaited.done()) {
            throw DeadlockReport.of(this, awaited, wait);
        }
    }

    private void runReady() {
        ArrayDeque<ReadyItem> q = ready;
        boolean timed = debugging.timed(); // out of debug mode and JFR recording: no clock read per item
        try {
            for (int n = q.size(); n > 0; n--) {
                ReadyItem item = q.poll();
                if (timed) {
                    debugging.runTimed(item);
                } else {
                    run(item);
                }
                if (wedged != null) {
                    throw wedged; // not one more item: resuming any strand could run it next to the blocked one
                }
            }
        } finally {
            currentContext = null; // also when a fatal error or a blocked strand ends the iteration early
        }
    }

    /** Runs one ready item: a task's step, a callback unless cancelled, or a due sleep's wake-up. */
    void run(ReadyItem item) {
        switch (item) {
            case Task<?> task -> {
                try {
                    task.step(); // installs the task's own context
                } catch (Throwable t) {
                    if (isFatal(t)) {
                        throw t;
                    }
                    if (t != wedged) {
                        callExceptionHandler(new ExceptionContext("Exception in the step of " + task, t, task,
                                task, null));
                    }
                }
            }
            case Handle h -> {
                if (!h.cancelled) {
                    h.runInItsContext();
                }
            }
            case Sleep.SleepFuture sleep -> sleep.wake(); // a due sleep: its own timer (see Sleep)
        }
    }

    /** Whether {@code t} stops the loop instead of being reported (asyncio's SystemExit). */
    static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError;
    }

    /**
     * Called when resuming {@code task}'s strand failed with {@code e} (virtual strand): reports
     * it once and makes the loop unusable; returns the error the caller and runForever throw.
     */
    IllegalStateException strandBlocked(Task<?> task, StrandBlockedException e) {
        if (wedged == null) {
            wedged = StrandBlockedReport.of(this, task, e);
            callExceptionHandler(new ExceptionContext(wedged.getMessage(), e, task, task, null));
        }
        return wedged;
    }

    /** Whether {@link #strandBlocked} made this loop unusable. */
    boolean isWedged() {
        return wedged != null;
    }

    private void onInterruptFromOutside() {
        Runnable handler = interruptHandler;
        if (handler != null) {
            handler.run();
        } else {
            interruptedFromOutside = true;
            stop();
        }
    }

    // ------------------------------------------------------------------------ I/O readiness

    /**
     * Calls {@code callback} whenever {@code channel} is readable (or accepting), until
     * {@link #removeReader}; replaces its reader; makes it non-blocking. asyncio's {@code loop.add_reader}.
     *
     * @param channel  the channel
     * @param callback what to run, on the loop, when it is readable
     * @return the handle scheduled on readiness
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if the loop is closed, or called from a foreign thread
     */
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        return watch(channel, Objects.requireNonNull(callback, "callback"), IoRegistration.READ);
    }

    /**
     * Stops watching {@code channel} for reading. asyncio's {@code loop.remove_reader}.
     *
     * @param channel the channel
     * @return whether a reader was set
     * @throws NullPointerException  if {@code channel} is null
     * @throws IllegalStateException as {@link #addReader}
     */
    public boolean removeReader(SelectableChannel channel) {
        return watch(channel, null, IoRegistration.READ) != null;
    }

    /**
     * {@link #addReader} for writability (or a completed connect). asyncio's {@code loop.add_writer}.
     *
     * @param channel  the channel
     * @param callback what to run, on the loop, when it is writable
     * @return the handle scheduled on readiness
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException as {@link #addReader}
     */
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        return watch(channel, Objects.requireNonNull(callback, "callback"), IoRegistration.WRITE);
    }

    /**
     * Stops watching {@code channel} for writing. asyncio's {@code loop.remove_writer}.
     *
     * @param channel the channel
     * @return whether a writer was set
     * @throws NullPointerException  if {@code channel} is null
     * @throws IllegalStateException as {@link #addReader}
     */
    public boolean removeWriter(SelectableChannel channel) {
        return watch(channel, null, IoRegistration.WRITE) != null;
    }

    /** Sets {@code channel}'s {@code slot} to run {@code callback}, or clears it if null; returns the new or the removed handle. */
    private Handle watch(SelectableChannel channel, Runnable callback, int slot) {
        Objects.requireNonNull(channel, "channel");
        checkOwner();
        return io.set(channel, slot, callback == null ? null : withContext(new Handle(this, callback), null));
    }

    // ------------------------------------------------------------------------ threads

    /**
     * Runs {@code job} on {@code executor} (the default executor if null) and returns a loop
     * future of its result or exception (unchanged). asyncio's {@code loop.run_in_executor}.
     * Cancelling the future cancels the job: one not started never runs; a running one's
     * thread is interrupted (only while it runs this job) and its outcome dropped.
     *
     * @param <T>      the result type
     * @param executor where to run it; null means the default executor
     * @param job      the blocking work
     * @return a future of the job's result, bound to this loop
     * @throws NullPointerException       if {@code job} is null
     * @throws IllegalStateException      if the default executor was shut down (asyncio's
     *                                    "Executor shutdown has been called"), the loop is
     *                                    closed, or from a foreign thread
     * @throws RejectedExecutionException if {@code executor} refuses the job
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> job) {
        Objects.requireNonNull(job, "job");
        checkOwner();
        return defaultExecutor.submit(executor, job);
    }

    /**
     * Makes {@code executor} the default for {@link #runInExecutor} and {@link Asyncio#toThread};
     * the loop shuts it down on {@link #shutdownDefaultExecutor} and {@link #close()}.
     * asyncio's {@code loop.set_default_executor}.
     *
     * @param executor the new default
     * @throws NullPointerException  if {@code executor} is null
     * @throws IllegalStateException if the loop is closed, or from a foreign thread
     */
    public void setDefaultExecutor(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        checkOwner();
        defaultExecutor.set(executor);
    }

    /**
     * Shuts the default executor down; the future is done when its running jobs have finished.
     * Later {@code runInExecutor(null, ...)} calls throw. asyncio's {@code loop.shutdown_default_executor()}.
     *
     * @return a future of the completed shutdown
     * @throws IllegalStateException if the loop is closed, or from a foreign thread
     */
    public Future<Void> shutdownDefaultExecutor() {
        return shutdownDefaultExecutor(Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #shutdownDefaultExecutor()} waiting at most {@code timeoutSeconds}, then logging a
     * warning. asyncio's {@code shutdown_default_executor(timeout)}.
     *
     * @param timeoutSeconds how long to wait for running jobs, in seconds
     * @return a future of the completed (or abandoned) shutdown
     * @throws IllegalStateException if the loop is closed, or from a foreign thread
     */
    public Future<Void> shutdownDefaultExecutor(double timeoutSeconds) {
        checkOwner();
        return defaultExecutor.shutdown(timeoutSeconds);
    }

    /**
     * {@link #shutdownDefaultExecutor(double)} with a {@link Duration}; a huge one saturates.
     *
     * @param timeout how long to wait for running jobs
     * @return a future of the completed (or abandoned) shutdown
     * @throws NullPointerException  if {@code timeout} is null
     * @throws IllegalStateException if the loop is closed, or from a foreign thread
     */
    public Future<Void> shutdownDefaultExecutor(Duration timeout) {
        return shutdownDefaultExecutor(Deadlines.toNanos(Objects.requireNonNull(timeout, "timeout")) / 1e9);
    }

    /**
     * Closes every {@link AsyncGenerator} started on this loop and not finished: a task that
     * runs their {@link AsyncGenerator#aclose()} concurrently and reports each failure but a
     * cancellation. asyncio's {@code loop.shutdown_asyncgens()}. Deliberate differences: they
     * close in the order they first ran (asyncio's set has none), {@code Error}s are reported
     * too, and the message names the generator.
     *
     * @return the task, done when every generator is closed; it runs from the next iteration
     * @throws IllegalStateException if the loop is closed, or called from a foreign thread
     */
    public Future<Void> shutdownAsyncgens() {
        checkOwner();
        return AsyncGeneratorHooks.shutdown(this);
    }

    /** Queues {@code h} from any thread, as callSoonThreadsafe; {@link Handle#dropped()} if the loop closes first. */
    void submitThreadsafe(Handle h) {
        inbox.submit(h);
    }

    /**
     * Runs {@code coro} as a task of this loop, from any thread; the returned future completes
     * with its result, exception (unchanged) or cancellation, and cancelling it cancels the
     * task. asyncio's {@code run_coroutine_threadsafe(coro, loop)}; never block on it on the
     * loop's thread. A deliberate difference: the future always completes (asyncio's may stay
     * pending): if the loop closes before the task starts or finishes, or {@link Asyncio#run}
     * is past cancelling its leftover tasks, it fails with an {@link IllegalStateException}.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return a future completed on the loop
     * @throws NullPointerException  if {@code coro} is null
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coro) {
        Objects.requireNonNull(coro, "coro");
        CompletableFuture<T> result = new CompletableFuture<>();
        inbox.submit(StageBridge.taskStarter(this, coro, result));
        return result;
    }

    // ------------------------------------------------------------------------ debug mode

    /**
     * Turns debug mode on or off. asyncio's {@code loop.set_debug}. A new loop starts in debug
     * mode when the system property {@code jasyncio.debug} is {@code true}, or, with it unset,
     * when the environment variable {@code JASYNCIO_DEBUG} is set to anything but the empty
     * string, {@code 0} or {@code false} (asyncio's {@code PYTHONASYNCIODEBUG}). In debug mode:
     * a callback or task step running past the {@linkplain #setSlowCallbackDuration(Duration)
     * slow-callback duration} is logged at WARNING ({@link System.Logger} "org.jasyncio") with
     * its live stack while it runs, sampled by the daemon thread "jasyncio-watchdog", again at
     * each {@linkplain #setStallReportInterval stall-report interval}, and as asyncio's
     * "Executing ... took 0.250 seconds" when it returns; futures, tasks and callbacks remember
     * where they were created (their {@code toString()} and every report end with "created at"
     * and that frame); {@link #runUntilComplete} reports a {@link DeadlockException} (see
     * {@link #setDeadlockTimeout(Duration)}); on the continuation strand a task that suspends
     * while holding a {@code synchronized} monitor fails there with an
     * {@link IllegalStateException} naming it (about 0.1 ms per suspension). Out of debug mode
     * none of this costs anything per callback.
     *
     * @param enabled whether debug mode is on
     * @throws IllegalStateException if the loop is closed, or called from a foreign thread
     */
    public void setDebug(boolean enabled) {
        checkOwner();
        this.debug = enabled;
        if (thread != null) { // running, and checkOwner made sure this is the loop
            debugging.watch(enabled);
        }
    }

    /** {@return whether debug mode is on} asyncio's {@code loop.get_debug()}; any thread. */
    public boolean getDebug() {
        return debug;
    }

    /**
     * Sets how long a callback or task step may run before debug mode logs it (0.1 s by
     * default). asyncio's {@code loop.slow_callback_duration}. Any thread.
     *
     * @param seconds the duration, in seconds
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public void setSlowCallbackDuration(double seconds) {
        debugging.setSlowCallbackDuration(LoopDebug.seconds(seconds, "the slow-callback duration"));
    }

    /**
     * {@link #setSlowCallbackDuration(double)} with a {@link Duration}; a huge one saturates. Any thread.
     *
     * @param duration how long a callback or task step may run before debug mode logs it
     * @throws NullPointerException     if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void setSlowCallbackDuration(Duration duration) {
        debugging.setSlowCallbackDuration(duration);
    }

    /** {@return the slow-callback duration, in seconds} asyncio's {@code loop.slow_callback_duration}; any thread. */
    public double getSlowCallbackDuration() {
        return debugging.slowCallbackNanos / 1e9;
    }

    /**
     * Sets how often debug mode logs a callback or task step again, with a fresh stack, while
     * it keeps running past the slow-callback duration (2 s by default; zero logs it once).
     * No asyncio counterpart: asyncio reports a slow callback only after it returned. Any thread.
     *
     * @param interval the interval; zero turns the repeated reports off
     * @throws NullPointerException     if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public void setStallReportInterval(Duration interval) {
        debugging.setStallReportInterval(interval);
    }

    /** {@return the stall-report interval, zero if repeated reports are off} Any thread. */
    public Duration getStallReportInterval() {
        return Duration.ofNanos(debugging.stallReportNanos);
    }

    /**
     * Sets how long, in debug mode, {@link #runUntilComplete} lets the loop sit with its awaited
     * future pending and nothing that could wake a task (no callback ready, timer, watched
     * channel, running thread job or pending {@code CompletionStage} bridge) before it throws
     * {@link DeadlockException}: 1 s by default, in real time also under virtual time (the time
     * a thread of the program's own gets to call {@code callSoonThreadsafe}). No asyncio
     * counterpart: asyncio hangs there. Loop thread, or before the loop runs.
     *
     * @param timeout the timeout
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public void setDeadlockTimeout(Duration timeout) {
        debugging.setDeadlockTimeout(timeout);
    }

    /**
     * {@link #setDeadlockTimeout(Duration)} in seconds.
     *
     * @param seconds the timeout, in seconds
     * @throws IllegalArgumentException if {@code seconds} is not positive (or NaN)
     */
    public void setDeadlockTimeout(double seconds) {
        setDeadlockTimeout(LoopDebug.seconds(seconds, "the deadlock timeout"));
    }

    // ------------------------------------------------------------------------ errors

    /**
     * Sets the handler for exceptions nothing else can report; null restores the logging
     * default. asyncio's {@code loop.set_exception_handler}.
     *
     * @param handler the handler or null
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /** {@return the custom exception handler, or null for the default} asyncio's {@code loop.get_exception_handler()}. */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports {@code context} through the custom handler if set, else the default. What a
     * custom handler throws is logged, except a {@link VirtualMachineError}, which propagates.
     * asyncio's {@code loop.call_exception_handler(context)}.
     *
     * @param context what happened
     * @throws NullPointerException if {@code context} is null (the handler is not called)
     * @throws VirtualMachineError  if the handler threw one
     */
    public void callExceptionHandler(ExceptionContext context) {
        Objects.requireNonNull(context, "context");
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (Throwable t) {
            if (isFatal(t)) {
                throw t;
            }
            LOG.log(Level.ERROR, "Unhandled error in exception handler; context: " + context, t);
        }
    }

    /**
     * Logs the report at ERROR through {@link System.Logger} "org.jasyncio". asyncio's
     * {@code loop.default_exception_handler}.
     *
     * @param context what happened
     * @throws NullPointerException if {@code context} is null
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        Objects.requireNonNull(context, "context");
        LOG.log(Level.ERROR, context.describe(), context.exception());
    }

    // ------------------------------------------------------------------------ signals (SignalHandlers)

    /**
     * Runs {@code callback} on this loop whenever the process receives {@code sig}, replacing
     * this loop's earlier handler for it. asyncio's {@code loop.add_signal_handler(sig,
     * callback)}; bind arguments in the lambda. The callback runs as a callback of this loop
     * (never on the JVM's signal thread), in a copy of the context current when it was added,
     * the same copy each time, once per signal received; if the loop is not running then, it
     * runs when the loop next runs. An exception it throws goes to the exception handler.
     *
     * <p>{@code sig} is {@code "SIGINT"}, {@code "SIGTERM"} or {@code "SIGHUP"} (or the JVM's
     * names {@code "INT"}, {@code "TERM"}, {@code "HUP"}). While a handler for it exists, the
     * signal no longer ends the process (the JVM's default), and a handler for SIGINT takes
     * Ctrl-C from {@link Runner#run}. Closing the loop removes its handlers, as asyncio's
     * {@code close()} does. Differences from asyncio: any loop may add handlers, not only the
     * main thread's, and when several loops have one for the same signal, each runs its own; a
     * signal the process was started to ignore (SIGHUP under {@code nohup}, SIGINT in a
     * background job of a non-interactive shell) stays ignored, since the JVM does not let a
     * program catch it: the handler is kept but never runs.
     *
     * @param sig      the signal's name
     * @param callback what to run on the loop
     * @throws NullPointerException          if {@code sig} or {@code callback} is null
     * @throws IllegalArgumentException      if {@code sig} names no signal (asyncio's
     *                                       {@code ValueError})
     * @throws UnsupportedOperationException if it is a signal jasyncio does not handle
     *                                       ({@code SIGKILL}, {@code SIGUSR1}, ...), or the JVM
     *                                       refuses it (under {@code -Xrs}): asyncio's
     *                                       {@code RuntimeError}
     * @throws IllegalStateException         if the loop is closed, or from another thread while
     *                                       it runs (loop-only)
     */
    public void addSignalHandler(String sig, Runnable callback) {
        Objects.requireNonNull(callback, "callback"); // null checks first, as everywhere
        SignalHandlers.add(this, UnixSignal.named(sig), callback);
    }

    /**
     * {@link #addSignalHandler(String, Runnable)} with the signal's number: 1 (SIGHUP), 2
     * (SIGINT) or 15 (SIGTERM), the same on every POSIX system.
     *
     * @param sig      the signal's number
     * @param callback what to run on the loop
     * @throws NullPointerException          if {@code callback} is null
     * @throws IllegalArgumentException      if {@code sig} is not a signal number (below 1 or
     *                                       above 64)
     * @throws UnsupportedOperationException if it is a signal jasyncio does not handle, or the
     *                                       JVM refuses it
     * @throws IllegalStateException         as {@link #addSignalHandler(String, Runnable)}
     */
    public void addSignalHandler(int sig, Runnable callback) {
        Objects.requireNonNull(callback, "callback"); // null checks first, as everywhere
        SignalHandlers.add(this, UnixSignal.numbered(sig), callback);
    }

    /**
     * Removes this loop's handler for {@code sig}. asyncio's
     * {@code loop.remove_signal_handler(sig)}. Once no loop has a handler for it, the signal
     * gets what it got before (for SIGINT, Ctrl-C handling by a running {@link Runner#run};
     * else the JVM's default: the process ends).
     *
     * @param sig the signal's name, as for {@link #addSignalHandler(String, Runnable)}
     * @return true if a handler was removed, false if this loop had none for {@code sig}
     * @throws NullPointerException          if {@code sig} is null
     * @throws IllegalArgumentException      if {@code sig} names no signal
     * @throws UnsupportedOperationException if it is a signal jasyncio does not handle
     * @throws IllegalStateException         from another thread while the loop runs
     */
    public boolean removeSignalHandler(String sig) {
        return SignalHandlers.remove(this, UnixSignal.named(sig));
    }

    /**
     * {@link #removeSignalHandler(String)} with the signal's number.
     *
     * @param sig the signal's number
     * @return true if a handler was removed, false if this loop had none for {@code sig}
     * @throws IllegalArgumentException      if {@code sig} is not a signal number
     * @throws UnsupportedOperationException if it is a signal jasyncio does not handle
     * @throws IllegalStateException         from another thread while the loop runs
     */
    public boolean removeSignalHandler(int sig) {
        return SignalHandlers.remove(this, UnixSignal.numbered(sig));
    }

    @Override
    public String toString() {
        return "EventLoop[" + (closed ? "closed" : isRunning() ? "running" : "idle") + ", strand="
                + strands().name() + ", ready=" + ready.size() + ", timers=" + timers.size() + ", tasks=" + tasks.size() + "]";
    }
}
