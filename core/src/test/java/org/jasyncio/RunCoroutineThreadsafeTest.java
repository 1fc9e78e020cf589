package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** asyncio.run_coroutine_threadsafe: a loop runs on its own thread, the test submits to it. */
class RunCoroutineThreadsafeTest {

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void startLoop() throws InterruptedException {
        loop = new EventLoop();
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        loopThread = Thread.ofPlatform().name("test-loop").start(loop::runForever);
        assertTrue(running.await(5, TimeUnit.SECONDS));
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(5000);
        loop.close();
    }

    @Test
    void theCoroutineRunsAsATaskOfTheLoopAndItsResultCrosses() throws Exception {
        CompletableFuture<String> cf = loop.runCoroutineThreadsafe(() -> {
            Asyncio.sleep(0.01);
            return Thread.currentThread() == loopThread || Asyncio.currentTask() != null ? "on the loop" : "elsewhere";
        });
        assertEquals("on the loop", cf.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theExceptionCrossesUnchanged() throws Exception {
        IOException boom = new IOException("boom");
        CompletableFuture<String> cf = loop.runCoroutineThreadsafe(() -> {
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> cf.get(5, TimeUnit.SECONDS));
        assertSame(boom, e.getCause());
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheTask() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<String> cf = loop.runCoroutineThreadsafe(() -> {
            started.countDown();
            try {
                Asyncio.sleep(30);
            } catch (CancelledError e) {
                cancelled.countDown();
                throw e;
            }
            return "slept";
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertTrue(cf.cancel(true));
        assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the task was not cancelled");
    }

    @Test
    void cancellingTheTaskCancelsTheCompletableFuture() throws Exception {
        AtomicReference<Task<?>> task = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> cf = loop.runCoroutineThreadsafe(() -> {
            task.set(Asyncio.currentTask());
            started.countDown();
            Asyncio.sleep(30);
            return "slept";
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        loop.callSoonThreadsafe(() -> task.get().cancel("stop now"));
        assertThrows(CancellationException.class, () -> cf.get(5, TimeUnit.SECONDS));
        assertEquals("stop now", cf.handle((v, e) -> e.getMessage()).join());
        assertTrue(cf.isCancelled());
    }

    @Test
    void aClosedLoopRefusesAtOnce() {
        EventLoop closed = new EventLoop();
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> closed.runCoroutineThreadsafe(() -> 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void theTaskRunsInTheSubmittingThreadsContext() throws Exception {
        // asyncio: the task is created in a copy of the context of call_soon_threadsafe's caller.
        ContextVar<String> who = new ContextVar<>("who", "nobody");
        who.set("submitter");
        try {
            assertEquals("submitter", loop.runCoroutineThreadsafe(who::get).get(5, TimeUnit.SECONDS));
        } finally {
            who.set("nobody");
        }
    }

    @Test
    void aSubmissionLeftInTheInboxWhenTheLoopClosesFailsInsteadOfHanging() throws Exception {
        EventLoop loop = new EventLoop();
        java.util.concurrent.CompletableFuture<Integer> f = loop.runCoroutineThreadsafe(() -> 1);
        loop.close(); // the loop never ran: the submission is still in its inbox
        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> f.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }
    @Test
    void aTaskStillPendingWhenTheLoopClosesFailsItsFuture() throws Exception {
        // asyncio leaves the concurrent future of a task destroyed pending unresolved forever;
        // here close() fails it, so a thread blocked on it wakes up.
        EventLoop own = new EventLoop();
        own.setExceptionHandler((l, context) -> log.add(context.message()));
        Thread ownThread = Thread.ofPlatform().name("closing-loop").start(own::runForever);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Integer> f = own.runCoroutineThreadsafe(() -> {
            started.countDown();
            Asyncio.sleep(3600);
            return 1;
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        own.stop();
        ownThread.join(5000);
        own.close();
        assertTrue(f.isDone(), "the future of a task destroyed with its loop must complete");
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(cause.getMessage().contains("destroyed"), cause.getMessage());
        assertEquals(List.of("Task was destroyed but it is pending!"), log, "still reported, as in asyncio");
    }
}
