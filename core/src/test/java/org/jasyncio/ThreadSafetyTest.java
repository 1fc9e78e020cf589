package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread-safety contract: loop-only calls made from another thread while the loop runs
 * fail at once and change nothing (asyncio's debug-mode "Non-thread-safe operation" check,
 * always on here), while cancel() and stop() hop to the loop and wake it, as a Java user
 * expects of {@code java.util.concurrent.Future.cancel}.
 */
@Timeout(20)
class ThreadSafetyTest {

    /** Runs {@code call} on a plain thread off the loop and returns what it threw, or null. */
    private static Throwable fromAnotherThread(Runnable call) {
        return Asyncio.toThread(() -> {
            try {
                call.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }).await();
    }

    private static void assertLoopOnly(Throwable thrown, String operation) {
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(e.getMessage().startsWith(operation + " was called from thread"), e.getMessage());
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }

    @Test
    void setResultFromAnotherThreadIsRejectedAndTheWaiterStillGetsTheResultSetTheRightWay() {
        String got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> f = loop.createFuture();
            Task<String> waiter = Asyncio.createTask(f::await);
            assertLoopOnly(fromAnotherThread(() -> f.setResult("lost")), "Future.setResult()");
            assertFalse(f.done(), "a rejected setResult changed the future");
            fromAnotherThread(() -> loop.callSoonThreadsafe(() -> f.setResult("delivered")));
            return waiter.await();
        });
        assertEquals("delivered", got);
    }

    @Test
    void everyLoopOnlyFutureMutatorIsRejectedFromAnotherThread() {
        Asyncio.run(() -> {
            Future<String> f = Asyncio.getRunningLoop().createFuture();
            Consumer<Future<String>> callback = x -> { };
            assertLoopOnly(fromAnotherThread(() -> f.setException(new RuntimeException())), "Future.setException()");
            assertLoopOnly(fromAnotherThread(() -> f.trySetResult("x")), "Future.trySetResult()");
            assertLoopOnly(fromAnotherThread(() -> f.trySetException(new RuntimeException())),
                    "Future.trySetException()");
            assertLoopOnly(fromAnotherThread(() -> f.addDoneCallback(callback)), "Future.addDoneCallback()");
            assertLoopOnly(fromAnotherThread(() -> f.removeDoneCallback(callback)), "Future.removeDoneCallback()");
            assertFalse(f.done());
            f.cancel();
        });
    }

    @Test
    void taskCancelFromAnotherThreadWakesTheLoopAndLandsAtTheSuspensionPoint() {
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Task<Void> sleeper = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError e) {
                    log.add("cancelled: " + e.getMessage());
                    throw e;
                }
            });
            Asyncio.sleep(0); // the sleeper is now asleep; the loop will block in select
            boolean[] accepted = new boolean[1];
            Thread canceller = Thread.ofPlatform().start(() -> accepted[0] = sleeper.cancel("from a thread"));
            assertThrows(CancelledError.class, sleeper::await);
            canceller.join();
            assertTrue(accepted[0]);
            assertEquals(1, sleeper.cancelling());
        });
        assertEquals(List.of("cancelled: from a thread"), log);
    }

    @Test
    void futureCancelFromAnotherThreadCancelsOnTheLoop() {
        Asyncio.run(() -> {
            Future<String> f = Asyncio.getRunningLoop().createFuture();
            Thread.ofPlatform().start(() -> f.cancel("stop waiting"));
            CancelledError e = assertThrows(CancelledError.class, f::await);
            assertEquals("stop waiting", e.getMessage());
            assertTrue(f.cancelled());
        });
    }

    @Test
    void cancelFromAnotherThreadOfADoneFutureSaysNo() {
        Asyncio.run(() -> {
            Future<String> f = Asyncio.getRunningLoop().createFuture();
            f.setResult("done");
            boolean accepted = Asyncio.toThread(() -> f.cancel()).await();
            assertFalse(accepted);
            assertEquals("done", f.result());
        });
    }

    @Test
    void stopFromAnotherThreadEndsRunForeverOfAnIdleLoop() {
        try (EventLoop loop = new EventLoop()) {
            loop.callSoon(() -> Thread.ofPlatform().start(loop::stop));
            loop.runForever(); // idle: blocks in select until the stop arrives
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void executeRunsOnTheLoopSoACompletableFutureCanComeBack() {
        String result = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Thread loopThread = Thread.currentThread();
            CompletableFuture<String> back = CompletableFuture
                    .supplyAsync(() -> "computed off the loop")
                    .thenApplyAsync(s -> s + (loop.inEventLoop() ? ", back on the loop" : ", elsewhere"), loop);
            String s = Asyncio.await(back);
            assertSame(loopThread, Thread.currentThread());
            return s;
        });
        assertEquals("computed off the loop, back on the loop", result);
    }

    @Test
    void executeOnAClosedLoopIsRejected() {
        EventLoop loop = new EventLoop();
        loop.close();
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
    }

    @Test
    void inEventLoopIsTrueInTasksAndCallbacksOnly() {
        List<Boolean> seen = new ArrayList<>();
        EventLoop loop = new EventLoop();
        try (loop) {
            seen.add(loop.inEventLoop()); // before it runs
            loop.runUntilComplete(() -> {
                seen.add(loop.inEventLoop()); // in a task
                Future<Void> callbackRan = loop.createFuture();
                loop.callSoon(() -> {
                    seen.add(loop.inEventLoop()); // in a callback
                    callbackRan.setResult(null);
                });
                callbackRan.await();
                seen.add(Asyncio.toThread(loop::inEventLoop).await()); // on another thread
                return null;
            });
            seen.add(loop.inEventLoop()); // after
        }
        assertEquals(List.of(false, true, true, false, false), seen);
    }

    @Test
    void beforeTheLoopRunsTheThreadSettingItUpMayCompleteFutures() {
        try (EventLoop loop = new EventLoop()) {
            Future<String> f = loop.createFuture();
            f.setResult("set before run"); // asyncio allows this too: no loop runs yet
            assertEquals("set before run", loop.runUntilComplete(f));
        }
    }
}
