package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.Future;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;
import org.jasyncio.CancelledError;

/**
 * Many producers and consumers on one queue, with random cancellations aimed at them, some in
 * the same iteration as a wake-up. Checks that every item put is got exactly once, that no
 * cancelled put adds its item, and that no waiter is left behind. Deterministic: fixed seeds,
 * one loop. Scaled by {@code -Djasyncio.stress.scale=N} (default 1: a few seconds at most).
 */
@Timeout(300)
class QueueStressTest {

    private static final int SCALE = Integer.getInteger("jasyncio.stress.scale", 1);
    private static final int[] MAXSIZES = {1, 2, 7, 0};

    @Test
    void everyItemPutIsGotExactlyOnceUnderRandomCancellations() {
        for (long seed = 1; seed <= 8L * SCALE; seed++) {
            run(seed, MAXSIZES[(int) (seed % MAXSIZES.length)], 6, 5, 150 * SCALE);
        }
    }

    private static final String STRESS = "stress";

    /** Swallows a cancellation sent by this test; any other (a timeout, Asyncio.run) ends the task. */
    private static void absorb(CancelledError e) {
        if (!STRESS.equals(e.getMessage())) {
            throw e;
        }
        Asyncio.currentTask().uncancel();
    }

    /** Awaits {@code f}, failing instead of hanging if it is not done within 60 s. */
    private static void awaitBounded(Future<?> f, String what) {
        double deadline = Asyncio.getRunningLoop().time() + 60;
        while (!f.done() && Asyncio.getRunningLoop().time() < deadline) {
            Asyncio.sleep(0.001);
        }
        assertTrue(f.done(), what + " did not finish: a waiter was left hanging");
        f.result();
    }

