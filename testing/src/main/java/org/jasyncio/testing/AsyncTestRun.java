package org.jasyncio.testing;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;
import org.jasyncio.Future;
import org.jasyncio.Runner;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.opentest4j.TestAbortedException;

/**
 * One run of an {@link AsyncTest} body: a fresh runner, the body as a task, and the checks
 * that follow (pending tasks, loop reports, an interrupt's dump of every task).
 */
final class AsyncTestRun {

    /* Implementation overview.
     *
     * The runner's main task is a supervisor, not the body: it starts the body as a task of its
     * own and awaits a plain future ("finished") that the body task's done callback completes.
     * This is what lets an interrupt be seen before anything is cancelled: Runner.run's
     * interrupt handler cancels the main task, whose cancel() cancels the future it waits on,
     * and only that; the future's done callbacks run next, first ours (added before the
     * supervisor awaits it), which snapshots every task of the loop (toString and suspended
     * stack) while all of them still wait where they waited, and only then cancels the body.
     * Had the body been the main task, cancel() would have cascaded at once down the chain of
     * futures it awaits (a gather cancels its children, ...), and those would have woken up
     * cancelled before anything could look at them.
     *
     * The pending tasks are listed by the body task itself, right after the body returns (the
     * "end of its body"; the supervisor needs two more iterations to notice), and the loop's
     * reports by an exception handler installed before the first run and kept through
     * Runner.close(), which is where tasks failing on cancellation and resources left open are
     * reported. */

    /** The options of a run, from the annotation. */
    /**
     * @param autojumpMillis the autojump threshold in milliseconds, or -1 for none
     * @param timeout        the real time after which the test is cancelled and fails, or null
     */
    record Options(boolean virtualTime, boolean debug, ScheduleStrategy strategy, long autojumpMillis,
                   java.time.Duration timeout) {
    }

    /** A test body: JUnit's invocation, or a reflective call of the method. */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    private static final String INTERRUPTED = "the test thread was interrupted (JUnit's @Timeout interrupts it)";
    private static final String TIMED_OUT = "the test ran past its time limit (@AsyncTest's timeoutSeconds, or"
            + " JUnit's @Timeout if shorter)";

    private static final CodeSource CORE = EventLoop.class.getProtectionDomain().getCodeSource();

