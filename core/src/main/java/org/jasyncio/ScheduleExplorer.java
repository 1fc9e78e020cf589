package org.jasyncio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A loop's schedule perturbation under a {@linkplain Runner.Builder#scheduleSeed(long) seed}:
 * reorders the events that became ready in one iteration, and jitters timers under virtual time.
 */
final class ScheduleExplorer {

    /* Implementation overview.
     *
     * EventLoop.runOnce appends, after the items already ready (callSoon callbacks and task
     * wake-ups from the previous iteration, which keep their FIFO order and are never
     * touched), three runs of newly ready items: I/O callbacks, inbox items (other threads'
     * callSoonThreadsafe, thread jobs' results) and due timers. reorder() rearranges that
     * tail into an order production could also produce: every order is allowed except that
     * two inbox items from the same thread keep their order (a thread's calls are
     * sequential), and timers with different deadlines keep deadline order. It picks one
     * item at a time among those allowed next:
     *   RANDOM: uniformly;
     *   PCT: the one whose source has the highest priority. A source is what stands behind
     *   the item across iterations: the task a sleep wakes or that set the timer, the
     *   channel's handle, the submitting thread, else the item itself; each gets a random
     *   priority at first sight. At PCT_DEPTH - 1 steps drawn from the first PCT_STEPS, the
     *   source chosen drops below every other (Burckhardt et al.'s priority change points).
     * Under virtual time, timers get a jitter (jitter()): uniform under RANDOM; under PCT a
     * step too, decreasing with the priority of the timer's source, so timers about due
     * together fire in priority order unless a change point demotes one.
     * Thread jobs' results do not go through the inbox: jobFinished() holds them, and
     * releaseJobs() appends them (in the order the jobs were made) only once no job of the
     * loop runs code, so when they arrive, and in which order before reorder(), does not
     * depend on the threads' timing. EventLoop polls in short slices meanwhile and does not
     * jump virtual time. Only picks among at least two allowed items count as choice points, so a program
     * without concurrency consumes no randomness and simply runs. All randomness comes from
     * one SplittableRandom seeded once, and every decision depends only on the order items
     * arrive in, so a seed replays the same schedule on both strands when the program's own
     * inputs arrive the same way. */

    /** How long a thread job may stay unstarted before the loop counts it as waiting (real time). */
    static final long UNSTARTED_GRACE_NANOS = 50_000_000;
    /** How often the loop looks at running thread jobs while it holds finished ones (real time). */
    static final long HELD_JOBS_POLL_NANOS = 2_000_000;

    private final SplittableRandom random;
    /** Thread jobs finished and not yet handed to the loop (any thread adds). */
    private final ConcurrentLinkedQueue<ExecutorJob<?>> finishedJobs = new ConcurrentLinkedQueue<>();
    private final ScheduleStrategy strategy;
    private final boolean jitter;
    /** The thread that submitted each inbox item not yet reordered, by identity. */
    private final Map<Handle, Long> origins = new ConcurrentHashMap<>();
    private final Map<Object, Long> priorities = new HashMap<>();
    private final int[] changePoints;
    private long lowest = 0;
    private int choices;
    /** PCT's steps: its choices among events and the timers it jittered. */
    private int steps;

    ScheduleExplorer(long seed, ScheduleStrategy strategy, boolean virtualTime) {
        this.random = new SplittableRandom(seed);
        this.strategy = strategy;
        this.jitter = virtualTime;
        int[] points = new int[ScheduleStrategy.PCT_DEPTH - 1];
        for (int i = 0; i < points.length; i++) {
            points[i] = random.nextInt(ScheduleStrategy.PCT_STEPS);
        }
        Arrays.sort(points);
        this.changePoints = points;
    }

    /** The number of choices among two or more events made so far. */
    int choices() {
        return choices;
    }

    /** A thread job finished: its result waits here for {@link #releaseJobs}; any thread. */
    void jobFinished(ExecutorJob<?> job) {
        finishedJobs.add(job);
    }

    /** Whether finished thread jobs wait to be handed out (the loop must not block for long). */
    boolean holdsJobs() {
        return !finishedJobs.isEmpty();
    }

