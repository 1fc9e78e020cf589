package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    void anExceptionStillReferencedAtCloseIsReportedThenAndOnlyOnce() {
        // Beyond asyncio, which reports only when the future is collected: close() reports what
        // is left, in the order the futures failed, so a program's end never hides a failure.
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        Future<Void> first = loop.createFuture();
        Future<Void> second = loop.createFuture();
        first.setException(new IllegalStateException("first"));
        second.setException(new IllegalArgumentException("second"));
        loop.close();
        assertEquals(2, reports.size(), reports.toString());
        assertEquals("first", reports.get(0).exception().getMessage());
        assertEquals("second", reports.get(1).exception().getMessage());
        assertTrue(reports.get(0).message().startsWith("Future exception was never retrieved"));
        assertTrue(first.done() && second.done()); // kept reachable up to here
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
        setAndForget(loop, "m4");
    }

    private static void setAndForget(EventLoop loop, String marker) {
        new Future<Void>(loop).setException(new Marker(marker));
    }

    /** Runs one iteration of an idle loop (asyncio's stop() before run_forever()). */
    private static void runOnce(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    @Test
    void aReportForAnIdleLoopIsHandledOnTheLoopWhenItNextRuns() {
        // asyncio's __del__ reports through call_exception_handler of a loop nobody runs
        // concurrently; here the cleaner thread must not call the user's handler while the
        // loop is merely between runs: it posts the report, which the loop's next run handles.
        EventLoop loop = new EventLoop();
        List<Thread> handledOn = new CopyOnWriteArrayList<>();
        loop.setExceptionHandler((l, c) -> {
            if (c.exception() instanceof Marker m && m.getMessage().equals("m8")) {
                handledOn.add(Thread.currentThread());
            }
        });
        try {
            setAndForget(loop, "m8");
            collectUntil(() -> !loop.inbox.isEmpty() || !handledOn.isEmpty(), false);
            assertEquals(List.of(), handledOn, "the handler ran on the cleaner thread while the loop was idle");
            assertFalse(loop.inbox.isEmpty(), "the report was neither posted nor handled");
            runOnce(loop);
            assertEquals(List.of(Thread.currentThread()), handledOn);
        } finally {
            loop.close();
        }
    }

    @Test
    void aReportStillQueuedWhenTheLoopClosesIsDeliveredByClose() {
        EventLoop loop = new EventLoop();
        List<Thread> handledOn = new CopyOnWriteArrayList<>();
        loop.setExceptionHandler((l, c) -> {
            if (c.exception() instanceof Marker m && m.getMessage().equals("m9")) {
                handledOn.add(Thread.currentThread());
            }
        });
        setAndForget(loop, "m9");
        collectUntil(() -> !loop.inbox.isEmpty() || !handledOn.isEmpty(), false);
        assertEquals(List.of(), handledOn, "the handler ran on the cleaner thread while the loop was idle");
        loop.close(); // never ran again: close() reports what is still queued
        assertEquals(List.of(Thread.currentThread()), handledOn);
    }

    /**
     * Occupies the cleaner thread until {@code release} is counted down: a future of a closed
     * loop is reported to directly, on that thread, by a handler that waits.
     */
    private static void occupyTheCleaner(CountDownLatch release) {
        CountDownLatch entered = new CountDownLatch(1);
        EventLoop closed = new EventLoop();
        closed.setExceptionHandler((l, c) -> {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closed.close();
        setAndForget(closed, "blocker");
        collectUntil(() -> entered.getCount() == 0, false);
        assertEquals(0, entered.getCount(), "the cleaner thread never reported the blocker");
    }

    /** A future whose exception is retrieved and then forgotten; only the exception is watched. */
    private static WeakReference<Throwable> retrieveAndForget(EventLoop loop) {
        Future<Void> f = new Future<>(loop);
        Throwable e = new Marker("m10");
        f.setException(e);
        assertSame(e, f.exception());
        return new WeakReference<>(e);
    }

    @Test
    void aRetrievedExceptionIsNotKeptReachableByTheCleaner() {
        // Once retrieved, nothing is left to report: the registration is cleaned at once, so the
        // exception and its stack go with the future, not whenever the cleaner thread runs.
        CountDownLatch release = new CountDownLatch(1);
        EventLoop loop = new EventLoop();
        try {
            occupyTheCleaner(release); // the cleaner cannot process anything meanwhile
            WeakReference<Throwable> exception = retrieveAndForget(loop);
            for (int i = 0; i < 20 && exception.get() != null; i++) {
                System.gc();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            assertNull(exception.get(), "a retrieved exception is still held by the Cleaner");
        } finally {
            release.countDown();
            loop.close();
        }
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