    private final Options options;
    private final Long seed;
    private final String testName;
    private final List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());
    /** Written on the loop (its thread or a task strand), read after Runner.run returns. */
    private volatile List<String> pendingAtEnd = List.of();
    private volatile String interruptDump;
    private volatile boolean started;
    private volatile Task<?> supervisorTask;
    /** Set by the timeout watcher when it cancels the test. */
    private volatile boolean timedOut;

    private AsyncTestRun(Options options, Long seed, String testName) {
        this.options = options;
        this.seed = seed;
        this.testName = testName;
    }

    /**
     * Runs {@code body} on a fresh runner under {@code seed} (null: no schedule seed) and
     * throws what makes the test fail, if anything.
     */
    static void run(Options options, Long seed, String testName, Body body) throws Throwable {
        Throwable failure = new AsyncTestRun(options, seed, testName).runAndCheck(body);
        if (failure == null) {
            return;
        }
        if (seed == null || failure instanceof TestAbortedException) {
            throw failure;
        }
        throw new AssertionError("failed under schedule seed " + seed + " (" + options.strategy() + "): " + failure
                + "\nReplay this schedule alone with " + replayAnnotation(seed, options.strategy()), failure);
    }

    /** The annotation that replays {@code seed}: {@code @AsyncTest(seed = 17)}. */
    static String replayAnnotation(long seed, ScheduleStrategy strategy) {
        return "@AsyncTest(seed = " + seed
                + (strategy == ScheduleStrategy.RANDOM ? "" : ", strategy = ScheduleStrategy." + strategy) + ")";
    }

    private Throwable runAndCheck(Body body) {
        Runner.Builder builder = Runner.builder().virtualTime(options.virtualTime()).debug(options.debug());
        if (options.virtualTime() && options.autojumpMillis() >= 0) {
            builder.autojumpThreshold(java.time.Duration.ofMillis(options.autojumpMillis()));
        }
        if (seed != null) {
            builder.scheduleSeed(seed).scheduleStrategy(options.strategy());
        }
        Runner runner = builder.build();
        Throwable failure = null;
        Thread watcher = null;
        try {
            EventLoop loop = runner.getLoop();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            if (options.timeout() != null) {
                watcher = startWatcher(options.timeout());
            }
            runner.run(() -> supervise(loop, body));
        } catch (CancelledError c) {
            // The interrupt (the dump was taken), an interrupt so early that the supervisor never
            // started, or the body's own cancellation, unchanged.
            failure = interruptDump != null ? new AssertionError(interruptDump, c)
                    : !started ? new AssertionError(INTERRUPTED + " before the test body started", c)
                    : c;
        } catch (Throwable t) {
            failure = t;
        } finally {
            if (watcher != null) {
                watcher.interrupt();
            }
            try {
                runner.close();
            } catch (Throwable t) {
                failure = addTo(failure, t);
            }
        }
        if (failure instanceof TestAbortedException) {
            return failure;
        }
        AssertionError leftovers = leftovers();
        if (leftovers == null) {
            return failure;
        }
        return addTo(failure, leftovers);
    }

    private static Throwable addTo(Throwable failure, Throwable more) {
        if (failure == null) {
            return more;
        }
        failure.addSuppressed(more);
        return failure;
    }

    /**
     * A daemon thread that cancels the supervisor (as an interrupt does) once {@code timeout}
     * of real time has passed, plus a little so that JUnit's own {@code @Timeout} interrupt,
     * when it works, comes first; this one does not depend on JUnit's being there.
     */
    private Thread startWatcher(java.time.Duration timeout) {
        return Thread.ofPlatform().daemon().name("jasyncio-test timeout").start(() -> {
            try {
                Thread.sleep(timeout.plusMillis(100));
            } catch (InterruptedException done) {
                return;
            }
            timedOut = true;
            Task<?> s = supervisorTask;
            if (s != null) {
                s.cancel("timed out");
            }
        });
    }

    /** The main task: starts the body as a task and waits for it; see the overview. */
    private Object supervise(EventLoop loop, Body body) throws Exception {
        started = true;
        Task<?> supervisor = Asyncio.currentTask();
        supervisor.setName("@AsyncTest runner of " + testName); // what a deadlock report calls the awaited task
        supervisorTask = supervisor;
        Future<Void> finished = loop.createFuture();
        Task<Object> bodyTask = loop.createTask(() -> {
            try {
                body.run();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.lang.reflect.UndeclaredThrowableException(t);
            } finally {
                pendingAtEnd = pendingTasks(loop, supervisor);
            }
            return null;
        }, testName);
        finished.addDoneCallback(f -> {
            if (f.cancelled()) { // the supervisor was cancelled: the test thread was interrupted
                interruptDump = dumpEveryTask(loop, supervisor);
                bodyTask.cancel("interrupted");
            }
        });
        bodyTask.addDoneCallback(t -> finished.trySetResult(null));
        finished.await();
        return bodyTask.result();
    }

    /** Every pending task but the supervisor and the caller, by its toString. */
    private static List<String> pendingTasks(EventLoop loop, Task<?> supervisor) {
        Task<?> current = loop.currentTask();
        List<String> pending = new ArrayList<>();
        for (Task<?> t : loop.allTasks()) {
            if (t != supervisor && t != current && !t.done()) {
                pending.add(t.toString());
            }
        }
        return pending;
    }

    private String dumpEveryTask(EventLoop loop, Task<?> supervisor) {
        StringBuilder sb = new StringBuilder((timedOut ? TIMED_OUT : INTERRUPTED)
                + " while the test ran on the loop; every task of the loop at that moment, and where each waited:");
        int n = 0;
        for (Task<?> t : loop.allTasks()) {
            if (t == supervisor || t.done()) {
                continue;
            }
            n++;
            sb.append("\n  ").append(t);
            appendStack(sb, t.getStack());
        }
        if (n == 0) {
            sb.append("\n  (none)");
        }
        return sb.toString();
    }

    /**
     * The suspended stack from its innermost user frame (the library's frames above it say
     * nothing) down to the task's root: the strand's frames below {@code Task.body}, and the
     * reflective call of a test method with JUnit's frames below it, are left out.
     */
    private static void appendStack(StringBuilder sb, StackTraceElement[] stack) {
        int from = 0;
        while (from < stack.length && isLibrary(stack[from])) {
            from++;
        }
        if (from == stack.length) {
            from = 0;
        }
        for (int i = from; i < stack.length && !isRoot(stack[i]); i++) {
            sb.append("\n      at ").append(stack[i]);
        }
    }

    private static boolean isRoot(StackTraceElement e) {
        String c = e.getClassName();
        return c.equals("org.jasyncio.Task") && e.getMethodName().equals("body")
                || c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.");
    }

    /** Whether {@code e} is the JDK's or jasyncio-core's own code. */
    private static boolean isLibrary(StackTraceElement e) {
        String c = e.getClassName();
        if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
            return true;
        }
        if (!c.startsWith("org.jasyncio.")) {
            return false;
        }
        try {
            Class<?> k = Class.forName(c, false, EventLoop.class.getClassLoader());
            CodeSource cs = k.getProtectionDomain().getCodeSource();
            return CORE != null && cs != null && CORE.getLocation().equals(cs.getLocation());
        } catch (ClassNotFoundException | LinkageError x) {
            return false;
        }
    }

    /** What the run left behind: pending tasks and the loop's reports, or null if nothing. */
    private AssertionError leftovers() {
        // After an interrupt the dump already lists every task, as it was before the cancellation.
        List<String> pending = interruptDump != null ? List.of() : pendingAtEnd;
        List<ExceptionContext> reported;
        synchronized (reports) {
            reported = new ArrayList<>(reports);
        }
        if (pending.isEmpty() && reported.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (!pending.isEmpty()) {
            sb.append(pending.size()).append(pending.size() == 1 ? " task was" : " tasks were")
                    .append(" still pending when the test body returned (await or cancel each before returning):");
            for (String t : pending) {
                sb.append("\n  ").append(t);
            }
        }
        if (!reported.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("the loop's exception handler received ").append(reported.size())
                    .append(reported.size() == 1 ? " report:" : " reports:");
            for (ExceptionContext c : reported) {
                sb.append("\n  ").append(c.describe().replace("\n", "\n    "));
                if (c.exception() != null) {
                    sb.append("\n    exception: ").append(c.exception());
                }
            }
        }
        AssertionError e = new AssertionError(sb.toString());
        for (ExceptionContext c : reported) {
            if (c.exception() != null) {
                e.addSuppressed(c.exception());
            }
        }
        return e;
    }
}
