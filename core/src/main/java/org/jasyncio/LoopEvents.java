package org.jasyncio;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * jasyncio's JDK Flight Recorder events, and the hooks the loop and tasks call. Each event is
 * enabled, given a threshold or a stack trace through the usual JFR settings
 * ({@code -XX:StartFlightRecording:settings=...}, {@code jdk.jfr.Recording#enable}); all are
 * on by default with threshold 0, like any custom event.
 *
 * <table>
 *   <caption>The events</caption>
 *   <tr><th>name</th><th>kind</th><th>committed</th></tr>
 *   <tr><td>jasyncio.TaskCreated</td><td>instant, with the creator's stack</td><td>in the task's constructor</td></tr>
 *   <tr><td>jasyncio.TaskStep</td><td>duration</td><td>after each step of a task</td></tr>
 *   <tr><td>jasyncio.TaskDone</td><td>instant</td><td>when a task completes (result, exception, cancelled)</td></tr>
 *   <tr><td>jasyncio.SlowCallback</td><td>duration</td><td>after a callback or step that ran for the loop's
 *       slow-callback duration or longer (in or out of debug mode)</td></tr>
 *   <tr><td>jasyncio.LoopStall</td><td>instant</td><td>by the debug-mode watchdog, each time it reports an
 *       item still running, with the item's live stack as a string</td></tr>
 * </table>
 */
final class LoopEvents {

    /*
     * Cost when no recording enables them: each hook first asks FlightRecorder.isInitialized()
     * (a static field), and returns while JFR has not been started in this JVM: loading a
     * jdk.jfr.Event subclass costs 200 to 270 ms the first time (measured on JDK 25), which a
     * program that never records must not pay. Once JFR runs, a hook allocates an event and
     * asks shouldCommit(), false while no recording enables the event (the allocation is
     * removed by escape analysis). The loop asks timingEnabled() every 256 iterations.
     *
     * Task ids: a task gets an id from IDS the first time an event names it, kept in a weak
     * identity map beside the task (a field would make every task bigger, recorded or not),
     * so tasks made while no recording runs cost nothing.
     */

    private static final AtomicLong IDS = new AtomicLong();
    /** Tasks have identity equality, so a WeakHashMap is a weak identity map here. */
    private static final Map<Task<?>, Long> TASK_IDS = Collections.synchronizedMap(new WeakHashMap<>());

    private LoopEvents() {
    }

    @Name("jasyncio.TaskCreated")
    @Label("Task Created")
    @Category("jasyncio")
    @Description("A task was created; the stack trace is the creator's")
    static final class TaskCreated extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task Name")
        String taskName;
    }

    @Name("jasyncio.TaskStep")
    @Label("Task Step")
    @Category("jasyncio")
    @Description("One step of a task: from its resumption to its next suspension or its end")
    @StackTrace(false)
    static final class TaskStep extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task Name")
        String taskName;
    }

    @Name("jasyncio.TaskDone")
    @Label("Task Done")
    @Category("jasyncio")
    @Description("A task completed")
    @StackTrace(false)
    static final class TaskDone extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task Name")
        String taskName;
        @Label("Outcome")
        @Description("result, exception or cancelled")
        String outcome;
        @Label("Exception")
        String exception;
    }

    @Name("jasyncio.SlowCallback")
    @Label("Slow Callback")
    @Category("jasyncio")
    @Description("A callback or task step that ran for the loop's slow-callback duration or longer")
    @StackTrace(false)
    static final class SlowCallback extends Event {
        @Label("Executing")
        String item;
        @Label("Task Id")
        @Description("0 for a callback")
        long taskId;
        @Label("Task Name")
        String taskName;
    }

    @Name("jasyncio.LoopStall")
    @Label("Loop Stall")
    @Category("jasyncio")
    @Description("Debug mode's watchdog saw a callback or task step still running past the slow-callback duration")
    @StackTrace(false)
    static final class LoopStall extends Event {
        @Label("Executing")
        String item;
        @Label("Task Id")
        @Description("0 for a callback")
        long taskId;
        @Label("Task Name")
        String taskName;
        @Label("Running For")
        @Timespan(Timespan.NANOSECONDS)
        long runningFor;
        @Label("Repeated")
        @Description("false for the first report of this item, true for the stall re-reports")
        boolean repeated;
        @Label("Live Stack")
        String stack;
    }

    /** Whether the loop must time its items for JFR; asked once per iteration. */
    static boolean timingEnabled() {
        return FlightRecorder.isInitialized() && (new TaskStep().isEnabled() || new SlowCallback().isEnabled());
    }

    /** The task's event id, drawn the first time an event names it. */
    static long idOf(Task<?> t) {
        return TASK_IDS.computeIfAbsent(t, k -> IDS.incrementAndGet());
    }

    static void taskCreated(Task<?> t) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        TaskCreated e = new TaskCreated();
        if (e.shouldCommit()) {
            e.taskId = idOf(t);
            e.taskName = t.nameForReport();
            e.commit();
        }
    }

    static void taskDone(Task<?> t, String outcome, Throwable exception) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        TaskDone e = new TaskDone();
        if (e.shouldCommit()) {
            e.taskId = idOf(t);
            e.taskName = t.nameForReport();
            e.outcome = outcome;
            e.exception = exception == null ? null : exception.toString();
            e.commit();
        }
    }

    /** A timed item: both duration events begun when it starts, committed when it ends. */
    static final class Timing {
        private final TaskStep step;
        private final SlowCallback slow;

        Timing(ReadyItem item) {
            step = item instanceof Task<?> ? new TaskStep() : null;
            slow = new SlowCallback();
            if (step != null) {
                step.begin();
            }
            slow.begin();
        }

        void end(ReadyItem item, long nanos, long slowNanos) {
            Task<?> task = item instanceof Task<?> t ? t : null;
            if (step != null) {
                step.end();
                if (step.shouldCommit()) {
                    step.taskId = idOf(task);
                    step.taskName = task.nameForReport();
                    step.commit();
                }
            }
            if (nanos >= slowNanos) {
                slow.end();
                if (slow.shouldCommit()) {
                    slow.item = item.toString();
                    slow.taskId = task == null ? 0 : idOf(task);
                    slow.taskName = task == null ? null : task.nameForReport();
                    slow.commit();
                }
            }
        }
    }

    /** The watchdog's report, on the watchdog thread. */
    static void watchdogReport(ReadyItem item, long runningFor, boolean repeated, String stack) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        LoopStall e = new LoopStall();
        if (e.shouldCommit()) {
            Task<?> task = item instanceof Task<?> t ? t : null;
            e.item = Watchdog.describe(item);
            e.taskId = task == null ? 0 : idOf(task);
            e.taskName = task == null ? null : task.nameForReport();
            e.runningFor = runningFor;
            e.repeated = repeated;
            e.stack = stack;
            e.commit();
        }
    }
}