    private static void run(long seed, int maxsize, int producers, int consumers, int perProducer) {
        String where = "seed " + seed + ", maxsize " + maxsize;
        Asyncio.run(() -> {
            Random rnd = new Random(seed);
            Queue<Integer> q = new Queue<>(maxsize);
            Set<Integer> put = new HashSet<>();
            List<Integer> got = new ArrayList<>();
            int[] cancels = {0};
            List<Task<?>> workers = new ArrayList<>();
            List<Task<?>> producerTasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * 1_000_000;
                Task<Void> t = Asyncio.createTask(() -> {
                    int k = 0;
                    while (k < perProducer) {
                        try {
                            if (rnd.nextInt(4) == 0) {
                                Asyncio.sleep(0);
                            }
                            int item = base + k;
                            q.put(item);
                            put.add(item); // no suspension between put returning and here
                            k++;
                        } catch (CancelledError e) {
                            absorb(e); // the item was not put: retry it
                        }
                    }
                }, "producer-" + p);
                producerTasks.add(t);
                workers.add(t);
            }
            List<Task<?>> consumerTasks = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                Task<Void> t = Asyncio.createTask(() -> {
                    while (true) {
                        try {
                            if (rnd.nextInt(4) == 0) {
                                Asyncio.sleep(0);
                            }
                            int item = q.get();
                            got.add(item);
                            q.taskDone();
                        } catch (CancelledError e) {
                            absorb(e);
                        } catch (QueueShutDownException e) {
                            return;
                        }
                    }
                }, "consumer-" + c);
                consumerTasks.add(t);
                workers.add(t);
            }
            int[] extra = {2_000_000_000};
            Task<Void> canceller = Asyncio.createTask(() -> {
                while (!producerTasks.stream().allMatch(Future::done)) {
                    int pause = rnd.nextInt(3);
                    for (int i = 0; i < pause; i++) {
                        Asyncio.sleep(0);
                    }
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            // Put an item (waking a getter), then cancel a consumer at once.
                            if (!q.full()) {
                                int item = extra[0]++;
                                q.putNowait(item);
                                put.add(item);
                            }
                            Task<?> victim = consumerTasks.get(rnd.nextInt(consumerTasks.size()));
                            cancels[0] += victim.cancel(STRESS) ? 1 : 0;
                        }
                        case 1 -> {
                            // Take an item (waking a putter), then cancel a producer at once.
                            if (!q.empty()) {
                                got.add(q.getNowait());
                                q.taskDone();
                            }
                            Task<?> victim = producerTasks.get(rnd.nextInt(producerTasks.size()));
                            cancels[0] += victim.cancel(STRESS) ? 1 : 0;
                        }
                        default -> {
                            Task<?> victim = workers.get(rnd.nextInt(workers.size()));
                            cancels[0] += victim.cancel(STRESS) ? 1 : 0;
                        }
                    }
                }
            }, "canceller");
            Asyncio.gather(producerTasks).await();
            canceller.await();
            // Finale for getters: one-shot getters block on an empty queue; put one item and
            // cancel a random getter in the same iteration (a cancelled getter gives up). Another
            // getter must take the item.
            Queue<Integer> sideQ = new Queue<>(maxsize);
            List<Integer> sideGot = new ArrayList<>();
            List<Task<?>> getters = new ArrayList<>();
            for (int i = 0; i < 12; i++) { // enough for 5 rounds of one get and one cancel
                getters.add(Asyncio.createTask(() -> {
                    try {
                        sideGot.add(sideQ.get());
                    } catch (CancelledError e) {
                        absorb(e); // this getter gives up
                    }
                }));
            }
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(0);
                }
                sideQ.putNowait(round);
                getters.get(rnd.nextInt(getters.size())).cancel(STRESS);
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(0);
                }
                assertTrue(sideQ.empty(), where + ": an item was left in the queue while getters wait: " + sideQ);
            }
            assertEquals(List.of(0, 1, 2, 3, 4), sideGot, where);
            sideQ.shutdown();
            Asyncio.gatherReturnExceptions(getters).await();
            // Finale for putters: on a full queue with putters blocked, take one item and cancel a
            // random putter in the same iteration; some other putter must fill the slot.
            if (maxsize > 0) {
                Queue<Integer> side = new Queue<>(maxsize);
                for (int i = 0; i < maxsize; i++) {
                    side.putNowait(-1);
                }
                List<Task<?>> putters = new ArrayList<>();
                for (int i = 0; i < 12; i++) { // enough for 5 rounds of one fill and one cancel
                    int item = i;
                    putters.add(Asyncio.createTask(() -> {
                        try {
                            side.put(item);
                        } catch (CancelledError e) {
                            absorb(e); // this putter gives up
                        }
                    }));
                }
                for (int round = 0; round < 5; round++) {
                    for (int i = 0; i < 3; i++) {
                        Asyncio.sleep(0);
                    }
                    side.getNowait();
                    putters.get(rnd.nextInt(putters.size())).cancel(STRESS);
                    for (int i = 0; i < 3; i++) {
                        Asyncio.sleep(0);
                    }
                    assertTrue(side.full(), where + ": a free slot was left while putters wait: " + side);
                }
                side.shutdown();
                Asyncio.gatherReturnExceptions(putters).await();
                assertEquals(0, side.statistics().putters(), where);
            }
            q.join(); // every item put has been got and marked done
            // Every item put has been got and marked done, or a waiter was left hanging.
            awaitBounded(Asyncio.createTask(q::join), where + ": join");
            q.shutdown();
            List<Object> ends = Asyncio.gatherReturnExceptions(consumerTasks).await();
            for (Object end : ends) {
                assertNull(end, where + ": a consumer ended with " + end);
            }
            assertEquals(got.size(), new HashSet<>(got).size(), where + ": an item was got twice");
            assertEquals(put, new HashSet<>(got), where + ": items put and items got differ");
            assertEquals(producers * perProducer, put.stream().filter(i -> i < 2_000_000_000).count(), where);
            assertEquals(new Queue.Statistics(0, maxsize, 0, 0, 0, true), q.statistics(), where);
            assertTrue(cancels[0] > 0, where + ": the canceller never cancelled anything");
            for (Task<?> w : workers) {
                assertTrue(w.done(), where + ": " + w + " is left hanging");
            }
        });
    }
}
