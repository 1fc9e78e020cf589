package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * What the loop does with the async generators started on it: asyncio's
 * {@code loop.shutdown_asyncgens()} (which {@code asyncio.run} runs on exit) and the finalizer
 * hook that closes a generator collected while suspended. After CPython's test_asyncgen.py
 * (named in each test) and the 3.13 interpreter.
 */
class AsyncGeneratorShutdownTest {

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void shutdownAsyncgensClosesTheGeneratorsOfCancelledConsumers() {
        // test_async_gen_asyncio_shutdown_01: two tasks iterate a generator that sleeps; the
        // tasks are cancelled (the CancelledError runs each body's finally, which awaits),
        // then run_until_complete(loop.shutdown_asyncgens()); finalized == 2.
        EventLoop loop = new EventLoop();
        try {
            int[] finalized = new int[1];
            Coroutine<Void> wait = () -> {
                for (Integer ignored : AsyncGenerator.<Integer>of(out -> {
                    try {
                        Asyncio.sleep(1);
                        out.emit(1);
                    } finally {
                        Asyncio.sleep(0);
                        finalized[0]++;
                    }
                })) {
                    // consume
                }
                return null;
            };
            Task<Void> t1 = loop.createTask(wait);
            Task<Void> t2 = loop.createTask(wait);
            loop.runUntilComplete(() -> {
                Asyncio.sleep(0.1);
                return null;
            });
            t1.cancel();
            t2.cancel();
            assertThrows(CancelledError.class, () -> loop.runUntilComplete(t1));
            assertThrows(CancelledError.class, () -> loop.runUntilComplete(t2));
            loop.runUntilComplete(loop.shutdownAsyncgens());
            assertEquals(2, finalized[0]);
        } finally {
            loop.close();
        }
    }

