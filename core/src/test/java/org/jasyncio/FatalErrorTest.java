package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fatal errors stop the loop. asyncio re-raises {@code SystemExit} and
 * {@code KeyboardInterrupt} out of {@code run_forever}/{@code run_until_complete}
 * ({@code Handle._run}, {@code Task.__step} after {@code set_exception},
 * {@code call_exception_handler} all let them through; test_base_events'
 * {@code test_run_until_complete_baseexception}, test_tasks' {@code test_baseexception_during_cancel}).
 * The JVM's counterparts are its {@link VirtualMachineError}s: an {@link OutOfMemoryError} or
 * {@link StackOverflowError} thrown on the loop must not be logged and forgotten.
 */
class FatalErrorTest {

    private final EventLoop loop = new EventLoop();
    private final List<String> log = new ArrayList<>();
    private final List<ExceptionContext> reported = new ArrayList<>();

    FatalErrorTest() {
        loop.setExceptionHandler((l, c) -> reported.add(c));
    }

    @AfterEach
    void closeLoop() {
        if (!loop.isClosed()) {
            loop.close();
        }
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    /** The loop is idle, can run again, and closes. */
    private void assertIdleAndUsable() {
        assertFalse(loop.isRunning());
        assertNull(EventLoop.runningOrNull());
        assertNull(loop.currentContext);
        assertNull(loop.currentTask);
        loop.callSoon(() -> log.add("ran again"));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertTrue(log.contains("ran again"), log.toString());
        loop.close();
        assertTrue(loop.isClosed());
    }

    @Test
    void anOutOfMemoryErrorInACallbackLeavesRunForeverAsItWasThrown() {
        OutOfMemoryError oom = new OutOfMemoryError("test: Java heap space");
        loop.callSoon(() -> {
            throw oom;
        });
        loop.callSoon(() -> log.add("queued behind"));
        loop.callSoon(loop::stop); // without the fix, the loop logs the error and gets here
        assertSame(oom, assertThrows(OutOfMemoryError.class, loop::runForever));
        assertEquals(List.of(), reported);
        // asyncio's _run_once is left by the raise: what was queued behind stays queued.
        assertEquals(List.of(), log);
        assertIdleAndUsable();
        assertEquals("queued behind", log.get(0));
    }

    @Test
    void aRealStackOverflowInACallbackStopsTheLoop() {
        loop.callSoon(() -> recurse(0));
        loop.callSoon(loop::stop);
        assertThrows(StackOverflowError.class, loop::runForever);
        assertEquals(List.of(), reported);
        assertIdleAndUsable();
    }

    @Test
    void aFatalErrorInACallbackRunInAnExplicitContextStopsTheLoop() {
        ContextVar<String> var = new ContextVar<>("v");
        Context ctx = new Context();
        loop.callSoon(() -> {
            var.set("inside");
            throw new OutOfMemoryError("test");
        }, ctx);
        loop.callSoon(loop::stop);
        assertThrows(OutOfMemoryError.class, loop::runForever);
        assertEquals("inside", ctx.get(var));
        ctx.run(() -> log.add("the context was exited, so it can be entered again"));
        assertIdleAndUsable();
    }

    @Test
    void aFatalErrorInADoneCallbackStopsTheLoop() {
        Future<String> f = loop.createFuture();
        f.addDoneCallback(x -> {
            throw new StackOverflowError("test");
        });
        f.setResult("x");
        loop.callSoon(loop::stop);
        assertThrows(StackOverflowError.class, loop::runForever);
        assertIdleAndUsable();
    }

    @Test
    void aTaskFailingWithAFatalErrorIsDoneWithItAndStopsTheLoop() {
        // asyncio's __step: super().set_exception(exc); raise.
        OutOfMemoryError oom = new OutOfMemoryError("test");
        Task<Void> main = loop.createTask(() -> {
            Asyncio.sleep(3600);
            return null;
        });
        Task<Void> failing = loop.createTask(() -> {
            Asyncio.sleep(0);
            throw oom;
        });
        // Without the fix the error is only stored in the task: this ends the run instead of an hour.
        TimerHandle safety = loop.callLater(5, loop::stop);
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> loop.runUntilComplete(main)));
        safety.cancel();
        assertTrue(failing.done());
        assertSame(oom, failing.exception());
        assertFalse(main.done());
        assertEquals(List.of(), reported);
        main.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
        assertIdleAndUsable();
    }

    @Test
    void aFatalErrorEndsTheIterationAtOnce() {
        // Everything ready behind the failing task step stays queued for the next run.
        Task<Void> failing = loop.createTask(() -> {
            throw new OutOfMemoryError("test");
        });
        loop.callSoon(() -> log.add("behind the task"));
        assertThrows(OutOfMemoryError.class, () -> loop.runUntilComplete(failing));
        assertEquals(List.of(), log);
        assertIdleAndUsable();
        assertEquals("behind the task", log.get(0));
    }

    @Test
    void aStackOverflowInACoroutineReachesRunUntilCompleteOfTheCoroutine() {
        assertThrows(StackOverflowError.class, () -> loop.runUntilComplete(() -> recurse(0)));
        assertEquals(List.of(), reported);
        assertIdleAndUsable();
    }

    @Test
    void asyncioRunLetsAFatalErrorOfAnotherTaskThrough() {
        OutOfMemoryError oom = new OutOfMemoryError("test");
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                throw oom;
            });
            Asyncio.sleep(5); // without the fix, main returns normally after this
            return null;
        }));
        assertSame(oom, thrown);
    }

    @Test
    void aFatalErrorThrownByTheExceptionHandlerStopsTheLoop() {
        // asyncio's call_exception_handler: except (SystemExit, KeyboardInterrupt): raise.
        loop.setExceptionHandler((l, c) -> {
            throw new OutOfMemoryError("test: in the handler");
        });
        loop.callSoon(() -> {
            throw new IllegalStateException("an ordinary failure");
        });
        loop.callSoon(loop::stop);
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, loop::runForever);
        assertEquals("test: in the handler", e.getMessage());
        loop.setExceptionHandler((l, c) -> reported.add(c));
        assertIdleAndUsable();
    }

    @Test
    void anEagerTaskFailingWithAFatalErrorThrowsItFromCreateTask() {
        // asyncio's eager start runs __step_run_and_handle_result, which re-raises it.
        loop.setEagerTasks(true);
        Throwable[] seen = new Throwable[1];
        Task<?>[] made = new Task<?>[1];
        loop.callSoon(() -> {
            try {
                made[0] = loop.createTask(() -> {
                    throw new StackOverflowError("test");
                });
            } catch (StackOverflowError e) {
                seen[0] = e;
            }
            loop.stop();
        });
        loop.runForever();
        assertTrue(seen[0] instanceof StackOverflowError, String.valueOf(seen[0]));
        assertEquals(Set.of(), loop.allTasks());
        assertIdleAndUsable();
    }

    @Test
    void closeClosesEvenIfTheHandlerThrowsAFatalError() {
        loop.createTask(() -> {
            Asyncio.sleep(3600);
            return null;
        });
        loop.callSoon(loop::stop);
        loop.runForever();
        loop.setExceptionHandler((l, c) -> {
            throw new OutOfMemoryError("test");
        });
        assertThrows(OutOfMemoryError.class, loop::close);
        assertTrue(loop.isClosed());
        loop.close(); // idempotent, reports nothing again
    }
}
