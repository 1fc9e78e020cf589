package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** asyncio's "Task exception was never retrieved", reported when the task is collected. */
class NeverRetrievedReporterTest {

    /** A failure whose message is unique to one test, so reports of other tests are ignored. */
    private static final class Marker extends RuntimeException {
        Marker(String message) {
            super(message);
        }
    }

    private static List<ExceptionContext> reportsOf(List<ExceptionContext> all, String marker) {
        return all.stream().filter(c -> c.exception() instanceof Marker m && m.getMessage().equals(marker)).toList();
    }

    /** Creates, runs to failure and forgets a task: no reference survives this method. */
    private static void failAndForget(String name, String marker, boolean retrieve) {
        failAndForget(name, marker, retrieve ? 1 : 0);
    }

    /** how: 0 never retrieves, 1 calls exception(), 2 result(), 3 await(). */
    private static void failAndForget(String name, String marker, int how) {
        Task<Void> t = Asyncio.createTask(() -> {
            throw new Marker(marker);
        }, name);
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        try {
            switch (how) {
                case 1 -> t.exception();
                case 2 -> t.result();
                case 3 -> t.await();
                default -> { }
            }
        } catch (Marker expected) {
            // retrieved
        }
    }

    private static void collectUntil(java.util.function.BooleanSupplier condition, boolean onLoop) {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            System.gc();
            if (onLoop) {
                Asyncio.sleep(0.01);
            } else {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Test
    void aCollectedTaskWithAnUnretrievedExceptionIsReportedOnTheLoop() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        Thread[] reportThread = new Thread[1];
        Thread[] loopThread = new Thread[1];
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.setExceptionHandler((l, c) -> {
                reportThread[0] = Thread.currentThread();
                reports.add(c);
            });
            loop.callSoon(() -> loopThread[0] = Thread.currentThread());
            failAndForget("forgotten-task", "m1", false);
            collectUntil(() -> !reportsOf(reports, "m1").isEmpty(), true);
        });
        List<ExceptionContext> mine = reportsOf(reports, "m1");
        assertEquals(1, mine.size(), "reports: " + reports);
        assertSame(loopThread[0], reportThread[0]); // reported on the loop, not the cleaner thread
        ExceptionContext c = mine.get(0);
        assertTrue(c.message().startsWith("Task exception was never retrieved"), c.message());
        assertTrue(c.message().contains("forgotten-task"), c.message());
        assertNotNull(c.exception().getStackTrace());
        assertTrue(c.exception().getStackTrace().length > 0);
    }

    @Test
    void aRetrievedExceptionIsNotReported() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, c) -> reports.add(c));
            failAndForget("seen-task", "m2", 1);
            failAndForget("seen-task", "m2", 2);
            failAndForget("seen-task", "m2", 3);
            // A control task that is not retrieved: once it is reported, m2 had its chance too.
            failAndForget("control-task", "m2-control", false);
            collectUntil(() -> !reportsOf(reports, "m2-control").isEmpty(), true);
        });
        assertEquals(1, reportsOf(reports, "m2-control").size());
        assertEquals(List.of(), reportsOf(reports, "m2"));
    }

    @Test
    void aReportAfterTheLoopClosedStillReachesTheHandler() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        loop.runUntilComplete(loop.createTask(() -> {
            failAndForget("late-task", "m3", false);
            return null;
        }));
        loop.close();
        collectUntil(() -> !reportsOf(reports, "m3").isEmpty(), false);
        assertEquals(1, reportsOf(reports, "m3").size());
    }

    @Test
    void aPlainFutureIsReportedToo() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        setAndForget(loop);
        loop.close();
        collectUntil(() -> !reportsOf(reports, "m4").isEmpty(), false);
        List<ExceptionContext> mine = reportsOf(reports, "m4");
        assertEquals(1, mine.size());
        assertTrue(mine.get(0).message().startsWith("Future exception was never retrieved"));
    }

    private static void setAndForget(EventLoop loop) {
        loop.<Void>createFuture().setException(new Marker("m4"));
    }

    /** A gather fails at its first child; the second fails later, with nobody to see it. */
    private static void gatherWithALateSiblingFailure() {
        Task<Void> first = Asyncio.createTask(() -> {
            throw new Marker("m6-first");
        });
        Task<Void> late = Asyncio.createTask(() -> {
            Asyncio.sleep(0.01);
            throw new Marker("m6");
        });
        try {
            Asyncio.gather(first, late).await();
        } catch (Marker expected) {
            // the first failure
        }
        Asyncio.sleep(0.03);
        if (!late.done()) {
            throw new AssertionError("late sibling still running");
        }
    }

    @Test
    void gatherMarksALateSiblingFailureRetrieved() {
        // asyncio's gather: once the outer future is done, a child's exception is marked retrieved.
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, c) -> reports.add(c));
            gatherWithALateSiblingFailure();
            failAndForget("control-task", "m6-control", false);
            collectUntil(() -> !reportsOf(reports, "m6-control").isEmpty(), true);
        });
        assertEquals(1, reportsOf(reports, "m6-control").size());
        assertEquals(List.of(), reportsOf(reports, "m6"));
        assertEquals(List.of(), reportsOf(reports, "m6-first"));
    }

    /** The awaited future fails, then the waiting task is cancelled before it resumes. */
    private static void awaitedFailureOverriddenByACancel() {
        Future<Void> f = new Future<>();
        Task<Void> waiter = Asyncio.createTask(() -> f.await());
        Asyncio.sleep(0);
        f.setException(new Marker("m7"));
        waiter.cancel(); // f is done: the cancel is delivered instead of f's exception
        try {
            waiter.await();
            throw new AssertionError("not cancelled");
        } catch (CancelledError expected) {
            // as in asyncio
        }
    }

    @Test
    void wakeupMarksTheAwaitedExceptionRetrievedEvenWhenACancelWins() {
        // asyncio's Task.__wakeup calls future.result() before __step throws the cancellation.
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, c) -> reports.add(c));
            awaitedFailureOverriddenByACancel();
            failAndForget("control-task", "m7-control", false);
            collectUntil(() -> !reportsOf(reports, "m7-control").isEmpty(), true);
        });
        assertEquals(1, reportsOf(reports, "m7-control").size());
        assertEquals(List.of(), reportsOf(reports, "m7"));
    }
}