    @Test
    void asyncioRunClosesEveryGeneratorLeftSuspendedAndReportsTheFailures() {
        // asyncio.run's shutdown_asyncgens (3.13, checked against the interpreter): the
        // generators left suspended are closed concurrently, each aclose() in a task of its
        // own, so their finally blocks interleave at their awaits; one that raises, and one
        // that yields again (RuntimeError 'async generator ignored GeneratorExit'), are
        // reported as "an error occurred during closing of asynchronous generator <repr>"; a
        // generator never started and one already closed are not touched. asyncio visits its
        // WeakSet in no particular order; jasyncio visits the generators in the order they
        // first ran.
        List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());
        List<AsyncGenerator<String>> keep = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, context) -> reports.add(context));
            for (String name : List.of("a", "b", "c")) {
                AsyncGenerator<String> g = finalizing(name, name.equals("b"), name.equals("c"));
                keep.add(g);
                g.anext();
            }
            keep.add(finalizing("never-started", false, false));
            AsyncGenerator<String> done = finalizing("done", false, false);
            keep.add(done);
            done.anext();
            done.aclose();
        });
        assertEquals(List.of("done finally start", "done finally end",
                "a finally start", "b finally start", "c finally start",
                "a finally end", "b finally end", "c finally end"), log);
        assertEquals(2, reports.size(), reports.toString());
        assertEquals("an error occurred during closing of asynchronous generator " + keep.get(1),
                reports.get(0).message());
        assertEquals("b", reports.get(0).exception().getMessage());
        assertEquals("an error occurred during closing of asynchronous generator " + keep.get(2),
                reports.get(1).message());
        assertEquals("async generator ignored GeneratorExit", reports.get(1).exception().getMessage());
        assertTrue(keep.get(0).toString().endsWith("[closed]"), keep.get(0).toString());
        assertTrue(keep.get(3).toString().endsWith("[created]"), keep.get(3).toString());
    }

    private AsyncGenerator<String> finalizing(String name, boolean fail, boolean ignore) {
        return AsyncGenerator.of(out -> {
            try {
                out.emit(name);
                out.emit(name);
            } finally {
                log.add(name + " finally start");
                Asyncio.sleep(0);
                log.add(name + " finally end");
                if (fail) {
                    throw new IllegalStateException(name);
                }
                if (ignore) {
                    out.emit("again");
                }
            }
        });
    }

    @Test
    void breakingOutOfAForEachUnderAsyncioRunReportsNothing() {
        // test_asyncgen_nonstarted_hooks_are_cancellable (bpo-38013): `async for i in
        // async_iterate(): break` in asyncio.run's main; the shutdown closes the generator
        // quietly, and the exception handler hears nothing.
        List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, context) -> reports.add(context));
            for (int i : AsyncGenerator.<Integer>of(out -> {
                try {
                    out.emit(1);
                    out.emit(2);
                } finally {
                    log.add("closed");
                }
            })) {
                break;
            }
        });
        assertEquals(List.of(), reports);
        assertEquals(List.of("closed"), log);
    }

    @Test
    void aGeneratorWhoseCloseIsCancelledIsNotReported() {
        // shutdown_asyncgens reports only results that are an Exception: a CancelledError (a
        // BaseException) ending an aclose() is not reported.
        List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, context) -> reports.add(context));
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } finally {
                    log.add("finally");
                    throw new CancelledError("gave up");
                }
            });
            gen.anext();
        });
        assertEquals(List.of("finally"), log);
        assertEquals(List.of(), reports);
    }

    @Test
    void aGeneratorFirstRunAfterTheShutdownIsStillTrackedWithAWarning() {
        // asyncio (3.13, checked against the interpreter): after shutdown_asyncgens(), the
        // firstiter hook warns (ResourceWarning "asynchronous generator ... was scheduled after
        // loop.shutdown_asyncgens() call") and still tracks the generator, which asyncio.run's
        // own shutdown then closes.
        List<LogRecord> records = captureLog(() -> Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.shutdownAsyncgens().await();
            AsyncGenerator<String> late = finalizing("late", false, false);
            late.anext();
            log.add("started " + late);
        }));
        assertEquals(List.of("late finally start", "late finally end"), log.subList(1, log.size()));
        assertEquals(1, records.size(), records.toString());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        String started = log.get(0).substring("started ".length());
        String identity = started.substring(0, started.indexOf('['));
        assertEquals("asynchronous generator " + identity + "[running] was scheduled after loop.shutdownAsyncgens() call",
                records.get(0).getMessage());
    }

    @Test
    void shutdownAsyncgensIsATaskAndWithNothingToCloseTakesAsyncioTwoIterations() {
        // loop.run_until_complete(loop.shutdown_asyncgens()) with no generator: the coroutine
        // runs as a task (its first step on the next iteration, the stop in the one after).
        EventLoop loop = new EventLoop();
        try {
            int[] iterations = new int[1];
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                iterations[0]++;
                loop.callSoon(tick[0]);
            };
            loop.callSoon(tick[0]);
            Future<Void> f = loop.shutdownAsyncgens();
            assertInstanceOf(Task.class, f);
            assertNull(loop.runUntilComplete(f));
            assertEquals(2, iterations[0]);
        } finally {
            loop.close();
        }
    }

    @Test
    void aGeneratorNobodyReferencesIsClosedByTheFinalizer() {
        // test_async_gen_asyncio_gc_aclose_09: a generator stepped twice and dropped while
        // suspended is closed by asyncio's finalizer hook (a task running aclose()); its
        // finally blocks, which await, run.
        Asyncio.run(() -> {
            stepTwiceAndDrop();
            for (int i = 0; i < 500 && !log.contains("finalized"); i++) {
                System.gc();
                Asyncio.sleep(0.01);
            }
            assertEquals(List.of("finalized"), log, "closed while the loop runs, not by the shutdown");
        });
    }

    private void stepTwiceAndDrop() {
        AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
            try {
                while (true) {
                    out.emit(1);
                }
            } finally {
                Asyncio.sleep(0.01);
                Asyncio.sleep(0.01);
                log.add("finalized");
            }
        });
        gen.anext();
        gen.anext();
    }

    @Test
    void aGeneratorRunToItsEndIsNoLongerTracked() {
        // asyncio's shutdown_asyncgens acloses every generator of its WeakSet, finished ones
        // included, which does nothing; jasyncio stops tracking a generator when its body
        // ends, so the shutdown has nothing to report and nothing runs twice.
        List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((l, context) -> reports.add(context));
            AsyncGenerator<Integer> failed = AsyncGenerator.of(out -> {
                out.emit(1);
                throw new IllegalStateException("ended");
            });
            failed.anext();
            assertThrows(IllegalStateException.class, failed::anext);
            for (int i : AsyncGenerator.<Integer>of(out -> {
                try {
                    out.emit(1);
                } finally {
                    log.add("finally");
                }
            })) {
                log.add("got " + i);
            }
        });
        assertEquals(List.of("got 1", "finally"), log);
        assertEquals(List.of(), reports);
    }

    /** Runs {@code body} with a handler on the "org.jasyncio" logger, returning what it logged. */
    private static List<LogRecord> captureLog(Runnable body) {
        // System.Logger is backed by java.util.logging when java.logging is present.
        Logger jul = Logger.getLogger("org.jasyncio");
        List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean parent = jul.getUseParentHandlers();
        jul.addHandler(handler);
        jul.setUseParentHandlers(false); // keep the expected warning out of the build output
        try {
            body.run();
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(parent);
        }
        return records;
    }
}
