package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** asyncio.Future: the facts of CPython's test_futures, on a loop driven by hand or by tasks. */
class FutureTest {

    private final EventLoop loop = new EventLoop();
    private final List<String> log = new ArrayList<>();
    private final Steps steps = new Steps();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Runs exactly one loop iteration. */
    private void runOnce() {
        loop.stop();
        loop.runForever();
    }

    // ------------------------------------------------------------------ states

    @Test
    void aNewFutureIsPending() {
        Future<String> f = loop.createFuture();
        assertFalse(f.done());
        assertFalse(f.cancelled());
        assertSame(loop, f.getLoop());
    }

    // asyncio's futures._set_result_unless_cancelled: completes a pending future, leaves a done one alone

    @Test
    void trySetResultCompletesAPendingFuture() {
        Future<String> f = loop.createFuture();
        assertTrue(f.trySetResult("r"));
        assertEquals("r", f.result());
    }

    @Test
    void trySetResultLeavesACancelledFutureCancelled() {
        Future<String> f = loop.createFuture();
        f.cancel();
        assertFalse(f.trySetResult("r"));
        assertTrue(f.cancelled());
    }

    @Test
    void trySetResultKeepsTheFirstResult() {
        Future<String> f = loop.createFuture();
        f.setResult("first");
        assertFalse(f.trySetResult("second"));
        assertEquals("first", f.result());
    }

    @Test
    void trySetExceptionCompletesAPendingFutureAndIgnoresADoneOne() {
        Future<String> f = loop.createFuture();
        IOException boom = new IOException("boom");
        assertTrue(f.trySetException(boom));
        assertSame(boom, f.exception());
        assertFalse(f.trySetException(new IOException("later")));
        assertSame(boom, f.exception());
    }

    @Test
    void trySetExceptionRejectsNullEvenOnADoneFuture() {
        Future<String> f = loop.createFuture();
        f.setResult("r");
        NullPointerException e = assertThrows(NullPointerException.class, () -> f.trySetException(null));
        assertEquals("exception", e.getMessage());
    }

    @Test
    void resultAndExceptionOfAPendingFutureAreInvalidState() {
        Future<String> f = loop.createFuture();
        assertThrows(InvalidStateException.class, f::result);
        assertThrows(InvalidStateException.class, f::exception);
    }

    @Test
    void setResultMakesItDone() {
        Future<String> f = loop.createFuture();
        f.setResult("r");
        assertTrue(f.done());
        assertFalse(f.cancelled());
        assertEquals("r", f.result());
        assertNull(f.exception());
    }

    @Test
    void nullIsAValidResult() {
        Future<String> f = loop.createFuture();
        f.setResult(null);
        assertTrue(f.done());
        assertNull(f.result());
    }

    @Test
    void setExceptionMakesResultThrowItUnchanged() {
        Future<String> f = loop.createFuture();
        IOException boom = new IOException("boom");
        f.setException(boom);
        assertTrue(f.done());
        assertSame(boom, f.exception());
        assertSame(boom, assertThrows(IOException.class, f::result));
    }

    @Test
    void settingTwiceIsInvalidState() {
        Future<String> f = loop.createFuture();
        f.setResult("first");
        assertThrows(InvalidStateException.class, () -> f.setResult("second"));
        assertThrows(InvalidStateException.class, () -> f.setException(new RuntimeException()));
        assertEquals("first", f.result());

        Future<String> g = loop.createFuture();
        g.setException(new RuntimeException("first"));
        assertThrows(InvalidStateException.class, () -> g.setResult("second"));
        assertThrows(InvalidStateException.class, () -> g.setException(new RuntimeException()));
    }

    @Test
    void settingACancelledFutureIsInvalidState() {
        Future<String> f = loop.createFuture();
        f.cancel();
        assertThrows(InvalidStateException.class, () -> f.setResult("late"));
        assertThrows(InvalidStateException.class, () -> f.setException(new RuntimeException()));
    }

    @Test
    void invalidStateIsAnIllegalStateException() {
        assertTrue(IllegalStateException.class.isAssignableFrom(InvalidStateException.class));
    }

