package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** asyncio.as_completed: test_tasks.py's test_as_completed* behaviours (3.13). */
class AsCompletedTest {

    private static Task<String> after(double seconds, String value) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            return value;
        });
    }

    @Test
    void iteratorYieldsTheOriginalTasksInCompletionOrder() {
        Asyncio.run(() -> {
            Task<String> slow = after(0.03, "slow");
            Task<String> fast = after(0.01, "fast");
            List<Future<String>> order = new ArrayList<>();
            for (Future<String> f : Asyncio.asCompleted(List.of(slow, fast))) {
                order.add(f);
            }
            assertEquals(List.of(fast, slow), order);
            assertSame(fast, order.get(0)); // the original objects (3.13)
        });
    }

    @Test
    void awaitablesYieldResultsInCompletionOrder() {
        Asyncio.run(() -> {
            List<Task<String>> tasks = List.of(after(0.03, "c"), after(0.01, "a"), after(0.02, "b"));
            List<String> results = new ArrayList<>();
            for (Future<String> next : Asyncio.asCompleted(tasks).awaitables()) {
                results.add(next.await());
            }
            assertEquals(List.of("a", "b", "c"), results);
        });
    }

    @Test
    void aClassicElementTakesTheEarliestCompletionWhenItIsAwaited() {
        // asyncio's __next__ returns the coroutine _wait_for_one(resolve=True), which takes
        // from the completion queue only when it runs: with a = next(it); b = next(it),
        // awaiting b first gives b the first completion ("fast"), and a the second.
        Asyncio.run(() -> {
            Task<String> slow = after(0.05, "slow");
            Task<String> fast = after(0.01, "fast");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(slow, fast)).awaitables().iterator();
            Future<String> a = it.next();
            Future<String> b = it.next();
            assertEquals("fast", b.await());
            assertEquals("slow", a.await());
        });
    }

    @Test
    void aClassicElementAwaitedAfterTheCompletionsArrivedStillTakesTheEarliest() {
        // The completion queue is FIFO: whichever element is awaited first gets the earliest
        // completion, without suspending when one is already there.
        Asyncio.run(() -> {
            Future<String> first = new Future<>();
            Future<String> second = new Future<>();
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(second, first)).awaitables().iterator();
            Future<String> a = it.next();
            Future<String> b = it.next();
            first.setResult("first");
            Asyncio.sleep(0); // the completion callbacks run
            second.setResult("second");
            Asyncio.sleep(0);
            assertFalse(a.done(), "an element not yet awaited has taken nothing");
            assertFalse(b.done());
            assertEquals("first", b.await());
            assertEquals("second", a.await());
        });
    }

    @Test
    void aClassicElementNeverAwaitedTakesNothing() {
        // An un-awaited _wait_for_one coroutine never takes from the queue.
        Asyncio.run(() -> {
            Task<String> x = after(0.01, "x");
            Task<String> y = after(0.03, "y");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(x, y)).awaitables().iterator();
            Future<String> skipped = it.next();
            Future<String> used = it.next();
            assertEquals("x", used.await());
            y.await();
            assertFalse(skipped.done());
            skipped.cancel();
        });
    }

    @Test
    void gatherOfClassicElementsClaimsThemInArgumentOrder() {
        // gather() wraps asyncio's coroutines in tasks whose first steps run in argument order,
        // so the first argument takes the first completion; here a done callback is the claim.
        Asyncio.run(() -> {
            Task<String> slow = after(0.03, "slow");
            Task<String> fast = after(0.01, "fast");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(slow, fast)).awaitables().iterator();
            Future<String> a = it.next();
            Future<String> b = it.next();
            assertEquals(List.of("fast", "slow"), Asyncio.gather(b, a).await());
        });
    }

    @Test
    void awaitablesCarryExceptions() {
        Asyncio.run(() -> {
            IOException boom = new IOException("boom");
            Task<String> failing = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                throw boom;
            });
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(failing)).awaitables().iterator();
            Future<String> next = it.next();
            try {
                next.await();
            } catch (Exception e) {
                assertSame(boom, e);
            }
            assertFalse(it.hasNext());
        });
    }

    @Test
    void timeoutFailsTheRemainingStepsAndCancelsNothing() {
        Asyncio.run(() -> {
            // A done future, not a short sleep: its completion is queued before the timer can
            // fire, however loaded the machine.
            Future<String> fast = new Future<>();
            fast.setResult("fast");
            Task<String> slow = after(10, "slow");
            AsCompleted<String> ac = Asyncio.asCompleted(List.of(fast, slow), Duration.ofMillis(30));
            Iterator<Future<String>> it = ac.iterator();
            assertSame(fast, it.next());
            assertTrue(it.hasNext());
            assertThrows(AsyncTimeoutException.class, it::next);
            assertFalse(slow.cancelled());
            slow.cancel();
        });
    }

    @Test
    void timeoutInTheClassicForm() {
        Asyncio.run(() -> {
            Task<String> slow = after(10, "slow");
            Future<String> next = Asyncio.asCompleted(List.of(slow), Duration.ofMillis(10))
                    .awaitables().iterator().next();
            assertThrows(AsyncTimeoutException.class, next::await);
            slow.cancel();
        });
    }

    @Test
    void alreadyDoneFuturesComeFirst() {
        Asyncio.run(() -> {
            Future<String> done = new Future<>();
            done.setResult("done");
            Task<String> later = after(0.01, "later");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(later, done)).iterator();
            assertSame(done, it.next());
            assertSame(later, it.next());
        });
    }

    @Test
    void duplicatesCountOnceAndEmptyIsEmpty() {
        Asyncio.run(() -> {
            Task<String> a = after(0, "a");
            int n = 0;
            for (Future<String> f : Asyncio.asCompleted(List.of(a, a))) {
                n++;
            }
            assertEquals(1, n);
            assertFalse(Asyncio.asCompleted(List.<Future<String>>of()).hasNext());
        });
    }

    @Test
    void tooManyStepsAndASecondIteratorAreErrors() {
        Asyncio.run(() -> {
            Future<String> done = new Future<>();
            done.setResult("x");
            AsCompleted<String> ac = Asyncio.asCompleted(List.of(done));
            Iterator<Future<String>> it = ac.iterator();
            it.next();
            assertThrows(NoSuchElementException.class, it::next);
            assertThrows(IllegalStateException.class, ac::iterator);
        });
    }

    @Test
    void aCancelledStepLosesNoCompletion() {
        Asyncio.run(() -> {
            Task<String> a = after(0.01, "a");
            AsCompleted<String> ac = Asyncio.asCompleted(List.of(a));
            Task<Future<String>> taker = Asyncio.createTask(ac::nextDone);
            Asyncio.sleep(0);
            taker.cancel();
            assertThrows(CancelledError.class, taker::await);
            assertTrue(ac.hasNext());
            assertSame(a, Asyncio.waitFor(Asyncio.createTask(ac::nextDone), 5));
        });
    }

    @Test
    void aStepFilledWhileItsTaskIsCancelledGivesTheItemBack() {
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            AsCompleted<String> ac = Asyncio.asCompleted(List.of(f));
            Task<Future<String>> taker = Asyncio.createTask(ac::nextDone);
            Asyncio.sleep(0);
            f.setResult("x");
            // The completion callback fills the taker's slot in the next iteration; this cancel
            // runs right after it, before the taker resumes.
            Asyncio.getRunningLoop().callSoon(taker::cancel);
            assertThrows(CancelledError.class, taker::await);
            assertSame(f, Asyncio.waitFor(Asyncio.createTask(ac::nextDone), 5)); // not lost
        });
    }
}
