package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Steps;
import org.jasyncio.Task;

@Timeout(10) // a lost wake-up fails (the loop thread is interrupted, cancelling main) instead of hanging
class QueueTest {

    @Test
    void itemsComeOutInFifoOrder() {
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>();
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            assertEquals(5, q.qsize());
            List<Integer> out = new ArrayList<>();
            while (!q.empty()) {
                out.add(q.get());
            }
            assertEquals(List.of(0, 1, 2, 3, 4), out);
        });
    }

    @Test
    void sizeEmptyFullAndMaxsize() {
        Queue<String> q = new Queue<>(2);
        assertEquals(2, q.maxsize());
        assertTrue(q.empty());
        assertFalse(q.full());
        q.putNowait("a");
        q.putNowait("b");
        assertTrue(q.full());
        assertEquals(2, q.qsize());
        Queue<String> unbounded = new Queue<>(0);
        for (int i = 0; i < 1000; i++) {
            unbounded.putNowait("x");
        }
        assertFalse(unbounded.full()); // asyncio: maxsize <= 0 is infinite
        assertFalse(new Queue<String>(-1).full());
    }

    @Test
    void nowaitOperationsThrowInsteadOfWaiting() {
        Queue<String> q = new Queue<>(1);
        assertThrows(QueueEmptyException.class, q::getNowait);
        q.putNowait("a");
        QueueFullException full = assertThrows(QueueFullException.class, () -> q.putNowait("b"));
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        assertEquals("a", q.getNowait());
        assertEquals(0, q.qsize());
    }

    @Test
    void nullItemsAreRejected() {
        Queue<String> q = new Queue<>();
        assertThrows(NullPointerException.class, () -> q.putNowait(null));
        Asyncio.run(() -> assertThrows(NullPointerException.class, () -> q.put(null)));
        assertTrue(q.empty());
    }

    @Test
    void getWaitsForAPut() {
        Steps s = new Steps();
        Asyncio.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(() -> {
                s.expect(2);
                String v = q.get();
                s.expect(4);
                return v;
            });
            s.expect(1);
            Asyncio.sleep(0);
            s.expect(3);
            q.put("x");
            assertEquals("x", getter.await());
        });
        s.assertFinished(4);
    }

    @Test
    void putWaitsWhileFull() {
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Task<Void> putter = Asyncio.createTask(() -> q.put(2));
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(putter.done());
            assertEquals(1, q.statistics().putters());
            assertEquals(1, q.get());
            putter.await();
            assertEquals(2, q.getNowait());
        });
    }

    @Test
    void gettersAreServedInFifoOrder() {
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<String> got = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    got.add(n + ":" + q.get());
                }));
            }
            Asyncio.sleep(0);
            q.putNowait(10);
            q.putNowait(11);
            q.putNowait(12);
            Asyncio.gather(tasks).await();
            assertEquals(List.of("0:10", "1:11", "2:12"), got);
        });
    }

    @Test
    void anItemPutForAGetterCancelledInTheSameIterationGoesToTheNextGetter() {
        // asyncio Queue.get: a getter woken and then cancelled wakes the next one; no lost item.
        Asyncio.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> a = Asyncio.createTask(q::get);
            Task<String> b = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait("x"); // wakes a
            a.cancel();       // before a could run
            assertThrows(CancelledError.class, a::await);
            assertEquals("x", b.await());
            assertEquals(new Queue.Statistics(0, 0, 0, 0, 1, false), q.statistics());
        });
    }

    @Test
    void aGetterCancelledWhileWaitingTakesNothing() {
        Asyncio.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> a = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            a.cancel();
            q.putNowait("x");
            assertThrows(CancelledError.class, a::await);
            assertEquals(1, q.qsize());
            assertEquals(0, q.statistics().getters());
            assertEquals("x", q.getNowait());
        });
    }

    @Test
    void aSlotFreedForAPutterCancelledInTheSameIterationGoesToTheNextPutter() {
        // asyncio Queue.put: a putter woken and then cancelled wakes the next one: no lost slot,
        // and the cancelled putter's item is never added.
        Asyncio.run(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("first");
            Task<Void> a = Asyncio.createTask(() -> q.put("a"));
            Task<Void> b = Asyncio.createTask(() -> q.put("b"));
            Asyncio.sleep(0);
            assertEquals("first", q.getNowait()); // wakes a
            a.cancel();                           // before a could run
            assertThrows(CancelledError.class, a::await);
            b.await();
            assertEquals(1, q.qsize());
            assertEquals("b", q.getNowait());
            assertEquals(0, q.statistics().putters());
        });
    }

    @Test
    void aWokenGetterThatLosesTheItemToANewcomerWaitsAgain() {
        // asyncio's queue is not strictly fair: a getter arriving before the woken one runs
        // takes the item; the woken one goes round its loop and waits again.
        Asyncio.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> a = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait("x");
            assertEquals("x", q.getNowait());
            Asyncio.sleep(0);
            assertFalse(a.done());
            assertEquals(1, q.statistics().getters());
            q.putNowait("y");
            assertEquals("y", a.await());
        });
    }

    @Test
    void joinWaitsUntilEveryItemIsMarkedDone() {
        Steps s = new Steps();
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.join(); // nothing unfinished: returns at once
            q.putNowait(1);
            q.putNowait(2);
            Task<Void> worker = Asyncio.createTask(() -> {
                for (int i = 0; i < 2; i++) {
                    q.get();
                    Asyncio.sleep(0);
                    s.expect(i + 1);
                    q.taskDone();
                }
            });
            q.join();
            s.expect(3);
            worker.await();
            assertEquals(0, q.statistics().unfinishedTasks());
        });
        s.assertFinished(3);
    }

    @Test
    void taskDoneCalledTooOftenThrows() {
        Queue<Integer> q = new Queue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("too many times"), e.getMessage());
        q.putNowait(1);
        q.getNowait();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @Test
    void shutdownStopsPutsAndLetsGetsDrainTheQueue() {
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            q.putNowait(2);
            q.shutdown();
            assertThrows(QueueShutDownException.class, () -> q.putNowait(3));
            assertThrows(QueueShutDownException.class, () -> q.put(3));
            assertEquals(1, q.get());
            assertEquals(2, q.getNowait());
            assertThrows(QueueShutDownException.class, q::get);
            assertThrows(QueueShutDownException.class, q::getNowait);
            assertTrue(q.statistics().shutdown());
        });
    }

    @Test
    void shutdownWakesEveryBlockedGetterAndPutter() {
        Asyncio.run(() -> {
            Queue<Integer> empty = new Queue<>();
            Queue<Integer> full = new Queue<>(1);
            full.putNowait(0);
            List<Task<?>> getters = new ArrayList<>();
            List<Task<?>> putters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(Asyncio.createTask(empty::get));
                int n = i;
                putters.add(Asyncio.createTask(() -> full.put(n)));
            }
            Asyncio.sleep(0);
            empty.shutdown();
            full.shutdown();
            for (Task<?> t : getters) {
                assertThrows(QueueShutDownException.class, t::await);
            }
            for (Task<?> t : putters) {
                assertThrows(QueueShutDownException.class, t::await);
            }
            assertEquals(1, full.qsize()); // a normal shutdown keeps the items
            assertEquals(0, full.statistics().putters());
            assertEquals(0, empty.statistics().getters());
        });
    }

    @Test
    void immediateShutdownDiscardsItemsAndReleasesJoin() {
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            q.putNowait(2);
            Task<Void> joiner = Asyncio.createTask(q::join);
            Asyncio.sleep(0);
            assertFalse(joiner.done());
            q.shutdown(true);
            joiner.await();
            assertTrue(q.empty());
            assertEquals(0, q.statistics().unfinishedTasks());
            assertThrows(QueueShutDownException.class, q::get);
        });
    }

    @Test
    void immediateShutdownCountsOnlyDiscardedItemsAsDone() {
        // asyncio 3.14 docs fix: join unblocks only when unfinished tasks reach zero.
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            q.putNowait(2);
            q.getNowait(); // got but not marked done
            Task<Void> joiner = Asyncio.createTask(q::join);
            Asyncio.sleep(0);
            q.shutdown(true);
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(joiner.done());
            assertEquals(1, q.statistics().unfinishedTasks());
            q.taskDone();
            joiner.await();
        });
    }

    @Test
    void aQueueBoundToOneLoopRejectsAnother() {
        Queue<Integer> q = new Queue<>();
        Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(q::get);
            Asyncio.sleep(0); // t waits: q binds to this loop
            t.cancel();
            Asyncio.sleep(0);
        });
        Asyncio.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, q::get);
            assertTrue(e.getMessage().contains("bound to a different event loop"), e.getMessage());
            q.putNowait(1); // nobody waits: no loop involved, as in asyncio
            assertEquals(1, q.getNowait());
        });
    }

    @Test
    void statisticsAndToString() {
        Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>(3);
            q.putNowait(7);
            assertEquals(new Queue.Statistics(1, 3, 0, 0, 1, false), q.statistics());
            assertEquals("Queue[maxsize=3 qsize=1 tasks=1]", q.toString());
        });
    }
}
