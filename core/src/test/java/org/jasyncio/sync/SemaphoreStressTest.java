package org.jasyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many tasks contend for a semaphore (and a lock) while a canceller cancels them at random,
 * often in the same iteration as a release woke them. Checks that no more tasks than permits
 * ever hold it, that every task finishes its quota (nobody is left waiting with a permit
 * free), and that the count ends where it started: no permit leaked or duplicated.
 * Deterministic: fixed seeds, one loop. Scaled by {@code -Djasyncio.stress.scale=N}.
 */
@Timeout(300)
class SemaphoreStressTest {

    private static final int SCALE = Integer.getInteger("jasyncio.stress.scale", 1);
    private static final String STRESS = "stress";

    @Test
    void aSemaphoreNeverLeaksOrDuplicatesAPermitUnderRandomCancellations() {
        for (long seed = 1; seed <= 6L * SCALE; seed++) {
            int permits = 1 + (int) (seed % 3);
            Semaphore sem = seed % 2 == 0 ? new Semaphore(permits) : new BoundedSemaphore(permits);
            run(seed, sem, permits, sem::acquire, sem::release);
            assertEquals(new Semaphore.Statistics(permits, 0), sem.statistics(), "seed " + seed);
        }
    }

    @Test
    void aLockIsNeverHeldTwiceOrLostUnderRandomCancellations() {
        for (long seed = 1; seed <= 6L * SCALE; seed++) {
            Lock lock = new Lock();
            run(seed, lock, 1, lock::acquire, lock::release);
            assertEquals(new Lock.Statistics(false, 0), lock.statistics(), "seed " + seed);
        }
    }

    private static void run(long seed, Object primitive, int permits, Runnable acquire, Runnable release) {
        String where = "seed " + seed + ", " + primitive;
        int workers = 8;
        int quota = 100 * SCALE;
        Asyncio.run(() -> {
            Random rnd = new Random(seed);
            int[] holders = {0};
            int[] cancels = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                tasks.add(Asyncio.createTask(() -> {
                    int done = 0;
                    while (done < quota) {
                        try {
                            acquire.run();
                        } catch (CancelledError e) {
                            absorb(e);
                            continue; // not acquired: nothing to give back
                        }
                        holders[0]++;
                        assertTrue(holders[0] <= permits, where + ": " + holders[0] + " holders");
                        try {
                            if (rnd.nextBoolean()) {
                                Asyncio.sleep(0);
                            }
                        } catch (CancelledError e) {
                            absorb(e);
                        } finally {
                            holders[0]--;
                            release.run();
                        }
                        done++;
                    }
                }));
            }
            Task<Void> canceller = Asyncio.createTask(() -> {
                while (!tasks.stream().allMatch(Future::done)) {
                    Asyncio.sleep(0);
                    if (rnd.nextInt(3) == 0) {
                        Task<Void> victim = tasks.get(rnd.nextInt(workers));
                        cancels[0] += victim.cancel(STRESS) ? 1 : 0;
                    }
                }
            });
            double deadline = Asyncio.getRunningLoop().time() + 60;
            while (!canceller.done() && Asyncio.getRunningLoop().time() < deadline) {
                Asyncio.sleep(0.001);
            }
            assertTrue(canceller.done(), where + ": a worker was left waiting");
            for (Task<Void> t : tasks) {
                t.result(); // rethrows a failed assertion
            }
            assertTrue(cancels[0] > 0, where + ": nothing was cancelled");
        });
    }

    private static void absorb(CancelledError e) {
        if (!STRESS.equals(e.getMessage())) {
            throw e;
        }
        Asyncio.currentTask().uncancel();
    }
}
