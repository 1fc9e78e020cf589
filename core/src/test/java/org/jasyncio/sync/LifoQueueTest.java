package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;

@Timeout(10)
class LifoQueueTest {

    @Test
    void theLastItemPutComesOutFirst() {
        Asyncio.run(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            for (int i : new int[] {1, 2, 3}) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            while (!q.empty()) {
                out.add(q.get());
            }
            assertEquals(List.of(3, 2, 1), out);
        });
    }

    @Test
    void boundedLifoQueueBlocksPutsLikeAnyQueue() {
        Asyncio.run(() -> {
            LifoQueue<Integer> q = new LifoQueue<>(1);
            q.put(1);
            Task<Void> t = Asyncio.createTask(() -> q.put(2));
            Asyncio.sleep(0);
            assertEquals(1, q.get());
            t.await();
            assertEquals(2, q.get());
        });
    }
}