    /**
     * On the loop: once no thread job of {@code loop} is running code (each is finished,
     * waiting, or queued for a while), appends the results of the finished ones to
     * {@code ready}, in the order the jobs were made, for {@link #reorder} to order. Results
     * held until then arrive together whatever the threads' timing, so a seed replays.
     */
    void releaseJobs(EventLoop loop, ArrayDeque<ReadyItem> ready) {
        if (finishedJobs.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (ExecutorJob<?> job : loop.threadJobs) {
            if (!job.isQuiescent(now)) {
                return;
            }
        }
        List<ExecutorJob<?>> jobs = new ArrayList<>();
        ExecutorJob<?> job;
        while ((job = finishedJobs.poll()) != null) {
            jobs.add(job);
        }
        jobs.sort(Comparator.comparingLong(j -> j.sequence));
        for (ExecutorJob<?> j : jobs) {
            Handle h = new Handle(loop, j::deliver);
            h.values = ContextMap.EMPTY;
            ready.add(h);
        }
    }

    /** Records that the current thread submits {@code h} to the inbox; any thread. */
    void submitted(Handle h) {
        origins.put(h, Thread.currentThread().threadId());
    }

    /**
     * The extra delay, in [0, JITTER_NANOS), of a timer {@code delayNanos} (positive) from now
     * set by {@code source}: uniform under RANDOM; under PCT, smaller the higher the source's
     * priority, so that among timers about due together the highest-priority source fires
     * first, as PCT runs the highest-priority thread.
     */
    long jitter(long delayNanos, Object source) {
        if (!jitter || delayNanos <= 0) {
            return 0;
        }
        if (strategy == ScheduleStrategy.RANDOM) {
            return random.nextLong(ScheduleStrategy.JITTER_NANOS);
        }
        long priority = priorityOf(source);
        if (isChangePoint(steps++)) {
            priorities.put(source, --lowest);
            priority = lowest;
        }
        if (priority <= 0) {
            return ScheduleStrategy.JITTER_NANOS - 1;
        }
        return ScheduleStrategy.JITTER_NANOS - 1 - priority / (Long.MAX_VALUE / ScheduleStrategy.JITTER_NANOS + 1);
    }

    private boolean isChangePoint(int step) {
        return Arrays.binarySearch(changePoints, step) >= 0;
    }

    /**
     * Reorders the items of {@code ready} from index {@code from} on, where I/O callbacks end
     * at {@code ioEnd} and inbox items at {@code inboxEnd}, the due timers coming last.
     */
    void reorder(ArrayDeque<ReadyItem> ready, int from, int ioEnd, int inboxEnd) {
        int total = ready.size();
        if (total - from < 2) {
            forgetOrigins(ready, from, ioEnd, inboxEnd);
            return;
        }
        List<ReadyItem> head = new ArrayList<>(from);
        for (int i = 0; i < from; i++) {
            head.add(ready.poll());
        }
        int n = total - from;
        ReadyItem[] items = new ReadyItem[n];
        long[] thread = new long[n]; // the submitting thread of an inbox item, else -1
        Object[] source = new Object[n];
        for (int i = 0; i < n; i++) {
            ReadyItem item = ready.poll();
            items[i] = item;
            int at = from + i;
            Long t = at >= ioEnd && at < inboxEnd && item instanceof Handle h ? origins.remove(h) : null;
            thread[i] = t != null ? t : -1;
            source[i] = t != null ? t : sourceOf(item);
        }
        ready.addAll(head);
        boolean[] taken = new boolean[n];
        int[] allowed = new int[n];
        for (int left = n; left > 0; left--) {
            int count = 0;
            long minDeadline = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && TimerQueue.isTimer(items[i]) && TimerQueue.deadlineOf(items[i]) < minDeadline) {
                    minDeadline = TimerQueue.deadlineOf(items[i]);
                }
            }
            for (int i = 0; i < n; i++) {
                if (!taken[i] && isAllowed(i, items, thread, taken, minDeadline)) {
                    allowed[count++] = i;
                }
            }
            int pick = count == 1 ? allowed[0] : choose(allowed, count, source);
            taken[pick] = true;
            ready.add(items[pick]);
        }
    }

    private static boolean isAllowed(int i, ReadyItem[] items, long[] thread, boolean[] taken, long minDeadline) {
        if (TimerQueue.isTimer(items[i]) && TimerQueue.deadlineOf(items[i]) != minDeadline) {
            return false;
        }
        if (thread[i] >= 0) {
            for (int j = 0; j < i; j++) {
                if (!taken[j] && thread[j] == thread[i]) {
                    return false;
                }
            }
        }
        return true;
    }

    private int choose(int[] allowed, int count, Object[] source) {
        choices++;
        if (strategy == ScheduleStrategy.RANDOM) {
            return allowed[random.nextInt(count)];
        }
        int step = steps++;
        int best = allowed[0];
        long bestPriority = priorityOf(source[best]);
        for (int k = 1; k < count; k++) {
            long p = priorityOf(source[allowed[k]]);
            if (p > bestPriority) {
                best = allowed[k];
                bestPriority = p;
            }
        }
        if (isChangePoint(step)) {
            priorities.put(source[best], --lowest); // below every priority given so far
        }
        return best;
    }

    private long priorityOf(Object source) {
        return priorities.computeIfAbsent(source, s -> random.nextLong(1, Long.MAX_VALUE));
    }

    private static Object sourceOf(ReadyItem item) {
        return switch (item) {
            case TimerHandle t -> t.scheduleSource();
            case Sleep.SleepFuture s -> s.task; // the sleeping task set it
            default -> item;
        };
    }

    private void forgetOrigins(ArrayDeque<ReadyItem> ready, int from, int ioEnd, int inboxEnd) {
        if (inboxEnd > ioEnd) {
            int i = 0;
            for (ReadyItem item : ready) {
                if (i >= ioEnd && i < inboxEnd && item instanceof Handle h) {
                    origins.remove(h);
                }
                i++;
            }
        }
    }
}