    @Test
    void setExceptionRejectsNull() {
        Future<String> f = loop.createFuture();
        assertThrows(NullPointerException.class, () -> f.setException(null));
        assertFalse(f.done());
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void cancelMakesItCancelledAndDone() {
        Future<String> f = loop.createFuture();
        assertTrue(f.cancel());
        assertTrue(f.cancelled());
        assertTrue(f.done());
        assertThrows(CancelledError.class, f::result);
        assertThrows(CancelledError.class, f::exception);
    }

    @Test
    void cancelOfADoneFutureReturnsFalse() {
        Future<String> f = loop.createFuture();
        f.setResult("r");
        assertFalse(f.cancel());
        assertFalse(f.cancelled());

        Future<String> g = loop.createFuture();
        assertTrue(g.cancel());
        assertFalse(g.cancel(), "a second cancel returns false");
    }

    @Test
    void cancelledFutureResultThrowsCancelledErrorWithTheMessage() {
        Future<String> f = loop.createFuture();
        f.cancel("my message");
        assertEquals("my message", assertThrows(CancelledError.class, f::result).getMessage());
        assertEquals("my message", assertThrows(CancelledError.class, f::exception).getMessage());
    }

    @Test
    void cancelledErrorIsNotAnException() {
        // A catch (Exception e) must not swallow cancellation (asyncio: BaseException).
        assertFalse(Exception.class.isAssignableFrom(CancelledError.class));
        assertTrue(Error.class.isAssignableFrom(CancelledError.class));
    }

    // ------------------------------------------------------------------ done callbacks

    @Test
    void callbacksAreScheduledNeverInlineAndRunInFifoOrder() {
        Future<String> f = loop.createFuture();
        for (int i = 0; i < 4; i++) {
            int n = i;
            f.addDoneCallback(fut -> log.add("cb" + n + ":" + fut.result()));
        }
        f.setResult("r");
        assertEquals(List.of(), log, "callbacks must not run inside setResult");
        runOnce();
        assertEquals(List.of("cb0:r", "cb1:r", "cb2:r", "cb3:r"), log);
    }

    @Test
    void callbacksRunAfterCallbacksScheduledBeforeCompletion() {
        Future<String> f = loop.createFuture();
        f.addDoneCallback(fut -> log.add("done callback"));
        loop.callSoon(() -> log.add("earlier callSoon"));
        f.setResult("r");
        loop.callSoon(() -> log.add("later callSoon"));
        runOnce();
        assertEquals(List.of("earlier callSoon", "done callback", "later callSoon"), log);
    }

    @Test
    void callbacksAreScheduledOnExceptionAndOnCancel() {
        Future<String> a = loop.createFuture();
        Future<String> b = loop.createFuture();
        a.addDoneCallback(fut -> log.add("a failed: " + fut.exception().getMessage()));
        b.addDoneCallback(fut -> log.add("b cancelled: " + fut.cancelled()));
        a.setException(new RuntimeException("x"));
        b.cancel();
        assertEquals(List.of(), log);
        runOnce();
        assertEquals(List.of("a failed: x", "b cancelled: true"), log);
    }

    @Test
    void callbackAddedAfterDoneIsScheduledNotRunInline() {
        Future<String> f = loop.createFuture();
        f.setResult("r");
        f.addDoneCallback(fut -> log.add("late callback"));
        assertEquals(List.of(), log);
        runOnce();
        assertEquals(List.of("late callback"), log);
    }

    @Test
    void callbackIsGivenTheFuture() {
        Future<String> f = loop.createFuture();
        List<Future<?>> given = new ArrayList<>();
        f.addDoneCallback(given::add);
        f.setResult("r");
        runOnce();
        assertEquals(1, given.size());
        assertSame(f, given.get(0));
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() {
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> twice = fut -> log.add("twice");
        Consumer<Future<String>> once = fut -> log.add("once");
        f.addDoneCallback(twice);
        f.addDoneCallback(once);
        f.addDoneCallback(twice);
        assertEquals(2, f.removeDoneCallback(twice));
        assertEquals(0, f.removeDoneCallback(twice));
        assertEquals(0, f.removeDoneCallback(fut -> { }));
        f.setResult("r");
        runOnce();
        assertEquals(List.of("once"), log);
    }

    @Test
    void removeTheOnlyCallback() {
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> cb = fut -> log.add("cb");
        f.addDoneCallback(cb);
        assertEquals(1, f.removeDoneCallback(cb));
        f.setResult("r");
        runOnce();
        assertEquals(List.of(), log);
    }

    @Test
    void anExceptionInOneCallbackDoesNotStopTheOthers() {
        List<ExceptionContext> reported = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
        Future<String> f = loop.createFuture();
        f.addDoneCallback(fut -> {
            throw new IllegalArgumentException("bad callback");
        });
        f.addDoneCallback(fut -> log.add("second"));
        f.setResult("r");
        runOnce();
        assertEquals(List.of("second"), log);
        assertEquals(1, reported.size());
        assertEquals("bad callback", reported.get(0).exception().getMessage());
    }

    @Test
    void addDoneCallbackRejectsNull() {
        Future<String> f = loop.createFuture();
        assertThrows(NullPointerException.class, () -> f.addDoneCallback(null));
    }

    // ------------------------------------------------------------------ construction

    @Test
    void newFutureOutsideALoopIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Future::new);
        assertTrue(e.getMessage().contains("running event loop"), e.getMessage());
    }

