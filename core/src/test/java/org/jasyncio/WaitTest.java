package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** asyncio.wait: test_tasks.py's test_wait* behaviours. */
class WaitTest {

    private static Task<String> sleeper(double seconds, String value) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            return value;
        });
    }

    @Test
    void allCompletedReturnsEverythingDone() {
        Asyncio.run(() -> {
            Task<String> a = sleeper(0.01, "a");
            Task<String> b = sleeper(0.02, "b");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(a, b));
            assertEquals(Set.of(a, b), r.done());
            assertTrue(r.pending().isEmpty());
        });
    }

    @Test
    void firstCompletedLeavesTheOthersPendingAndUncancelled() {
        Asyncio.run(() -> {
            Task<String> fast = sleeper(0.01, "fast");
            Task<String> slow = sleeper(1, "slow");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(slow, fast), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(fast), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertFalse(slow.cancelled());
            slow.cancel();
        });
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailure() {
        Asyncio.run(() -> {
            Task<String> failing = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                throw new IOException("boom");
            });
            Task<String> slow = sleeper(1, "slow");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(failing, slow), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(failing), r.done());
            assertEquals(Set.of(slow), r.pending());
            slow.cancel();
        });
    }

    @Test
    void firstExceptionDoesNotCountACancellation() {
        // asyncio: return_when=FIRST_EXCEPTION ignores cancelled futures; it waits for the rest.
        Asyncio.run(() -> {
            Task<String> cancelled = sleeper(1, "x");
            Task<String> ok = sleeper(0.02, "ok");
            Asyncio.getRunningLoop().callLater(0.005, cancelled::cancel);
            WaitResult<Task<String>> r = Asyncio.wait(List.of(cancelled, ok), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(cancelled, ok), r.done());
            assertTrue(cancelled.cancelled());
        });
    }

    @Test
    void firstExceptionWithoutFailuresWaitsForAll() {
        Asyncio.run(() -> {
            Task<String> a = sleeper(0.01, "a");
            Task<String> b = sleeper(0.02, "b");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(2, r.done().size());
        });
    }

    @Test
    void timeoutReturnsPendingAndCancelsNothing() {
        Asyncio.run(() -> {
            Task<String> slow = sleeper(1, "slow");
            double t0 = Asyncio.getRunningLoop().time();
            WaitResult<Task<String>> r = Asyncio.wait(List.of(slow), Duration.ofMillis(20), ReturnWhen.ALL_COMPLETED);
            assertTrue(Asyncio.getRunningLoop().time() - t0 >= 0.019);
            assertTrue(r.done().isEmpty());
            assertEquals(Set.of(slow), r.pending());
            assertFalse(slow.cancelled());
            assertFalse(slow.done());
            slow.cancel();
        });
    }

    @Test
    void secondsOverloadTimesOutToo() {
        Asyncio.run(() -> {
            Task<String> slow = sleeper(1, "slow");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(slow), 0.01, ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(slow), r.pending());
            slow.cancel();
        });
    }

    @Test
    void alreadyDoneFuturesReturnAfterOneLoopTurn() {
        Asyncio.run(() -> {
            Future<Integer> f = new Future<>();
            f.setResult(1);
            Steps steps = new Steps();
            Asyncio.getRunningLoop().callSoon(() -> steps.expect(1));
            WaitResult<Future<Integer>> r = Asyncio.wait(List.of(f), ReturnWhen.FIRST_COMPLETED);
            steps.finish(2); // wait() yielded to the loop once, like asyncio
            assertEquals(Set.of(f), r.done());
        });
    }

    @Test
    void duplicatesCountOnce() {
        Asyncio.run(() -> {
            Task<String> a = sleeper(0.01, "a");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(a, a, a));
            assertEquals(1, r.done().size());
        });
    }

    @Test
    void emptyCollectionIsRejected() {
        Asyncio.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.of()));
            assertTrue(e.getMessage().contains("empty"));
        });
    }

    @Test
    void outsideATaskIsAnError() {
        EventLoop loop = new EventLoop();
        try {
            Future<Integer> f = new Future<>(loop);
            assertThrows(IllegalStateException.class, () -> Asyncio.wait(List.of(f)));
        } finally {
            loop.close();
        }
    }

    @Test
    void cancellingTheWaiterLeavesTheFuturesAlone() {
        Asyncio.run(() -> {
            Task<String> slow = sleeper(1, "slow");
            Task<Object> waiter = Asyncio.createTask(() -> Asyncio.wait(List.of(slow)));
            Asyncio.sleep(0.01);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertFalse(slow.done());
            slow.cancel();
        });
    }
}
