package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
    private long sequence;

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private TimerHandle timer(long deadline) {
        return new TimerHandle(loop, () -> { }, deadline, sequence++);
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

    private static final Comparator<TimerHandle> ORDER =
            Comparator.<TimerHandle>comparingLong(t -> t.deadline).thenComparingLong(t -> t.sequence);

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
        all.sort(ORDER);
        assertEquals(all, drain(q, Long.MAX_VALUE));
        assertTrue(q.isEmpty());
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
        assertEquals(late, q.peek());
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
        kept.sort(ORDER);
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
        kept.sort(ORDER);
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
            List<TimerHandle> due = new ArrayList<>(pending.stream().filter(t -> t.deadline <= cut).sorted(ORDER).toList());
            pending.removeAll(due);
            assertEquals(due, drain(q, now));
            assertEquals(pending.size(), q.size());
        }
    }
}