    @Test
    void newFutureInsideATaskBindsToTheRunningLoop() {
        EventLoop bound = loop.runUntilComplete(() -> new Future<String>().getLoop());
        assertSame(loop, bound);
    }

    @Test
    void newFutureInsideACallbackBindsToTheRunningLoop() {
        List<EventLoop> bound = new ArrayList<>();
        loop.callSoon(() -> bound.add(new Future<String>().getLoop()));
        runOnce();
        assertEquals(List.of(loop), bound);
    }

    @Test
    void futureOfANullLoopIsRejected() {
        assertThrows(NullPointerException.class, () -> new Future<String>(null));
    }

    // ------------------------------------------------------------------ await

    @Test
    void awaitSuspendsUntilTheResultIsSet() {
        String r = loop.runUntilComplete(() -> {
            Future<String> f = new Future<>();
            Asyncio.getRunningLoop().callLater(0.01, () -> f.setResult("late"));
            return f.await();
        });
        assertEquals("late", r);
    }

    @Test
    void awaitOnADoneFutureReturnsWithoutYielding() {
        loop.runUntilComplete(() -> {
            Future<String> f = new Future<>();
            f.setResult("ready");
            steps.expect(1);
            Asyncio.createTask(() -> steps.expect(3));
            // Had await yielded, the other task's first step would run before step 2.
            assertEquals("ready", f.await());
            steps.expect(2);
            Asyncio.sleep(0);
            steps.expect(4);
            return null;
        });
        steps.assertFinished(4);
    }

    @Test
    void awaitOnAPendingFutureYieldsToOtherTasks() {
        loop.runUntilComplete(() -> {
            Future<String> f = new Future<>();
            steps.expect(1);
            Asyncio.createTask(() -> {
                steps.expect(2);
                f.setResult("from other");
            });
            assertEquals("from other", f.await());
            steps.expect(3);
            return null;
        });
        steps.assertFinished(3);
    }

    @Test
    void awaitResumesOneIterationAfterTheFutureCompletes() {
        // The wakeup is a done callback (scheduled with callSoon), as in asyncio's __wakeup:
        // it runs after what was ready before the future completed, and before what those
        // callbacks schedule in turn.
        loop.runUntilComplete(() -> {
            Future<String> f = new Future<>();
            EventLoop l = Asyncio.getRunningLoop();
            l.callSoon(() -> {
                steps.expect(1);
                l.callSoon(() -> {
                    steps.expect(2);
                    l.callSoon(() -> steps.expect(4));
                });
                f.setResult("r");
            });
            f.await();
            steps.expect(3);
            Asyncio.sleep(0);
            steps.expect(5);
            return null;
        });
        steps.assertFinished(5);
    }

    @Test
    void checkedExceptionsComeThroughAwaitUnchanged() {
        IOException boom = new IOException("checked");
        Throwable caught = loop.runUntilComplete(() -> {
            Future<String> f = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> f.setException(boom));
            try {
                f.await();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertSame(boom, caught);
    }

    @Test
    void checkedExceptionsComeThroughAsyncioRunUnchanged() {
        IOException boom = new IOException("checked");
        Throwable thrown = assertThrows(IOException.class, () -> Asyncio.run(() -> {
            Future<String> f = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> f.setException(boom));
            return f.await();
        }));
        assertSame(boom, thrown);
    }

    @Test
    void awaitOnACancelledFutureThrowsCancelledErrorWithItsMessage() {
        String message = loop.runUntilComplete(() -> {
            Future<String> f = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> f.cancel("stop it"));
            try {
                f.await();
                return "not cancelled";
            } catch (CancelledError e) {
                return e.getMessage();
            }
        });
        assertEquals("stop it", message);
    }

    @Test
    void awaitOnAFutureOfAnotherLoopIsRejected() {
        try (EventLoop other = new EventLoop()) {
            Future<String> foreign = other.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntilComplete(() -> foreign.await()));
            assertTrue(e.getMessage().contains("different loop"), e.getMessage());
        }
    }

    @Test
    void toStringNamesTheState() {
        Future<String> f = loop.createFuture();
        assertTrue(f.toString().contains("pending"), f.toString());
        f.setResult("value");
        assertTrue(f.toString().contains("result=value"), f.toString());
    }
}
