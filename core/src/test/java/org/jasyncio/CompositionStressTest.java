package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Random trees of tasks composed with every tool of this layer (TaskGroup, gather, wait,
 * waitFor, timeout, shield, asCompleted), with random cancellations and timeouts. Checks
 * that every task ends, every done callback runs, nothing but the expected exceptions
 * escapes, the loop reports nothing unexpected, and {@code allTasks()} is empty at the end.
 * Fixed seeds; {@code -Djasyncio.stress.trees=N} scales it (default 10,000 trees).
 */
class CompositionStressTest {

    private static final int TREES = Integer.getInteger("jasyncio.stress.trees", 10_000);
    private static final int TREES_PER_RUN = 250;

    /** A leaf's deliberate failure. */
    private static final class LeafFailure extends RuntimeException {
        LeafFailure() {
            super("leaf failure", null, false, false);
        }
    }

    /** One Asyncio.run: a batch of trees on one loop. */
    private static final class Batch {
        final Random random;
        final List<Task<?>> tasks = new ArrayList<>();
        final int[] outcomes;
        int callbacksRun;

        Batch(long seed, int[] outcomes) {
            this.random = new Random(seed);
            this.outcomes = outcomes;
        }

        <T> Task<T> spawn(Coroutine<T> coro) {
            Task<T> t = Asyncio.createTask(coro);
            tasks.add(t);
            t.addDoneCallback(f -> callbacksRun++);
            return t;
        }

        Coroutine<Object> node(int depth) {
            int kind = depth >= 3 || random.nextInt(10) < 3 ? 0 : 1 + random.nextInt(8);
            int fanout = 1 + random.nextInt(3);
            List<Coroutine<Object>> kids = new ArrayList<>();
            if (kind != 0) {
                for (int i = 0; i < fanout; i++) {
                    kids.add(node(depth + 1));
                }
            }
            double timeout = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 0.004;
            ReturnWhen when = ReturnWhen.values()[random.nextInt(3)];
            int leafMode = random.nextInt(10);
            double leafSleep = random.nextDouble() * 0.003;
            return switch (kind) {
                case 0 -> () -> leaf(leafMode, leafSleep);
                case 1 -> () -> TaskGroup.call(tg -> {
                    for (Coroutine<Object> k : kids) {
                        tg.createTask(k);
                    }
                    return "group";
                });
                case 2 -> () -> Asyncio.gatherReturnExceptions(spawnAll(kids)).await();
                case 3 -> () -> Asyncio.waitFor(spawn(kids.get(0)), timeout);
                case 4 -> () -> Asyncio.timeout(Duration.ofNanos((long) (timeout * 1e9)), () -> TaskGroup.call(tg -> {
                    for (Coroutine<Object> k : kids) {
                        tg.createTask(k);
                    }
                    return "timed";
                }));
                case 5 -> () -> Asyncio.shield(spawn(kids.get(0))).await();
                // gather without return_exceptions: fails at the first failure, siblings run on
                case 6 -> () -> Asyncio.gather(spawnAll(kids)).await();
                case 7 -> () -> {
                    List<Task<Object>> ts = spawnAll(kids);
                    WaitResult<Task<Object>> r = Asyncio.wait(ts, timeout, when);
                    for (Task<Object> p : r.pending()) {
                        p.cancel();
                    }
                    if (!r.pending().isEmpty()) {
                        Asyncio.wait(r.pending());
                    }
                    return r.done().size();
                };
                default -> () -> {
                    List<Task<Object>> ts = spawnAll(kids);
                    int n = 0;
                    try {
                        for (Future<Object> f : Asyncio.asCompleted(ts, Duration.ofNanos((long) (timeout * 1e9) + 1))) {
                            n++;
                        }
                    } finally {
                        for (Task<Object> t : ts) {
                            t.cancel();
                        }
                        Asyncio.wait(ts);
                    }
                    return n;
                };
            };
        }

        List<Task<Object>> spawnAll(List<Coroutine<Object>> kids) {
            List<Task<Object>> ts = new ArrayList<>();
            for (Coroutine<Object> k : kids) {
                ts.add(spawn(k));
            }
            return ts;
        }

