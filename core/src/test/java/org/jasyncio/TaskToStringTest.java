package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Task names and toString(): asyncio's Task repr (state, name, where it waits). */
class TaskToStringTest {

    private static void parkHere(Future<?> f) {
        f.await();
    }

    @Test
    void showsNameStateAndWhatItWaitsOn() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            Task<Void> t = Asyncio.createTask(() -> parkHere(gate), "worker");
            Asyncio.sleep(0);
            String s = t.toString();
            assertTrue(s.startsWith("Task[worker pending waiting on Future"), s);
            // Where it waits: the user's frame, not jasyncio's own await machinery.
            assertTrue(s.contains(" at org.jasyncio.TaskToStringTest.parkHere(TaskToStringTest.java:"), s);
            gate.setResult(null);
            t.await();
            assertEquals("Task[worker finished result=null]", t.toString());
        });
    }

    @Test
    void showsTheTaskItAwaitsByName() {
        Asyncio.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(10), "inner");
            Task<Void> outer = Asyncio.createTask(() -> inner.await(), "outer");
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(outer.toString().contains("waiting on Task inner"), outer.toString());
            outer.cancel();
            Asyncio.sleep(0);
            assertTrue(outer.toString().contains("cancelling"), outer.toString());
            assertTrue(outer.toString().contains("pending"), outer.toString());
            inner.cancel();
        });
    }

    @Test
    void defaultNamesAndSetName() {
        Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 1);
            assertTrue(t.getName().matches("Task-\\d+"), t.getName());
            t.setName("renamed");
            assertTrue(t.toString().startsWith("Task[renamed pending"), t.toString());
            t.await();
        });
    }

    @Test
    void failedAndCancelledStates() {
        Asyncio.run(() -> {
            Task<Void> failed = Asyncio.createTask(() -> {
                throw new IllegalStateException("bad");
            }, "f");
            Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(10), "c");
            Asyncio.sleep(0);
            cancelled.cancel();
            Asyncio.sleep(0);
            assertEquals("Task[f finished exception=java.lang.IllegalStateException: bad]", failed.toString());
            assertEquals("Task[c cancelled]", cancelled.toString());
            failed.exception();
        });
    }
}
