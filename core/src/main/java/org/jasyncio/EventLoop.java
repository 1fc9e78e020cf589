package org.jasyncio;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
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
 * loop, which it wakes), {@link #inEventLoop()}, {@link #isRunning()}, {@link #isClosed()} and
 * {@link #time()}. Every other method is loop-only: while the loop runs, call it on the
 * loop's thread or in one of its tasks; from another thread it throws
 * {@link IllegalStateException} before doing anything. Before the loop runs, the thread
 * setting it up may call them, as in asyncio.
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
     * One iteration, runOnce(), is the whole scheduler and the only place callbacks are
     * called (asyncio's _run_once):
     *   1. the select timeout is 0 if a callback is ready, selected channels still wait to be
     *      handed out, or the loop is stopping; else the time to the nearest timer; else
     *      forever;
     *   2. IoPoller.poll selects (batching the selectNow syscall while callbacks are ready)
     *      and hands ready channels' callbacks to the ready queue, a slice at a time; then
     *      a slice of the inbox that other threads fill through callSoonThreadsafe is
     *      drained (Inbox.SLICE, oldest first; the poll does not wait while some are left);
     *   3. TimerQueue.moveDue moves due timers to the ready queue. Deadlines are nanoTime
     *      values computed, and the select timeout derived, only through Deadlines, whose
     *      arithmetic saturates instead of wrapping;
     *   4. exactly the items that were ready when the iteration began run, FIFO; what they
     *      schedule runs in the next iteration. An item is a Handle (a callback, run in its
     *      context by Handle.runInItsContext) or a Task whose next step is due (ReadyItem is
     *      sealed over the two). An exception escaping either goes to the exception handler
     *      and the loop keeps running, except a fatal one (isFatal: a VirtualMachineError, as
     *      asyncio's SystemExit/KeyboardInterrupt): a task is first done with it, then it
     *      propagates out of runReady, runOnce and runForever, whose finally blocks leave
     *      the loop idle (not running, current context cleared) and closable; the items not
     *      yet run stay queued for the next run, as asyncio's _ready deque keeps them.
     *
     * The loop holds every pending task strongly in a TaskList (asyncio's is a weak set), so
     * a task that nobody references still runs to completion. Ownership: `thread` is set
     * while runForever runs; isForeignThread() is how loop-only calls recognise a caller
     * that must go through callSoonThreadsafe. On the virtual-thread strand, tasks run on
     * threads of their own and bind RUNNING to the loop, so they count as on the loop.
     *
     * A wedged strand (virtual strand only): when a task's strand stays blocked on a
     * thread-owned lock, its resume throws StrandBlockedException; Task.step (or the async
     * generator step that resumed a body) hands it to strandBlocked, which reports it once and
     * records the error in `wedged`. runReady then stops before the next item and throws it
     * out of runForever, and every later runForever throws again: the blocked strand keeps the
     * turn, and resuming any other could let two run at once. Runner skips its clean-up
     * then; close() works as usual.
     */

    private static final System.Logger LOG = System.getLogger("org.jasyncio");
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();

    /**
     * Ready work, FIFO: {@link Handle}s, and {@link Task}s whose next step is due (a task is
     * queued as itself, at most once at a time, so a step costs no allocation).
     */
    private final ArrayDeque<ReadyItem> ready = new ArrayDeque<>(256);
    private final TimerQueue timers = new TimerQueue();
    private final IoPoller io;
    /** Where other threads leave callbacks; package-private so tests can see whether it is empty. */
    final Inbox inbox;
    private final StrandPool strandPool;
    private final TaskList tasks = new TaskList();
    private final DefaultExecutor defaultExecutor = new DefaultExecutor(this);

    private volatile Thread thread;
    private volatile boolean closed;
    private boolean stopping;
    private long timerSequence;
    private boolean interruptedFromOutside;
    private Runnable interruptHandler;
    private ExceptionHandler exceptionHandler;
    /**
     * Set when a task's strand stayed blocked on a thread-owned lock (the virtual strand's
     * detection, see {@link #strandBlocked}): the error {@link #runForever()} threw. From then
     * on the loop is unusable: it runs nothing again.
     */
    private IllegalStateException wedged;

    /** The task whose step is running, or null. */
    Task<?> currentTask;
    /** Whether new tasks start eagerly; see {@link #setEagerTasks}. */
    boolean eagerTasks;
    /**
     * The {@link Context} of the running callback or task step, or null between them. Only
     * the loop (and its tasks' strands) read and write it; see {@link Context}.
     */
    Context currentContext;
    /** Reused for every callback run in a copy of its captured context (no allocation). */
    final Context callbackContext = new Context();
    /** The handle whose callback runs now in {@link #callbackContext}, else null. */
    Handle runningHandle;

    /** Reused for every step of a task that has no Context object of its own (see Task). */
    final Context taskContext = new Context();
    /** The values of {@link LoopLocal}s for this loop. */
    final java.util.concurrent.ConcurrentHashMap<LoopLocal<?>, Object> locals = new java.util.concurrent.ConcurrentHashMap<>(4);

    /**
     * Creates a loop, not yet running, with the strand kind chosen for this JVM. asyncio's
     * {@code new_event_loop()}.
     *
     * @throws UncheckedIOException if the selector cannot be opened
     */
    public EventLoop() {
        this.strandPool = new StrandPool(Strands.factory());
        this.io = new IoPoller(this);
        this.inbox = new Inbox(this, io);
    }

    /** The loop running on this thread (or in this task's strand), or null. */
    static EventLoop runningOrNull() {
        return RUNNING.get();
    }

    /** Makes this loop the running one on the current thread (a virtual-thread strand). */
    void bindToCurrentThread() {
        if (RUNNING.get() != this) {
            RUNNING.set(this);
        }
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
     * scheduled (FIFO). asyncio's {@code loop.call_soon(cb)}.
     *
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws NullPointerException  if {@code callback} is null
     * @throws IllegalStateException if the loop is closed, or this is another thread than the
     *                               running loop's (use {@link #callSoonThreadsafe})
     */
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return scheduleSoon(callback, null);
    }

    /**
     * Like {@link #callSoon(Runnable)}, but runs {@code callback} in {@code context} (entered,
     * so its {@link ContextVar} changes stay in that context). asyncio's
     * {@code loop.call_soon(cb, context=ctx)}.
     *
     * @param callback what to run
     * @param context  the context to run it in
     * @return a handle that can cancel it
     * @throws NullPointerException  if {@code callback} or {@code context} is null (nothing is
     *                               scheduled)
     * @throws IllegalStateException as {@link #callSoon(Runnable)}
     */
    public Handle callSoon(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        return scheduleSoon(callback, requireContext(context));
    }

    /**
     * Queues a callback whose arguments were checked: in {@code context}, or if null in a copy
     * of the current one.
     */
    private Handle scheduleSoon(Runnable callback, Context context) {
        checkOwner();
        Handle h = new Handle(this, callback);
        if (context != null) {
            h.context = context;
        } else {
            h.values = capturedValues();
        }
        ready.add(h);
        return h;
    }

    /** The context values a callback scheduled now runs with (a copy of the current context). */
    ContextMap capturedValues() {
        Context c = currentContext;
        return c != null ? c.values : Context.threadContext().values;
    }

    private static Context requireContext(Context context) {
        if (context == null) {
            throw new NullPointerException("context");
        }
        return context;
    }

    /** Appends an internal handle, or a task to step, to the ready queue; the caller is on the loop. */
    void schedule(ReadyItem h) {
        if (closed) {
            throw closedError();
        }
        ready.add(h);
    }

    /**
     * Like {@link #callSoon}, but callable from any thread: it wakes the loop if it is
     * blocked waiting for I/O or timers. asyncio's {@code loop.call_soon_threadsafe(cb)}.
     * Callbacks from other threads run in the order they were submitted; the loop takes them
     * a slice (1,024) per iteration, so due timers and I/O are not held back until a whole
     * burst has run (asyncio takes them all at once: a deliberate difference).
     *
     * @param callback what to run on the loop
     * @return a handle that can cancel it
     * @throws NullPointerException  if {@code callback} is null
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        Handle h = new Handle(this, callback);
        h.values = Context.current().values;
        return inbox.submit(h);
    }

    /**
     * Runs {@code command} on the loop: {@link #callSoonThreadsafe(Runnable)} as a
     * {@link Executor}, so a loop can be handed to any API that takes one (for instance
     * {@code CompletableFuture.supplyAsync(work, pool).thenAcceptAsync(result -> ..., loop)}
     * brings a result back onto the loop). Safe from any thread.
     *
     * @param command what to run on the loop
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closed
     * @throws NullPointerException if {@code command} is null
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
     * {@link #callSoonThreadsafe(Runnable)} running {@code callback} in {@code context}.
     * asyncio's {@code loop.call_soon_threadsafe(cb, context=ctx)}.
     *
     * @param callback what to run on the loop
     * @param context  the context to run it in
     * @return a handle that can cancel it
     * @throws NullPointerException  if {@code callback} or {@code context} is null (nothing is
     *                               scheduled)
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        Handle h = new Handle(this, callback);
        h.context = requireContext(context);
        return inbox.submit(h);
    }

    /**
     * Schedules {@code callback} to run after {@code delaySeconds} seconds. Timers due at the
     * same time run in the order they were scheduled. asyncio's {@code loop.call_later}.
     * The deadline saturates as asyncio's float clock does: a delay of zero, negative or
     * {@code -Infinity} runs the callback on the next iteration, and a delay too large for the
     * clock (say {@code 1e300} or {@code Infinity}) never comes due.
     *
     * @param delaySeconds the delay, in seconds; zero or negative means as soon as possible
     * @param callback     what to run
     * @return a handle that can cancel it
     * @throws NullPointerException     if {@code callback} is null
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException    as {@link #callSoon(Runnable)}
     */
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkDelay(delaySeconds);
        return scheduleTimer(Deadlines.fromNow(delaySeconds), callback, null);
    }

    /**
     * {@link #callLater(double, Runnable)} running {@code callback} in {@code context}.
     * asyncio's {@code loop.call_later(delay, cb, context=ctx)}.
     *
     * @param delaySeconds the delay, in seconds
     * @param callback     what to run
     * @param context      the context to run it in
     * @return a handle that can cancel it
     * @throws NullPointerException     if {@code callback} or {@code context} is null (nothing
     *                                  is scheduled)
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException    as {@link #callSoon(Runnable)}
     */
    public TimerHandle callLater(double delaySeconds, Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        requireContext(context);
        checkDelay(delaySeconds);
        return scheduleTimer(Deadlines.fromNow(delaySeconds), callback, context);
    }

    /**
     * Schedules {@code callback} to run at loop time {@code when} (see {@link #time()}).
     * asyncio's {@code loop.call_at}. A {@code when} at or before now (down to
     * {@code -Infinity}) runs the callback on the next iteration; one beyond the clock's range
     * (up to {@code Infinity}) never comes due.
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
        checkDelay(when);
        return scheduleTimer(Deadlines.atLoopTime(when), callback, null);
    }

    /** Adds a timer whose arguments were checked; the owner check comes before any state changes. */
    private TimerHandle scheduleTimer(long deadline, Runnable callback, Context context) {
        checkOwner();
        TimerHandle h = new TimerHandle(this, callback, deadline, nextTimerSequence());
        if (context != null) {
            h.context = context;
        } else {
            h.values = capturedValues();
        }
        timers.add(h);
        return h;
    }

    /**
     * The loop's clock: monotonic seconds, on an arbitrary origin. asyncio's
     * {@code loop.time()}.
     *
     * @return the current loop time in seconds
     */
    public double time() {
        return System.nanoTime() / 1e9;
    }

    long nextTimerSequence() {
        return timerSequence++;
    }

    <H extends TimerHandle> H addTimer(H timer) {
        checkOwner();
        timers.add(timer);
        return timer;
    }

    void timerCancelled() {
        timers.cancelledOne();
    }

    private static void checkDelay(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("a delay or deadline cannot be NaN");
        }
    }

    // ------------------------------------------------------------------------ tasks

    /**
     * Creates a future bound to this loop. asyncio's {@code loop.create_future()}.
     *
     * @param <T> the result type
     * @return a new pending future
     */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /**
     * Wraps {@code coro} in a task scheduled on this loop; its first step runs on the next
     * iteration. asyncio's {@code loop.create_task(coro)}.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return the task
     * @throws NullPointerException  if {@code coro} is null
     * @throws IllegalStateException if the loop is closed, or this is another thread than the
     *                               running loop's
     */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return new Task<>(this, coro, null);
    }

    /**
     * Like {@link #createTask(Coroutine)}, with a name.
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
     * Makes tasks created from now on, while this loop runs, start eagerly: the new task's
     * first step runs synchronously inside {@code createTask}, until it first suspends; a task
     * that finishes without suspending is already done when {@code createTask} returns.
     * asyncio's {@code loop.set_task_factory(asyncio.eager_task_factory)}.
     *
     * @param eager true for eager tasks, false for asyncio's default (first step on the next
     *              iteration)
     */
    public void setEagerTasks(boolean eager) {
        checkOwner();
        this.eagerTasks = eager;
    }

    /**
     * Whether new tasks start eagerly; see {@link #setEagerTasks}.
     *
     * @return true if they do
     */
    public boolean isEagerTasks() {
        return eagerTasks;
    }

    /**
     * Like {@link #createTask(Coroutine, String)}, with the task running in {@code context}
     * instead of a copy of the current one. asyncio's {@code create_task(coro, context=ctx)}.
     *
     * @param <T>     the result type
     * @param coro    the coroutine
     * @param name    the task's name, or null
     * @param context the context every step of the task runs in
     * @return the task
     * @throws NullPointerException  if {@code coro} or {@code context} is null (no task is made)
     * @throws IllegalStateException as {@link #createTask(Coroutine)}
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        return new Task<>(this, coro, name, requireContext(context));
    }

    void register(Task<?> task) {
        tasks.add(task);
    }

    void unregister(Task<?> task) {
        tasks.remove(task);
    }

    /**
     * The tasks of this loop that are not done yet. asyncio's {@code all_tasks(loop)}.
     *
     * @return a snapshot, in creation order
     */
    public Set<Task<?>> allTasks() {
        return tasks.snapshot();
    }

    /**
     * The task running on this loop right now, or null (e.g. in a plain callback). asyncio's
     * {@code current_task(loop)}.
     *
     * @return the current task or null
     */
    public Task<?> currentTask() {
        return currentTask;
    }

    // ------------------------------------------------------------------------ running

    /**
     * Runs the loop until {@link #stop()} is called. asyncio's {@code loop.run_forever()}.
     *
     * <p>A {@link VirtualMachineError} (such as {@link OutOfMemoryError} or
     * {@link StackOverflowError}) thrown by a callback, a task or an exception handler is not
     * reported: it stops the loop at once and this method throws it unchanged, as asyncio's
     * {@code run_forever} re-raises {@code SystemExit} and {@code KeyboardInterrupt} (a task it
     * escaped from is done with it first). The loop is then idle and may be run again or
     * closed; callbacks not yet run in that iteration stay queued.
     *
     * <p>On the virtual strand, a task that stays blocked for about a second on a thread-owned
     * lock (entering a {@code synchronized} monitor, or acquiring a {@code ReentrantLock} or a
     * {@code ReentrantReadWriteLock}), most likely one that another suspended task of this
     * loop holds, ends the run: the loop reports it through the exception handler, then throws
     * an {@link IllegalStateException} that states the rule (never hold a thread-owned lock
     * across a suspension; use {@link org.jasyncio.sync.Lock}). The loop is unusable from then
     * on: every later run throws, and it can only be {@linkplain #close() closed}. A deliberate
     * difference: asyncio hangs for good in the same case (a {@code threading.Lock} held
     * across an {@code await}); see README.md's model section and docs/asyncio-mapping.md.
     *
     * @throws IllegalStateException if the loop is closed or already running, or another
     *                               loop runs on this thread; or if a task stayed blocked on
     *                               a thread-owned lock, as said above, now or in an earlier
     *                               run
     * @throws VirtualMachineError   a fatal error thrown on the loop, as it was thrown
     */
    public void runForever() {
        checkCanRun();
        thread = Thread.currentThread();
        RUNNING.set(this);
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            thread = null;
            RUNNING.remove();
            if (interruptedFromOutside) {
                interruptedFromOutside = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /** asyncio's _check_closed and _check_running: what every way of running the loop checks first. */
    private void checkCanRun() {
        checkClosed();
        if (wedged != null) {
            throw new IllegalStateException("This event loop is unusable since a task stayed blocked on a thread-owned"
                    + " lock (see the cause); it can only be closed", wedged);
        }
        if (thread != null) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (RUNNING.get() != null) {
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
     * @throws IllegalStateException if the loop is closed or already running, another loop
     *                               runs on this thread, the future belongs to another loop,
     *                               the loop stopped before the future was done, or for any
     *                               other reason {@link #runForever()} throws (a task blocked
     *                               on a thread-owned lock among them)
     * @throws VirtualMachineError   a fatal error thrown on the loop, as it was thrown (see
     *                               {@link #runForever()}), even if the future is not done
     */
    public <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkCanRun();
        if (future.loop != this) {
            throw new IllegalStateException("The future belongs to a different loop than the one given to runUntilComplete()");
        }
        java.util.function.Consumer<Future<T>> stopper = f -> stop();
        future.addDoneCallback(stopper);
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
            future.removeDoneCallback(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    /**
     * Wraps {@code coro} in a task and runs the loop until it is done. asyncio's
     * {@code loop.run_until_complete(coro)}. Like asyncio, it checks that the loop can run
     * before it creates the task, so a refused call leaves no task behind.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return its result
     * @throws NullPointerException  if {@code coro} is null
     * @throws IllegalStateException if the loop is closed or already running, another loop
     *                               runs on this thread, or the loop stopped before the task
     *                               was done
     * @throws VirtualMachineError   a fatal error thrown on the loop, as it was thrown (see
     *                               {@link #runForever()})
     */
    public <T> T runUntilComplete(Coroutine<T> coro) {
        Objects.requireNonNull(coro, "coro");
        checkCanRun();
        return runUntilComplete(createTask(coro));
    }

    /**
     * Asks the loop to stop: {@link #runForever()} returns after the current iteration (or,
     * if called before it runs, after one iteration). asyncio's {@code loop.stop()}.
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

    /**
     * asyncio's {@code loop.is_running()}.
     *
     * @return true while {@link #runForever()} runs
     */
    public boolean isRunning() {
        return thread != null;
    }

    /**
     * asyncio's {@code loop.is_closed()}.
     *
     * @return true once {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: drops pending callbacks and timers, closes the selector, and reports
     * tasks still pending through the exception handler. Idempotent. asyncio's
     * {@code loop.close()}.
     *
     * @throws IllegalStateException if the loop is running
     * @throws VirtualMachineError   if the exception handler threw one while reporting a
     *                               pending task; the loop is closed all the same
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
            locals.forEach((local, value) -> {
                try {
                    local.closeValue(value);
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable t) {
                    callExceptionHandler(ExceptionContext.of("Exception in the close action of " + local, t));
                }
            });
        } finally {
            // Closed even if the handler threw a fatal error: close() then rethrows it.
            closed = true;
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

    /**
     * Loop-only methods run on the loop, i.e. on its thread or in one of its tasks (which, on
     * the virtual-thread strand, run on threads of their own). Before the loop runs, the
     * thread that set it up may schedule callbacks, as in asyncio.
     */
    void checkOwner() {
        if (closed) {
            throw closedError();
        }
        if (isForeignThread()) {
            throw new IllegalStateException("Non-thread-safe operation invoked on an event loop from another thread;"
                    + " use callSoonThreadsafe() or runCoroutineThreadsafe() from other threads");
        }
    }

    /**
     * Whether the caller is another thread than the one running this loop (and not one of
     * its tasks). False while the loop does not run: then the thread setting it up owns it.
     */
    boolean isForeignThread() {
        Thread owner = thread;
        return owner != null && owner != Thread.currentThread() && RUNNING.get() != this;
    }

    /**
     * Rejects a loop-only {@code operation} made from a foreign thread while the loop runs,
     * before it touches anything, so nothing is half done and no wake-up is lost.
     */
    void checkThread(String operation) {
        Thread owner = thread; // read once: the loop may stop (thread = null) while this runs
        if (owner != null && owner != Thread.currentThread() && RUNNING.get() != this) {
            throw new IllegalStateException(operation + " was called from thread \"" + Thread.currentThread().getName()
                    + "\" while " + this + " runs on thread \"" + owner.getName() + "\": it is loop-only;"
                    + " from another thread, use loop.callSoonThreadsafe(() -> ...) to run it on the loop");
        }
    }

    /**
     * Whether the caller runs on this loop: on its thread while it runs, or in one of its
     * tasks (which on the virtual-thread strand run on threads of their own). Netty's
     * {@code inEventLoop()}; asyncio code compares {@code get_running_loop()} instead. Safe
     * from any thread.
     *
     * @return true on this loop's thread or in one of its tasks
     */
    public boolean inEventLoop() {
        return RUNNING.get() == this;
    }

    /**
     * Remembers an interrupt from outside without acting on it; the thread's interrupt status
     * is restored when {@link #runForever()} returns.
     */
    void keepInterrupt() {
        interruptedFromOutside = true;
    }

    /** Sets the action run when the loop thread is interrupted from outside (asyncio's Ctrl-C). */
    void setInterruptHandler(Runnable handler) {
        this.interruptHandler = handler;
    }

    /** One iteration of the scheduler: asyncio's {@code _run_once}. See the class comment. */
    void runOnce() {
        if (Thread.interrupted()) {
            onInterruptFromOutside();
        }
        long timeout;
        if (!ready.isEmpty() || stopping || io.hasPendingKeys()) {
            timeout = 0;
        } else if (!timers.isEmpty()) {
            timeout = Deadlines.remaining(timers.peek().deadline, System.nanoTime());
        } else {
            timeout = -1;
        }
        io.poll(timeout, ready, inbox);
        inbox.drainTo(ready);
        if (!timers.isEmpty()) {
            timers.moveDue(System.nanoTime(), ready);
        }
        runReady();
    }

    private void runReady() {
        ArrayDeque<ReadyItem> q = ready;
        try {
            for (int n = q.size(); n > 0; n--) {
                switch (q.poll()) {
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
                }
                if (wedged != null) {
                    // Not one more item: resuming any strand could run it next to the blocked one.
                    throw wedged;
                }
            }
        } finally {
            currentContext = null; // also when a fatal error or a blocked strand ends the iteration early
        }
    }

    /**
     * Whether {@code t} stops the loop instead of being reported: a {@link VirtualMachineError},
     * the JVM's counterpart of the {@code SystemExit} and {@code KeyboardInterrupt} that
     * asyncio re-raises out of {@code run_forever}.
     */
    static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError;
    }

    /**
     * Called when resuming {@code task}'s strand failed with {@code e}, on the virtual strand:
     * the strand stayed blocked on a thread-owned lock, most likely one a suspended task of
     * this loop holds (a deadlock: that task waits for the loop, which waits for the strand).
     * Reports it through the exception handler, with the stacks of the loop's suspended tasks
     * attached to {@code e} as suppressed exceptions (ThreadMXBean does not report virtual
     * threads, so the lock's owner cannot be named), and makes the loop unusable: the error
     * returned, which the caller throws, is also what {@link #runForever()} throws.
     *
     * @param task the task whose step (or whose async generator's body) was resumed
     * @param e    the strand's error
     * @return the error to throw
     */
    IllegalStateException strandBlocked(Task<?> task, StrandBlockedException e) {
        if (wedged != null) {
            return wedged;
        }
        StringBuilder suspended = new StringBuilder();
        for (Task<?> t : tasks.snapshot()) {
            StackTraceElement[] stack = t == task ? new StackTraceElement[0] : t.getStack();
            if (stack.length == 0) {
                continue;
            }
            Throwable where = new Throwable(t + " is suspended here");
            where.setStackTrace(stack);
            e.addSuppressed(where);
            suspended.append(suspended.isEmpty() ? "" : ", ").append(t);
        }
        String message = task + ": its strand has been blocked " + e.blockedOn() + " for about " + e.millis()
                + " ms while the loop waited for it. Another task of this loop most likely holds that lock and"
                + " suspended while holding it: that task waits for the loop, which waits for this one, for good. "
                + Strands.LOCK_RULE + ". The loop is unusable from now on (resuming any task could run it at the same"
                + " time as the blocked one): close it. Tasks of this loop suspended now"
                + (suspended.isEmpty() ? ": none" : " (their stacks are attached; the lock's owner is not named, since"
                + " ThreadMXBean does not report virtual threads): " + suspended);
        wedged = new IllegalStateException(message, e);
        callExceptionHandler(new ExceptionContext(message, e, task, task, null));
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
     * {@link #removeReader}. Replaces a reader already set for it. The channel is made
     * non-blocking. asyncio's {@code loop.add_reader(fd, cb)}.
     *
     * @param channel  the channel
     * @param callback what to run, on the loop, when it is readable
     * @return the handle scheduled on readiness
     */
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        return watch(channel, callback, IoRegistration.READ);
    }

    /**
     * Stops watching {@code channel} for reading. asyncio's {@code loop.remove_reader(fd)}.
     *
     * @param channel the channel
     * @return true if a reader was removed
     */
    public boolean removeReader(SelectableChannel channel) {
        return unwatch(channel, IoRegistration.READ);
    }

    /**
     * Calls {@code callback} whenever {@code channel} is writable (or has connected), until
     * {@link #removeWriter}. asyncio's {@code loop.add_writer(fd, cb)}.
     *
     * @param channel  the channel
     * @param callback what to run, on the loop, when it is writable
     * @return the handle scheduled on readiness
     */
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        return watch(channel, callback, IoRegistration.WRITE);
    }

    /**
     * Stops watching {@code channel} for writing. asyncio's {@code loop.remove_writer(fd)}.
     *
     * @param channel the channel
     * @return true if a writer was removed
     */
    public boolean removeWriter(SelectableChannel channel) {
        return unwatch(channel, IoRegistration.WRITE);
    }

    private Handle watch(SelectableChannel channel, Runnable callback, int slot) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        checkOwner();
        Handle h = new Handle(this, callback);
        h.values = capturedValues();
        return io.set(channel, slot, h);
    }

    private boolean unwatch(SelectableChannel channel, int slot) {
        Objects.requireNonNull(channel, "channel");
        checkOwner();
        return io.set(channel, slot, null) != null;
    }

    // ------------------------------------------------------------------------ threads

    /**
     * Runs {@code job} on {@code executor} (on the loop's default executor if null) and returns
     * a loop future of its result or exception (unchanged). The loop keeps running meanwhile.
     * asyncio's {@code loop.run_in_executor(executor, func)}.
     *
     * <p>Cancelling the returned future (for instance by cancelling the task awaiting it)
     * cancels the job: if it has not started, it never runs; if it is running, its worker
     * thread is interrupted (blocking calls such as {@code Thread.sleep} or
     * {@code Object.wait} then throw {@link InterruptedException}) and its outcome is dropped.
     * The interrupt reaches the worker only while it runs this job, and is cleared afterwards,
     * so a pooled thread does not carry it into its next job. Code that ignores interrupts
     * runs to its end; the loop no longer waits for it.
     *
     * @param <T>      the result type
     * @param executor where to run it; null means the default executor
     * @param job      the blocking work
     * @return a future of the job's result, bound to this loop
     * @throws IllegalStateException      if the default executor was shut down (asyncio's
     *                                    "Executor shutdown has been called")
     * @throws RejectedExecutionException if {@code executor} refuses the job
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> job) {
        if (job == null) {
            throw new NullPointerException("job");
        }
        checkOwner();
        Executor ex = executor != null ? executor : defaultExecutor.get();
        Future<T> future = new Future<>(this);
        ExecutorJob<T> work = new ExecutorJob<>(this, job, future);
        ex.execute(work);
        return future;
    }

    /**
     * Makes {@code executor} the default for {@link #runInExecutor} with a null executor and
     * for {@link Asyncio#toThread}. The loop shuts it down in {@link #shutdownDefaultExecutor}
     * and {@link #close()}, as asyncio does. asyncio's {@code loop.set_default_executor}.
     *
     * @param executor the new default
     */
    public void setDefaultExecutor(ExecutorService executor) {
        if (executor == null) {
            throw new NullPointerException("executor");
        }
        checkOwner();
        defaultExecutor.set(executor);
    }

    /**
     * Shuts the default executor down and returns a future done when every job it was running
     * has finished; afterwards {@link #runInExecutor} with a null executor throws.
     * {@link Asyncio#run} awaits this on exit. asyncio's
     * {@code loop.shutdown_default_executor()}.
     *
     * @return a future of the completed shutdown
     */
    public Future<Void> shutdownDefaultExecutor() {
        return shutdownDefaultExecutor(Double.POSITIVE_INFINITY);
    }

    /**
     * Like {@link #shutdownDefaultExecutor()}, but stops waiting after {@code timeoutSeconds}:
     * then it logs a warning and the future completes while jobs may still run. asyncio's
     * {@code shutdown_default_executor(timeout)}.
     *
     * @param timeoutSeconds how long to wait for running jobs
     * @return a future of the completed (or abandoned) shutdown
     */
    public Future<Void> shutdownDefaultExecutor(double timeoutSeconds) {
        checkOwner();
        return defaultExecutor.shutdown(timeoutSeconds);
    }

    /**
     * Closes every {@link AsyncGenerator} that started on this loop and has not finished: a
     * task that runs each one's {@link AsyncGenerator#aclose()} concurrently, in a task of its
     * own, and reports each that fails to the exception handler ("an error occurred during
     * closing of asynchronous generator " followed by the generator's {@code toString()}; a
     * cancelled one is not reported). A generator that first runs afterwards is still tracked,
     * with a logged warning. {@link Asyncio#run} runs it on exit, after cancelling the pending
     * tasks. asyncio's {@code loop.shutdown_asyncgens()}.
     *
     * <p>Deliberate differences: the generators are closed, and their failures reported, in
     * the order they first ran (asyncio's set has no order); every failure but a
     * cancellation is reported, {@code Error}s included (asyncio reports {@code Exception}s
     * only); and the generator is named in the message, as {@link ExceptionContext} has no
     * field for it (asyncio's context has an {@code asyncgen} key).
     *
     * @return the task, done when every generator is closed; it is created now and runs from
     *         the next iteration, like asyncio's {@code run_until_complete(coroutine)}
     * @throws IllegalStateException if the loop is closed, or this is another thread than the
     *                               running loop's
     */
    public Future<Void> shutdownAsyncgens() {
        checkOwner();
        return AsyncGeneratorHooks.shutdown(this);
    }

    /**
     * Queues {@code h} through the thread-safe inbox (as {@link #callSoonThreadsafe} does) and
     * wakes the loop; any thread. If the loop closes first, {@code h} is told through
     * {@link Handle#dropped()}.
     *
     * @throws IllegalStateException if the loop is closed
     */
    void submitThreadsafe(Handle h) {
        inbox.submit(h);
    }

    /**
     * Submits {@code coro} to this loop from any thread: it runs as a task of this loop, and
     * the returned {@link CompletableFuture} completes with its result, exception (unchanged)
     * or cancellation. Cancelling the {@code CompletableFuture} cancels the task. asyncio's
     * {@code asyncio.run_coroutine_threadsafe(coro, loop)}; must not be called on the loop's
     * own thread if the caller then blocks on the result.
     *
     * <p>The returned future always completes, unlike asyncio's, which stays pending forever
     * if the loop closes first. If the loop closes before the coroutine started, it fails with
     * {@link IllegalStateException} ("Event loop is closed"); if the loop closes while its
     * task is still pending (the task is destroyed), it fails with an
     * {@code IllegalStateException} naming the task. During {@link Asyncio#run}'s shutdown, a
     * coroutine submitted while the leftover tasks are being cancelled runs as usual, and is
     * cancelled after them if it is still pending when they are done (the future then throws
     * {@link java.util.concurrent.CancellationException}); once they are done, a coroutine
     * that reaches the loop is not started and the future fails with an
     * {@code IllegalStateException} saying the loop is shutting down.
     *
     * @param <T>  the result type
     * @param coro the coroutine
     * @return a future completed on the loop
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coro) {
        if (coro == null) {
            throw new NullPointerException("coro");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        inbox.submit(StageBridge.taskStarter(this, coro, result));
        return result;
    }

    // ------------------------------------------------------------------------ errors

    /**
     * Sets the handler for exceptions nothing else can report; null restores the default,
     * which logs them. asyncio's {@code loop.set_exception_handler}.
     *
     * @param handler the handler or null
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /**
     * asyncio's {@code loop.get_exception_handler()}.
     *
     * @return the custom handler, or null when the default is in use
     */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports through the exception handler (the custom one if set, else the default). An
     * exception thrown by a custom handler is logged, except a {@link VirtualMachineError},
     * which propagates (asyncio lets {@code SystemExit}/{@code KeyboardInterrupt} through).
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

    @Override
    public String toString() {
        return "EventLoop[" + (closed ? "closed" : isRunning() ? "running" : "idle") + ", strand="
                + strands().name() + ", ready=" + ready.size() + ", timers=" + timers.size() + ", tasks=" + tasks.size() + "]";
    }
}
