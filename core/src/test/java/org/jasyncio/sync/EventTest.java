package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Steps;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10) // a lost wake-up fails (the loop thread is interrupted, cancelling main) instead of hanging
class EventTest {

    @Test
    void awaitReturnsAtOnceWhenSet() {
        Steps s = new Steps();
        Asyncio.run(() -> {
            Event e = new Event();
            e.set();
            assertTrue(e.isSet());
            Task<Void> other = Asyncio.createTask(() -> s.expect(3));
            s.expect(1);
            e.await(); // no yield to the loop: the task above has not run yet
            s.expect(2);
            other.await();
        });
        s.assertFinished(3);
    }

    @Test
    void setWakesEveryWaiterInFifoOrder() {
        Asyncio.run(() -> {
            Event e = new Event();
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> { e.await(); order.add(n); }));
            }
            Asyncio.sleep(0);
            assertEquals(3, e.statistics().waiters());
            e.set();
            Asyncio.gather(tasks).await();
            assertEquals(List.of(0, 1, 2), order);
            assertEquals(0, e.statistics().waiters());
        });
    }

    @Test
    void aWokenWaiterReturnsEvenIfTheFlagIsClearedBeforeItRuns() {
        // asyncio test_clear_with_waiters
        Asyncio.run(() -> {
            Event e = new Event();
            Task<Void> t = Asyncio.createTask(e::await);
            Asyncio.sleep(0);
            e.set();
            e.clear();
            assertFalse(e.isSet());
            t.await();
            assertTrue(t.done());
        });
    }

    @Test
    void clearMakesLaterAwaitsWait() {
        Asyncio.run(() -> {
            Event e = new Event();
            e.set();
            e.clear();
            Task<Void> t = Asyncio.createTask(e::await);
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(t.done());
            e.set();
            t.await();
        });
    }

    @Test
    void aCancelledWaiterLeavesTheEvent() {
        Asyncio.run(() -> {
            Event e = new Event();
            Task<Void> t = Asyncio.createTask(e::await);
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertEquals(new Event.Statistics(false, 0), e.statistics());
            e.set();
            assertEquals("Event[set]", e.toString());
        });
    }

    @Test
    void setFromAThreadWithoutTheLoopThrowsAndChangesNothing() {
        Asyncio.run(() -> {
            Event e = new Event();
            Task<Void> t = Asyncio.createTask(e::await);
            Asyncio.sleep(0);
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    e.set();
                } catch (Throwable x) {
                    error.set(x);
                }
            });
            other.start();
            other.join(); // blocks the loop briefly; the thread never needs it
            assertNotNull(error.get());
            assertTrue(error.get() instanceof IllegalStateException);
            assertTrue(error.get().getMessage().contains("callSoonThreadsafe"), error.get().getMessage());
            assertFalse(e.isSet());
            assertFalse(t.done());
            Asyncio.getRunningLoop().callSoon(e::set); // a callback on the loop may set it
            t.await();
        });
    }
}