        static Object leaf(int mode, double sleep) {
            switch (mode) {
                case 0 -> throw new LeafFailure();
                case 1 -> {
                    Asyncio.sleep(sleep);
                    throw new LeafFailure();
                }
                case 2 -> {
                    // Suppresses one cancellation, then finishes normally (asyncio allows it).
                    try {
                        Asyncio.sleep(sleep);
                    } catch (CancelledError e) {
                        Asyncio.currentTask().uncancel();
                        return "suppressed";
                    }
                    return "slept";
                }
                case 3, 4 -> {
                    Asyncio.sleep(0);
                    Asyncio.sleep(0);
                    return "yielded";
                }
                default -> {
                    Asyncio.sleep(sleep);
                    return "slept";
                }
            }
        }
    }

    @Test
    void randomTreesWithCancellationsAndTimeoutsAllEndCleanly() {
        List<String> unexpectedReports = new CopyOnWriteArrayList<>();
        int totalTasks = 0;
        // ok, cancelled, timed out, group failure, leaf failure
        int[] outcomes = new int[5];
        long started = System.nanoTime();
        for (int first = 0; first < TREES; first += TREES_PER_RUN) {
            int trees = Math.min(TREES_PER_RUN, TREES - first);
            Batch batch = new Batch(0x5EED_0000L + first, outcomes);
            totalTasks += Asyncio.run(() -> runBatch(batch, trees, unexpectedReports));
        }
        assertEquals(List.of(), unexpectedReports);
        assertTrue(totalTasks >= TREES, "tasks: " + totalTasks);
        assertTrue(System.nanoTime() - started < 300e9, "took too long");
        System.out.printf("%d trees, %d tasks, outcomes ok/cancelled/timeout/group/leaf = %s, %.1f s%n", TREES,
                totalTasks, java.util.Arrays.toString(outcomes), (System.nanoTime() - started) / 1e9);
        if (TREES >= 1000) {
            for (int n : outcomes) {
                assertTrue(n > 0, "an outcome never happened: " + java.util.Arrays.toString(outcomes));
            }
        }
    }

    private static int runBatch(Batch batch, int trees, List<String> unexpectedReports) {
        EventLoop loop = Asyncio.getRunningLoop();
        // Every task is referenced by the batch until its exception is retrieved at the end, and
        // every intermediate future is awaited: nothing may be reported, not even "never retrieved".
        loop.setExceptionHandler((l, c) -> unexpectedReports.add(c.message() + ": " + c.exception()));
        Random random = batch.random;
        loop.setEagerTasks(random.nextInt(4) == 0);
        List<Task<Object>> roots = new ArrayList<>();
        for (int i = 0; i < trees; i++) {
            roots.add(batch.spawn(batch.node(0)));
        }
        // Random cancellations of random tasks (roots or descendants) at random times.
        for (int i = 0; i < trees / 2; i++) {
            double at = random.nextDouble() * 0.004;
            int pick = random.nextInt(1 << 20);
            loop.callLater(at, () -> {
                List<Task<?>> all = batch.tasks;
                all.get(pick % all.size()).cancel();
            });
        }
        for (Task<Object> root : roots) {
            try {
                root.await();
                batch.outcomes[0]++;
            } catch (CancelledError e) {
                batch.outcomes[1]++;
            } catch (AsyncTimeoutException e) {
                batch.outcomes[2]++;
            } catch (TaskGroupException e) {
                batch.outcomes[3]++;
            } catch (LeafFailure e) {
                batch.outcomes[4]++;
            } catch (Throwable t) {
                fail("unexpected outcome of a tree: " + t, t);
            }
        }
        // Shielded children may outlive their parents: wait (bounded) for every task.
        WaitResult<Task<?>> r = Asyncio.wait(new ArrayList<>(batch.tasks), Duration.ofSeconds(60),
                ReturnWhen.ALL_COMPLETED);
        assertEquals(Set.of(), r.pending(), "tasks that never ended");
        assertEquals(batch.tasks.size(), batch.callbacksRun, "done callbacks lost");
        assertEquals(Set.of(Asyncio.currentTask()), Asyncio.allTasks());
        for (Task<?> t : batch.tasks) {
            if (!t.cancelled()) {
                t.exception(); // retrieved before the batch lets go of the task
            }
        }
        return batch.tasks.size();
    }
}
