package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio.gather: CPython test_tasks' GatherTests facts. */
class GatherTest {

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static Task<Integer> after(double seconds, int value) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            return value;
        });
    }

    @Test
    void resultsComeInArgumentOrderNotCompletionOrder() {
        List<Integer> results = Asyncio.run(() -> Asyncio.gather(List.of(after(0.03, 1), after(0.01, 2),
                after(0.02, 3))).await());
        assertEquals(List.of(1, 2, 3), results);
    }

    @Test
    void varargsGatherOfMixedTypes() {
        List<Object> results = Asyncio.run(() -> {
            Task<String> s = Asyncio.createTask(() -> "text");
            Future<Integer> f = new Future<>();
            Asyncio.getRunningLoop().callLater(0.01, () -> f.setResult(7));
            return Asyncio.gather(s, f).await();
        });
        assertEquals(List.of("text", 7), results);
    }

    @Test
    void theSameAwaitableTwiceGivesItsResultTwice() {
        List<Integer> results = Asyncio.run(() -> {
            Task<Integer> t = after(0.01, 5);
            return Asyncio.gather(List.of(t, t, after(0, 6), t)).await();
        });
        assertEquals(List.of(5, 5, 6, 5), results);
    }

    @Test
    void anEmptyGatherIsDoneAtOnceWithAnEmptyList() {
        Asyncio.run(() -> {
            Future<List<Object>> g = Asyncio.gather();
            assertTrue(g.done());
            assertEquals(List.of(), g.result());
            Future<List<Object>> h = Asyncio.gather(List.of());
            assertEquals(List.of(), h.await());
            assertEquals(List.of(), Asyncio.gatherReturnExceptions(List.of()).await());
        });
    }

    @Test
    void gatherOfDoneFuturesIsDoneAtOnce() {
        // asyncio 3.12+ (gh-104144): gather() runs the done callbacks of children already done
        // before it returns, so a gather of done futures is itself done.
        Asyncio.run(() -> {
            Future<Integer> a = Asyncio.getRunningLoop().createFuture();
            a.setResult(7);
            Future<List<Object>> g = Asyncio.gather(a);
            assertTrue(g.done());
            assertEquals(List.of(7), g.result());
            Future<String> b = new Future<>();
            b.setResult("b");
            Future<List<Object>> twice = Asyncio.gather(a, b, a);
            assertTrue(twice.done());
            assertEquals(List.of(7, "b", 7), twice.result());
        });
    }

    @Test
    void gatherOfADoneFailedOrCancelledFutureFailsAtOnce() {
        // asyncio's _done_callback for a done child: its exception (or a CancelledError for a
        // cancelled one) becomes the gather's exception before gather() returns, even while
        // another child is still pending.
        IOException boom = new IOException("boom");
        Asyncio.run(() -> {
            Future<Integer> failed = new Future<>();
            failed.setException(boom);
            Future<Integer> pending = new Future<>();
            Future<List<Object>> g = Asyncio.gather(pending, failed);
            assertTrue(g.done());
            assertSame(boom, g.exception());
            assertFalse(pending.done(), "a failing child does not cancel its siblings");

            Future<Integer> cancelled = new Future<>();
            cancelled.cancel("gone");
            Future<List<Object>> h = Asyncio.gather(cancelled);
            assertTrue(h.done());
            assertFalse(h.cancelled(), "the gather fails with CancelledError; it is not cancelled itself");
            CancelledError e = assertInstanceOf(CancelledError.class, h.exception());
            assertEquals("gone", e.getMessage());
            pending.setResult(1);
        });
    }

    @Test
    void gatherReturnExceptionsOfDoneFuturesIsDoneAtOnce() {
        IOException boom = new IOException("boom");
        Asyncio.run(() -> {
            Future<Integer> ok = new Future<>();
            ok.setResult(1);
            Future<Integer> failed = new Future<>();
            failed.setException(boom);
            Future<Integer> cancelled = new Future<>();
            cancelled.cancel();
            Future<List<Object>> g = Asyncio.gatherReturnExceptions(List.of(ok, failed, cancelled));
            assertTrue(g.done());
            List<Object> results = g.result();
            assertEquals(1, results.get(0));
            assertSame(boom, results.get(1));
            assertInstanceOf(CancelledError.class, results.get(2));
        });
    }

    @Test
    void gatherOfDoneAndPendingFuturesWaitsForThePendingOnes() {
        Asyncio.run(() -> {
            Future<Integer> a = new Future<>();
            a.setResult(1);
            Task<Integer> b = after(0, 2);
            Future<List<Object>> g = Asyncio.gather(a, b);
            assertFalse(g.done());
            assertEquals(List.of(1, 2), g.await());
        });
    }

    @Test
    void gatherOfEagerTasksThatFinishedIsDoneAtOnce() {
        // gh-104144's motivation: with the eager task factory, tasks that finish without
        // suspending are done inside createTask, and so is a gather of them.
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Task<Integer> a = Asyncio.createTask(() -> 1);
            Task<Integer> b = Asyncio.createTask(() -> 2);
            assertTrue(a.done() && b.done());
            Future<List<Object>> g = Asyncio.gather(a, b);
            assertTrue(g.done());
            assertEquals(List.of(1, 2), g.result());
        });
    }

    @Test
    void theFirstExceptionPropagatesAndSiblingsKeepRunning() {
        IOException boom = new IOException("first");
        Asyncio.run(() -> {
            Future<Void> release = new Future<>();
            Task<Integer> failsFirst = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                throw boom;
            });
            Task<Integer> failsLater = Asyncio.createTask(() -> {
                release.await();
                throw new IllegalStateException("second");
            });
            Task<Integer> sibling = Asyncio.createTask(() -> {
                release.await();
                log.add("sibling finished");
                return 3;
            });
            Future<List<Integer>> g = Asyncio.gather(List.of(sibling, failsFirst, failsLater));
            Exception seen = null;
            try {
                g.await();
            } catch (Exception e) {
                seen = e;
            }
            assertSame(boom, seen);
            assertSame(boom, g.exception());
            // gather() does not cancel the others when one fails: they run on.
            assertFalse(sibling.done());
            assertFalse(failsLater.done());
            release.setResult(null);
            assertEquals(3, sibling.await());
            assertThrows(IllegalStateException.class, failsLater::await);
            assertFalse(sibling.cancelled());
            assertFalse(failsLater.cancelled());
        });
        assertEquals(List.of("sibling finished"), log);
    }

    @Test
    void returnExceptionsPutsExceptionsAndCancellationsInTheList() {
        IOException boom = new IOException("boom");
        List<Object> results = Asyncio.run(() -> {
            Task<Integer> ok = after(0.01, 1);
            Task<Integer> fails = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                throw boom;
            });
            Task<Integer> cancelled = after(10, 3);
            Future<Integer> cancelledFuture = new Future<>();
            Future<List<Object>> g = Asyncio.gatherReturnExceptions(List.of(ok, fails, cancelled, cancelledFuture));
            Asyncio.sleep(0);
            cancelled.cancel("task msg");
            cancelledFuture.cancel("future msg");
            return g.await();
        });
        assertEquals(4, results.size());
        assertEquals(1, results.get(0));
        assertSame(boom, results.get(1));
        // asyncio has CancelledError('') for the task (its message goes to the first retriever
        // only); keeping it is a deliberate difference, see docs/asyncio-mapping.md.
        assertEquals("task msg", assertInstanceOf(CancelledError.class, results.get(2)).getMessage());
        assertEquals("future msg", assertInstanceOf(CancelledError.class, results.get(3)).getMessage());
    }

    @Test
    void returnExceptionsVarargs() {
        List<Object> results = Asyncio.run(() -> {
            Future<String> f = new Future<>();
            f.setException(new ArithmeticException("x"));
            return Asyncio.gatherReturnExceptions(after(0, 1), f).await();
        });
        assertEquals(1, results.get(0));
        assertInstanceOf(ArithmeticException.class, results.get(1));
    }

    @Test
    void cancellingTheGatherCancelsTheChildrenAndTheAwaiterGetsCancelledError() {
        Asyncio.run(() -> {
            Task<Integer> a = after(10, 1);
            Task<Integer> b = after(10, 2);
            Future<List<Object>> g = Asyncio.gather(a, b);
            Task<List<Object>> awaiter = Asyncio.createTask(g::await);
            Asyncio.sleep(0);
            assertTrue(g.cancel("stop all"));
            assertThrows(CancelledError.class, awaiter::await);
            assertTrue(a.cancelled());
            assertTrue(b.cancelled());
            assertThrows(CancelledError.class, g::result);
            assertFalse(g.cancel(), "a done gather cannot be cancelled again");
        });
    }

    @Test
    void cancellingAGatherCancelsATaskPassedTwiceOncePerOccurrence() {
        // asyncio's _GatheringFuture.cancel() calls child.cancel() for each element of its
        // children list, duplicates included, and each Task.cancel() of a pending task counts
        // one more cancellation request: gather(t, t).cancel() leaves t.cancelling() == 2.
        Asyncio.run(() -> {
            List<Integer> seen = new ArrayList<>();
            Task<Integer> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    return 0;
                } catch (CancelledError e) {
                    Task<?> self = Asyncio.currentTask();
                    seen.add(self.cancelling());
                    seen.add(self.uncancel());
                    throw e;
                }
            });
            Future<List<Object>> g = Asyncio.gather(t, t);
            Asyncio.sleep(0);
            assertTrue(g.cancel("twice"));
            assertEquals(2, t.cancelling());
            CancelledError e = assertThrows(CancelledError.class, g::await);
            assertEquals("twice", e.getMessage());
            assertTrue(t.cancelled());
            assertEquals(List.of(2, 1), seen, "uncancel() withdraws one of the two requests");
        });
    }

    @Test
    void cancellingTheGatherWithReturnExceptionsStillCancelsTheAwaiter() {
        // asyncio (bpo-32684): cancellation propagates whatever return_exceptions says.
        Asyncio.run(() -> {
            Task<Integer> a = after(10, 1);
            Future<List<Object>> g = Asyncio.gatherReturnExceptions(List.of(a));
            Asyncio.sleep(0);
            assertTrue(g.cancel());
            assertThrows(CancelledError.class, g::await);
            assertTrue(a.cancelled());
        });
    }

    @Test
    void cancellingTheTaskThatAwaitsAGatherCancelsTheChildren() {
        Asyncio.run(() -> {
            Task<Integer> a = after(10, 1);
            Task<Integer> b = after(10, 2);
            Task<List<Object>> outer = Asyncio.createTask(() -> Asyncio.gather(a, b).await());
            Asyncio.sleep(0);
            assertTrue(outer.cancel());
            assertThrows(CancelledError.class, outer::await);
            assertTrue(outer.cancelled());
            assertTrue(a.cancelled());
            assertTrue(b.cancelled());
        });
    }

    @Test
    void aGatherWhoseChildrenAreAllDoneCannotBeCancelled() {
        Asyncio.run(() -> {
            Future<Integer> a = new Future<>();
            Future<List<Object>> g = Asyncio.gather(a);
            a.setResult(1);
            // The child is done, its callback not yet run: nothing left to cancel.
            assertFalse(g.cancel());
            assertEquals(List.of(1), g.await());
        });
    }

    @Test
    void aChildCancelledAloneFailsTheGatherWithCancelledError() {
        Asyncio.run(() -> {
            Task<Integer> a = after(10, 1);
            Task<Integer> b = after(0.03, 2);
            Future<List<Object>> g = Asyncio.gather(a, b);
            Asyncio.sleep(0);
            a.cancel("only a");
            CancelledError e = assertThrows(CancelledError.class, g::await);
            assertEquals("only a", e.getMessage());
            assertFalse(b.cancelled(), "the sibling is not cancelled");
            assertEquals(2, b.await());
        });
    }

    @Test
    void gatherOfAFutureOfAnotherLoopIsRejected() {
        try (EventLoop other = new EventLoop()) {
            Future<Integer> foreign = other.createFuture();
            Asyncio.run(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.gather(foreign));
                assertTrue(e.getMessage().contains("different loop"), e.getMessage());
            });
        }
    }

    @Test
    void gatherOutsideALoopIsRejected() {
        assertThrows(IllegalStateException.class, () -> Asyncio.gather());
    }
}
