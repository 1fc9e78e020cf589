package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** asyncio.shield: test_tasks.py's test_shield* behaviours. */
class ShieldTest {

    @Test
    void resultPassesThrough() {
        assertEquals(4, Asyncio.run(() -> Asyncio.shield(Asyncio.createTask(() -> {
            Asyncio.sleep(0.01);
            return 4;
        })).await()));
    }

    @Test
    void exceptionPassesThrough() {
        Asyncio.run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<Integer> inner = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Asyncio.shield(inner).await()));
        });
    }

    @Test
    void innerCancellationCancelsTheOuter() {
        Asyncio.run(() -> {
            Future<Integer> inner = new Future<>();
            Future<Integer> outer = Asyncio.shield(inner);
            inner.cancel();
            assertThrows(CancelledError.class, outer::await);
            assertTrue(outer.cancelled());
        });
    }

    @Test
    void cancellingTheOuterLeavesTheInnerRunning() {
        Asyncio.run(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                Asyncio.sleep(0.02);
                return 9;
            });
            Future<Integer> outer = Asyncio.shield(inner);
            outer.cancel();
            assertThrows(CancelledError.class, outer::await);
            assertFalse(inner.cancelled());
            assertEquals(9, inner.await());
        });
    }

    @Test
    void cancellingTheAwaitingTaskLeavesTheInnerRunning() {
        Asyncio.run(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                Asyncio.sleep(0.02);
                return 9;
            });
            Task<Integer> waiter = Asyncio.createTask(() -> Asyncio.shield(inner).await());
            Asyncio.sleep(0.005);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertEquals(9, inner.await());
        });
    }

    @Test
    void shieldUnderWaitForProtectsTheWork() {
        Asyncio.run(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                Asyncio.sleep(0.03);
                return 1;
            });
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(Asyncio.shield(inner), 0.01));
            assertEquals(1, inner.await());
        });
    }

    @Test
    void aDoneAwaitableIsReturnedItself() {
        Asyncio.run(() -> {
            Future<Integer> f = new Future<>();
            f.setResult(1);
            assertSame(f, Asyncio.shield(f));
        });
    }
}
