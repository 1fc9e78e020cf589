package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Future.fromCompletionStage / toCompletableFuture / Asyncio.await(stage): asyncio's
 * wrap_future and _chain_future, with results, exceptions and cancellation carried across.
 */
class CompletionStageBridgeTest {

    @Test
    void aTaskAwaitsACompletableFutureCompletedOnAnotherThread() {
        String s = Asyncio.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                cf.complete("done elsewhere");
            });
            return Asyncio.await(cf);
        });
        assertEquals("done elsewhere", s);
    }

    @Test
    void anAlreadyCompletedStageWorks() {
        assertEquals(5, Asyncio.run(() -> Asyncio.await(CompletableFuture.completedFuture(5))));
    }

    @Test
    void theStagesExceptionArrivesUnchanged() {
        IOException boom = new IOException("boom");
        Throwable seen = Asyncio.run(() -> {
            try {
                Asyncio.await(CompletableFuture.failedFuture(boom));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertSame(boom, seen);
    }

    @Test
    void aDependentStagesCompletionExceptionIsUnwrapped() {
        IllegalArgumentException bad = new IllegalArgumentException("bad");
        Throwable seen = Asyncio.run(() -> {
            CompletionStage<Integer> stage = CompletableFuture.supplyAsync(() -> 1).thenApply(x -> {
                throw bad;
            });
            try {
                Asyncio.await(stage);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertSame(bad, seen);
    }

    @Test
    void aCancelledStageCancelsTheAwaitingTask() {
        Asyncio.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Task<String> t = Asyncio.createTask(() -> Asyncio.await(cf));
            Asyncio.sleep(0);
            cf.cancel(false);
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
    }

    @Test
    void cancellingTheAwaitingTaskCancelsTheStage() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> Asyncio.await(cf));
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
        });
        assertTrue(cf.isCancelled());
    }

    @Test
    void fromCompletionStageIsBoundToTheRunningLoop() {
        Asyncio.run(() -> {
            Future<Integer> f = Future.fromCompletionStage(CompletableFuture.completedFuture(1));
            assertSame(Asyncio.getRunningLoop(), f.getLoop());
            assertEquals(1, f.await());
        });
        assertThrows(IllegalStateException.class,
                () -> Future.fromCompletionStage(CompletableFuture.completedFuture(1)));
    }

    @Test
    void toCompletableFutureCarriesTheResult() throws Exception {
        CompletableFuture<String> cf = Asyncio.run(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> out = f.toCompletableFuture();
            Asyncio.getRunningLoop().callLater(0.01, () -> f.setResult("ok"));
            f.await();
            Asyncio.sleep(0); // the bridge is a done callback
            return out;
        });
        assertEquals("ok", cf.get(1, TimeUnit.SECONDS));
    }

    @Test
    void toCompletableFutureCarriesTheExceptionUnchanged() {
        IOException boom = new IOException("boom");
        CompletableFuture<String> cf = Asyncio.run(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> out = f.toCompletableFuture();
            f.setException(boom);
            Asyncio.sleep(0);
            return out;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> cf.get(1, TimeUnit.SECONDS));
        assertSame(boom, e.getCause());
    }

    @Test
    void aCancelledFutureCancelsItsCompletableFutureWithTheMessage() {
        CompletableFuture<String> cf = Asyncio.run(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> out = f.toCompletableFuture();
            f.cancel("no longer needed");
            Asyncio.sleep(0);
            return out;
        });
        assertTrue(cf.isCancelled());
        assertThrows(CancellationException.class, cf::join);
        Throwable original = cf.handle((v, e) -> e).join(); // join/get rewrap it, handle does not
        assertEquals("no longer needed", original.getMessage());
    }

    @Test
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheFuture() {
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> out = f.toCompletableFuture();
            Thread.ofVirtual().start(() -> out.cancel(true));
            assertThrows(CancelledError.class, f::await);
            assertTrue(f.cancelled());
        });
    }
}
