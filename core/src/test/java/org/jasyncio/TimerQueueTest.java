package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's timer heap: asyncio's {@code heapq} of {@code TimerHandle}s, where timers come
 * due in deadline order and, at equal deadlines, in the order they were scheduled (asyncio
 * compares handles by {@code when} and keeps insertion order for ties).
 */
class TimerQueueTest {

    private final EventLoop loop = new EventLoop();
    /** The order each timer was made (and queued) in. */
    private final Map<TimerHandle, Integer> made = new IdentityHashMap<>();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private TimerHandle timer(long deadline) {
        TimerHandle t = new TimerHandle(loop, () -> { }, deadline);
        made.put(t, made.size());
        return t;
    }

    private static List<TimerHandle> drain(TimerQueue q, long now) {
        ArrayDeque<ReadyItem> ready = new ArrayDeque<>();
        q.moveDue(now, ready);
        List<TimerHandle> out = new ArrayList<>();
        for (ReadyItem item : ready) {
            out.add((TimerHandle) item);
        }
        return out;
    }

    private final Comparator<TimerHandle> order =
            Comparator.<TimerHandle>comparingLong(t -> t.deadline).thenComparingInt(made::get);

    @Test
    void timersComeDueInDeadlineThenSchedulingOrder() {
        Random random = new Random(42);
        TimerQueue q = new TimerQueue();
        List<TimerHandle> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            TimerHandle t = timer(random.nextInt(300)); // many equal deadlines
            all.add(t);
            q.add(t);
        }
        all.sort(order);
        assertEquals(all, drain(q, Long.MAX_VALUE));
        assertTrue(q.isEmpty());
    }

    @Test
    void timersAtTheEndsOfTheClockKeepTheirOrder() {
        // Saturated deadlines (a past one at Long.MIN_VALUE, a never-due one at Long.MAX_VALUE)
        // sit beside ordinary ones without overflowing the queue's arithmetic.
        TimerQueue q = new TimerQueue();
        List<TimerHandle> all = new ArrayList<>();
        for (long d : new long[] {Long.MAX_VALUE, 0, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, -5, 5}) {
            TimerHandle t = timer(d);
            all.add(t);
            q.add(t);
        }
        all.sort(order);
        assertEquals(all.subList(0, 5), drain(q, Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE, q.firstDeadline());
        assertEquals(all.subList(5, 7), drain(q, Long.MAX_VALUE));
        assertTrue(q.isEmpty());
    }

    @Test
    void aTimerAddedWhileOthersWaitComesDueInItsPlace() {
        // Timers far ahead wait while nearer ones come and go; one added later with an earlier
        // deadline than all of them still comes first.
        TimerQueue q = new TimerQueue();
        List<TimerHandle> later = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TimerHandle t = timer(1_000 + i);
            later.add(t);
            q.add(t);
        }
        TimerHandle first = timer(1_000);
        q.add(first);
        assertEquals(List.of(later.get(0), first), drain(q, 1_000)); // equal deadlines: scheduling order
        TimerHandle early = timer(10);
        q.add(early);
        assertEquals(10, q.firstDeadline());
        assertEquals(List.of(early), drain(q, 500));
        assertEquals(later.subList(1, 1000), drain(q, Long.MAX_VALUE));
    }

    @Test
    void onlyTimersDueByNowMove() {
        TimerQueue q = new TimerQueue();
        TimerHandle late = timer(200);
        TimerHandle early = timer(100);
        TimerHandle due = timer(150);
        q.add(late);
        q.add(early);
        q.add(due);
        assertEquals(List.of(early, due), drain(q, 150));
        assertEquals(1, q.size());
        assertEquals(200, q.firstDeadline());
        assertFalse(early.queued);
        assertTrue(late.queued);
    }

    @Test
    void cancelledTimersAreDroppedInsteadOfRun() {
        TimerQueue q = new TimerQueue();
        List<TimerHandle> kept = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TimerHandle t = timer(50 - i);
            q.add(t);
            if (i % 3 == 0) {
                t.cancelled = true;
                q.cancelledOne();
            } else {
                kept.add(t);
            }
        }
        kept.sort(order);
        assertEquals(kept, drain(q, Long.MAX_VALUE));
        assertTrue(q.isEmpty());
    }

    @Test
    void compactingAHeapOfMostlyCancelledTimersKeepsTheOrderOfTheRest() {
        Random random = new Random(7);
        TimerQueue q = new TimerQueue();
        List<TimerHandle> kept = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TimerHandle t = timer(random.nextInt(100));
            q.add(t);
            if (random.nextInt(4) != 0) {
                t.cancelled = true;
                q.cancelledOne();
            } else {
                kept.add(t);
            }
        }
        q.removeCancelled();
        assertEquals(kept.size(), q.size());
        // More timers after compaction land in order among the survivors.
        for (int i = 0; i < 200; i++) {
            TimerHandle t = timer(random.nextInt(100));
            q.add(t);
            kept.add(t);
        }
        kept.sort(order);
        assertEquals(kept, drain(q, Long.MAX_VALUE));
    }

    @Test
    void interleavedAddsAndPopsStayOrdered() {
        Random random = new Random(3);
        TimerQueue q = new TimerQueue();
        List<TimerHandle> pending = new ArrayList<>();
        long now = 0;
        for (int round = 0; round < 200; round++) {
            for (int i = random.nextInt(40); i > 0; i--) {
                TimerHandle t = timer(now + random.nextInt(50));
                q.add(t);
                pending.add(t);
            }
            now += random.nextInt(20);
            long cut = now;
            List<TimerHandle> due = new ArrayList<>(pending.stream().filter(t -> t.deadline <= cut).sorted(order).toList());
            pending.removeAll(due);
            assertEquals(due, drain(q, now));
            assertEquals(pending.size(), q.size());
        }
    }

    @Test
    void manyWaitingTimersWithCancelsAndLaterArrivalsStayOrdered() {
        // Tens of thousands of timers wait beyond the heap (several far-list chunks, refilled
        // and compacted many times) while timers keep arriving, some with deadlines equal to
        // waiting ones and some cancelled: each drain matches the model's (deadline, arrival) order.
        Random random = new Random(11);
        TimerQueue q = new TimerQueue();
        List<TimerHandle> pending = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            TimerHandle t = timer(random.nextInt(10_000));
            q.add(t);
            pending.add(t);
        }
        long now = 0;
        while (now < 12_000) {
            for (int i = random.nextInt(300); i > 0; i--) {
                TimerHandle t = timer(now + random.nextInt(2_000));
                q.add(t);
                pending.add(t);
            }
            for (int i = random.nextInt(50); i > 0 && !pending.isEmpty(); i--) {
                TimerHandle t = pending.remove(random.nextInt(pending.size()));
                t.cancelled = true;
                q.cancelledOne();
            }
            now += random.nextInt(200);
            long cut = now;
            List<TimerHandle> due = new ArrayList<>(pending.stream().filter(t -> t.deadline <= cut).sorted(order).toList());
            pending.removeAll(due);
            assertEquals(due, drain(q, now));
        }
        pending.sort(order);
        assertEquals(pending, drain(q, Long.MAX_VALUE));
        assertTrue(q.isEmpty());
    }

    @Test
    void clearingAQueueOfWaitingTimersMarksEveryOneUnqueued() {
        TimerQueue q = new TimerQueue();
        List<TimerHandle> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            TimerHandle t = timer(i % 997);
            q.add(t);
            all.add(t);
        }
        drain(q, 100); // a refill moved some into the heap; the rest still wait
        q.clear();
        assertTrue(q.isEmpty());
        assertTrue(all.stream().noneMatch(t -> t.queued));
        TimerHandle again = timer(5);
        q.add(again);
        assertEquals(List.of(again), drain(q, 5));
    }

    @Test
    void aSleepAndACallbackDueTogetherKeepTheirSchedulingOrder() {
        // The sleep's timer is queued first, so it fires first, in the same iteration as the
        // two callbacks; the task resumes on the next iteration (asyncio: the timer handle
        // completes the future, whose done callback wakes the task), behind nothing the
        // callbacks scheduled after the wake-up.
        List<String> events = new ArrayList<>();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> {
                EventLoop running = Asyncio.getRunningLoop();
                Task<Void> sleeper = Asyncio.createTask(() -> {
                    Asyncio.sleep(1.0);
                    events.add("sleeper resumed");
                });
                Asyncio.sleep(0); // the sleeper's timer is now queued, due at 1.0
                running.callLater(1.0, () -> {
                    events.add("timer 1");
                    running.callSoon(() -> events.add("soon from timer 1"));
                });
                running.callLater(1.0, () -> events.add("timer 2"));
                sleeper.await();
            });
        }
        assertEquals(List.of("timer 1", "timer 2", "sleeper resumed", "soon from timer 1"), events);
    }

    @Test
    void aSleepingTaskResumesOneIterationAfterItsTimerFires() {
        // The callback's timer is queued first: it fires first and schedules a callSoon; the
        // sleep's timer fires next in the same iteration; the task resumes on the following
        // one, after that callSoon, as in asyncio, where a sleep is a timer handle that
        // completes a future and the task wakes as that future's done callback.
        List<String> events = new ArrayList<>();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> {
                EventLoop running = Asyncio.getRunningLoop();
                running.callLater(1.0, () -> {
                    events.add("timer");
                    running.callSoon(() -> events.add("soon from timer"));
                });
                Task<Void> sleeper = Asyncio.createTask(() -> {
                    Asyncio.sleep(1.0);
                    events.add("sleeper resumed");
                });
                sleeper.await();
            });
        }
        assertEquals(List.of("timer", "soon from timer", "sleeper resumed"), events);
    }

    @Test
    void aCancelledSleepLeavesNoLiveTimerBehind() {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> {
                EventLoop running = Asyncio.getRunningLoop();
                Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(50.0));
                Asyncio.sleep(0);
                assertEquals(1, running.timers.size());
                sleeper.cancel();
                assertThrows(CancelledError.class, sleeper::await);
                double before = running.time();
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                // The cancelled sleep's timer is dropped when reached, and never fires:
                // the clock does not jump to its deadline.
                assertEquals(before, running.time());
            });
        }
    }
}
