package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.Asyncio;

@Timeout(10)
class PriorityQueueTest {

    record Job(int priority, String name) {
    }

    @Test
    void naturalOrderGivesTheSmallestFirst() {
        Asyncio.run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            for (int i : new int[] {3, 1, 4, 1, 5}) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            while (!q.empty()) {
                out.add(q.get());
            }
            assertEquals(List.of(1, 1, 3, 4, 5), out);
        });
    }

    @Test
    void aComparatorDecidesTheOrder() {
        Asyncio.run(() -> {
            PriorityQueue<Job> q = new PriorityQueue<>(2, Comparator.comparingInt(Job::priority));
            q.put(new Job(5, "low"));
            q.put(new Job(1, "urgent"));
            assertTrue(q.full());
            assertEquals("urgent", q.get().name());
            assertEquals("low", q.get().name());
        });
    }

    @Test
    void naturalOrderRejectsItemsThatAreNotComparable() {
        PriorityQueue<Object> q = new PriorityQueue<>();
        ClassCastException e = assertThrows(ClassCastException.class, () -> q.putNowait(new Object()));
        assertTrue(e.getMessage().contains("Comparable"), e.getMessage());
        assertEquals(0, q.qsize());
        assertEquals(0, q.statistics().unfinishedTasks());
    }
}
