package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10) // a lost wake-up fails (the loop thread is interrupted, cancelling main) instead of hanging
class BarrierTest {

    @Test
    void partiesMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertTrue(e.getMessage().contains(">= 1"), e.getMessage());
    }

    @Test
    void theLastArrivalReleasesEveryoneWithDistinctIndicesAndTheBarrierIsReusable() {
        Asyncio.run(() -> {
            Barrier b = new Barrier(3);
            for (int round = 0; round < 2; round++) {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    tasks.add(Asyncio.createTask(b::await));
                    Asyncio.sleep(0);
                    if (i < 2) {
                        assertEquals(i + 1, b.nWaiting());
                        assertFalse(tasks.get(0).done());
                    }
                }
                assertEquals(new TreeSet<>(List.of(0, 1, 2)), new TreeSet<>(Asyncio.gather(tasks).await()));
                assertEquals(0, b.nWaiting());
                assertFalse(b.broken());
            }
        });
    }

    @Test
    void aBarrierOfOnePassesAtOnce() {
        Asyncio.run(() -> {
            Barrier b = new Barrier(1);
            assertEquals(0, b.await());
            assertEquals(0, b.await());
        });
    }

    @Test
    void abortBreaksWaitersAndLaterArrivals() {
        Asyncio.run(() -> {
            Barrier b = new Barrier(3);
            Task<Integer> t = Asyncio.createTask(b::await);
            Asyncio.sleep(0);
            b.abort();
            BrokenBarrierException e = assertThrows(BrokenBarrierException.class, t::await);
            assertTrue(e.getMessage().contains("Abort or reset"), e.getMessage());
            assertTrue(b.broken());
            assertThrows(BrokenBarrierException.class, b::await);
            b.reset();
            assertFalse(b.broken());
            assertEquals(new Barrier.Statistics(3, 0, "filling"), b.statistics());
        });
    }

    @Test
    void resetBreaksCurrentWaitersAndReopensTheBarrier() {
        Asyncio.run(() -> {
            Barrier b = new Barrier(2);
            Task<Integer> t = Asyncio.createTask(b::await);
            Asyncio.sleep(0);
            b.reset();
            assertThrows(BrokenBarrierException.class, t::await);
            assertFalse(b.broken());
            Task<Integer> u = Asyncio.createTask(b::await);
            int mine = b.await();
            assertEquals(1, mine + u.await());
        });
    }
}
