package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncGenerator}: PEP 525 and asyncio 3.13, test by test after CPython's
 * Lib/test/test_asyncgen.py (named in each test), plus the behaviours of CPython 3.13 that
 * test file does not pin, checked against the interpreter and named as such.
 */
class AsyncGeneratorTest {

    private final List<String> log = new ArrayList<>();

    private static <T> List<T> toList(AsyncGenerator<T> gen) {
        List<T> out = new ArrayList<>();
        for (T x : gen) {
            out.add(x);
        }
        return out;
    }

    // ------------------------------------------------------------------ iteration

    @Test
    void theBodyStartsOnlyAtTheFirstAnext() {
        // PEP 525: calling an async generator function runs nothing; the first __anext__ does.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                log.add("body started");
                out.emit(1);
            });
            Asyncio.sleep(0);
            assertEquals(List.of(), log);
            assertEquals("AsyncGenerator@", gen.toString().substring(0, 15));
            assertTrue(gen.toString().endsWith("[created]"), gen.toString());
            assertEquals(1, gen.anext());
            assertEquals(List.of("body started"), log);
            assertTrue(gen.toString().endsWith("[suspended]"), gen.toString());
        });
    }

    @Test
    void aForEachTakesEveryValueWhileTheBodyAwaits() {
        // test_async_gen_asyncio_01: yield 1, await sleep, yield 2, await sleep, return -> [1, 2]
        List<Integer> got = Asyncio.run(() -> toList(AsyncGenerator.<Integer>of(out -> {
            out.emit(1);
            Asyncio.sleep(0.01);
            out.emit(2);
            Asyncio.sleep(0.01);
        })));
        assertEquals(List.of(1, 2), got);
    }

    @Test
    void theEndIsStopAsyncIterationEveryTime() {
        // test_async_gen_asyncio_anext_04 (run1) and check_async_iterator_anext's test_2: once
        // exhausted, every __anext__ raises StopAsyncIteration.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.emit(1);
                Asyncio.sleep(0.01);
                out.emit(2);
            });
            assertEquals(1, gen.anext());
            assertEquals(2, gen.anext());
            assertThrows(StopAsyncIterationException.class, gen::anext);
            assertThrows(StopAsyncIterationException.class, gen::anext);
            assertThrows(StopAsyncIterationException.class, () -> gen.asend(null));
            assertTrue(gen.toString().endsWith("[closed]"), gen.toString());
            // The same exception is the iterator's end: a NoSuchElementException.
            Iterator<Integer> it = gen.iterator();
            assertFalse(it.hasNext());
            assertInstanceOf(StopAsyncIterationException.class, assertThrows(NoSuchElementException.class, it::next));
        });
    }

    @Test
    void everyIteratorOfOneGeneratorTakesFromTheSameSequence() {
        // test_aiter_idempotent: aiter(agen) is agen itself.
        List<Integer> got = Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                for (int i = 1; i <= 4; i++) {
                    out.emit(i);
                }
            });
            List<Integer> seen = new ArrayList<>();
            for (int x : gen) {
                seen.add(x);
                if (x == 2) {
                    break;
                }
            }
            seen.addAll(toList(gen));
            return seen;
        });
        assertEquals(List.of(1, 2, 3, 4), got);
    }

    @Test
    void anExceptionOfTheBodyReachesTheConsumerAndFinishesTheGenerator() {
        // test_async_gen_asyncio_02 and test_async_gen_exception_04: the ZeroDivisionError
        // propagates out of __anext__; the generator is then exhausted.
        Asyncio.run(() -> {
            ArithmeticException boom = new ArithmeticException("/ by zero");
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.emit(1);
                Asyncio.sleep(0.01);
                out.emit(2);
                throw boom;
            });
            List<Integer> seen = new ArrayList<>();
            assertSame(boom, assertThrows(ArithmeticException.class, () -> {
                for (int x : gen) {
                    seen.add(x);
                }
            }));
            assertEquals(List.of(1, 2), seen);
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
    }

    @Test
    void aCheckedExceptionOfTheBodyTravelsUnchanged() {
        // test_async_gen_exception_03: an exception raised at an await inside the body reaches
        // the consumer as it was; here a checked one, which Java code receives undeclared.
        IOException io = new IOException("connection lost");
        Throwable thrown = assertThrows(IOException.class, () -> Asyncio.run(() -> toList(AsyncGenerator.<Integer>of(out -> {
            out.emit(1);
            Asyncio.sleep(0);
            throw io;
        }))));
        assertSame(io, thrown);
    }

    @Test
    void aBodyThrowingStopAsyncIterationIsAnIllegalState() {
        // test_async_gen_exception_05: raise StopAsyncIteration in the body is a RuntimeError
        // 'async generator raised StopAsyncIteration' (PEP 479), whose cause it is.
        Asyncio.run(() -> {
            StopAsyncIterationException own = new StopAsyncIterationException();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.emit(123);
                throw own;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> toList(gen));
            assertEquals("async generator raised StopAsyncIteration", e.getMessage());
            assertSame(own, e.getCause());
            assertThrows(StopAsyncIterationException.class, gen::anext);

            // The same for one thrown in with athrow() and not caught; thrown into a generator
            // not started, it is raised as it is (both checked against the 3.13 interpreter).
            AsyncGenerator<Integer> suspended = AsyncGenerator.of(out -> {
                out.emit(1);
                out.emit(2);
            });
            suspended.anext();
            StopAsyncIterationException in = new StopAsyncIterationException();
            e = assertThrows(IllegalStateException.class, () -> suspended.athrow(in));
            assertEquals("async generator raised StopAsyncIteration", e.getMessage());
            assertSame(in, e.getCause());
            AsyncGenerator<Integer> fresh = AsyncGenerator.of(out -> out.emit(1));
            assertSame(in, assertThrows(StopAsyncIterationException.class, () -> fresh.athrow(in)));
        });
    }

    @Test
    void emitMayBeCalledAtAnyDepthOfTheBody() {
        // Stackful: a helper method yields on the generator's behalf (what Python can only do
        // with `async for x in helper(): yield x`, test_async_gen_expression_01's shape).
        List<Integer> got = Asyncio.run(() -> toList(AsyncGenerator.<Integer>of(out -> {
            for (int i = 0; i < 3; i++) {
                emitTwice(out, i);
            }
        })));
        assertEquals(List.of(0, 0, 1, 1, 2, 2), got);
    }

    private static void emitTwice(Emitter<Integer> out, int value) {
        Asyncio.sleep(0);
        out.emit(value);
        out.emit(value);
    }

    @Test
    void aBodyMayIterateAnotherGenerator() {
        // test_async_gen_expression_01: (i * 2 async for i in arange(n)), each step of arange
        // awaiting.
        List<Integer> got = Asyncio.run(() -> {
            AsyncGenerator<Integer> arange = AsyncGenerator.of(out -> {
                for (int i = 0; i < 10; i++) {
                    Asyncio.sleep(0.001);
                    out.emit(i);
                }
            });
            return toList(AsyncGenerator.<Integer>of(out -> {
                for (int i : arange) {
                    out.emit(i * 2);
                }
            }));
        });
        assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18), got);
    }

    @Test
    void successiveStepsMayComeFromTasksOfDifferentLoops() {
        // asyncio binds no async generator to a loop: each step runs in the task awaiting it,
        // on that task's loop. Here the first step runs on one loop, the rest on another loop
        // on another thread; the body's awaits use whichever loop steps it.
        EventLoop first = new EventLoop();
        try {
            List<EventLoop> loops = new ArrayList<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                for (int i = 1; i <= 3; i++) {
                    Asyncio.sleep(0.001);
                    loops.add(Asyncio.getRunningLoop());
                    out.emit(i);
                }
            });
            assertEquals(1, first.runUntilComplete(gen::anext));
            List<Object> rest = new ArrayList<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    rest.addAll(Asyncio.run(() -> {
                        List<Object> got = new ArrayList<>(toList(gen));
                        got.add(Asyncio.getRunningLoop());
                        return got;
                    }));
                } catch (Throwable t) {
                    rest.add(t);
                }
            });
            other.join();
            assertEquals(3, rest.size(), rest.toString());
            assertEquals(List.of(2, 3), rest.subList(0, 2));
            assertEquals(List.of(first, rest.get(2), rest.get(2)), loops);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            first.close();
        }
    }

    // ------------------------------------------------------------------ ordering

    @Test
    void valuesEmittedWithoutAwaitingArriveWithoutALoopIteration() {
        // asyncio (3.13, checked against the interpreter): a yield hands the value to the task
        // awaiting __anext__ synchronously, so a generator that never awaits is iterated to
        // its end before a task created earlier gets its first step:
        // ['g-start', 'c1', 'c2', 'c3', 'c-end', 't0', 't1', 't2', 't3']
        Asyncio.run(() -> {
            Task<Void> ticker = ticker();
            for (int x : AsyncGenerator.<Integer>of(out -> {
                log.add("g-start");
                out.emit(1);
                out.emit(2);
                out.emit(3);
            })) {
                log.add("c" + x);
            }
            log.add("c-end");
            ticker.await();
        });
        assertEquals(List.of("g-start", "c1", "c2", "c3", "c-end", "t0", "t1", "t2", "t3"), log);
    }

    @Test
    void eachAwaitOfTheBodyCostsTheConsumerExactlyItsOwnIterations() {
        // asyncio (3.13, checked against the interpreter): an `await asyncio.sleep(0)` in the
        // body is one loop iteration of the consumer's task, the first step of the body none:
        // ['created', 't0', 'g-start', 'c1', 't1', 'c2', 't2', 'c3', 'c-end', 't3']
        Asyncio.run(() -> {
            Task<Void> ticker = ticker();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                log.add("g-start");
                out.emit(1);
                Asyncio.sleep(0);
                out.emit(2);
                Asyncio.sleep(0);
                out.emit(3);
            });
            log.add("created");
            Asyncio.sleep(0);
            for (int x : gen) {
                log.add("c" + x);
            }
            log.add("c-end");
            ticker.await();
        });
        assertEquals(List.of("created", "t0", "g-start", "c1", "t1", "c2", "t2", "c3", "c-end", "t3"), log);
    }

    private Task<Void> ticker() {
        return Asyncio.createTask(() -> {
            for (int i = 0; i < 4; i++) {
                log.add("t" + i);
                Asyncio.sleep(0);
            }
        });
    }

    @Test
    void theBodyRunsInTheConsumersTaskAndContext() {
        // asyncio (3.13, checked against the interpreter): the generator's frame runs in the
        // task awaiting __anext__ (current_task() is that task) and in its context, so a
        // ContextVar set in the body is seen by that consumer, and a later step from another
        // task sees that task's context:
        // ['gen sees consumer', 'consumer sees from-gen', 'gen sees other-task', 'consumer sees from-gen']
        Asyncio.run(() -> {
            ContextVar<String> cv = new ContextVar<>("cv", "unset");
            List<Task<?>> tasks = new ArrayList<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                tasks.add(Asyncio.currentTask());
                log.add("gen sees " + cv.get());
                cv.set("from-gen");
                out.emit(1);
                tasks.add(Asyncio.currentTask());
                log.add("gen sees " + cv.get());
                out.emit(2);
            });
            cv.set("consumer");
            gen.anext();
            log.add("consumer sees " + cv.get());
            Task<Integer> other = Asyncio.createTask(() -> {
                cv.set("other-task");
                return gen.anext();
            });
            assertEquals(2, other.await());
            log.add("consumer sees " + cv.get());
            assertEquals(List.of(Asyncio.currentTask(), other), tasks);
        });
        assertEquals(List.of("gen sees consumer", "consumer sees from-gen", "gen sees other-task",
                "consumer sees from-gen"), log);
    }

    // ------------------------------------------------------------------ asend

    @Test
    void asendIsWhatEmitReturns() {
        // test_async_gen_asyncio_anext_05 and test_async_gen_asyncio_asend_01: v = yield 1;
        // v = yield v; yield v * 100; anext sends None.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                Object v = out.emit(1);
                v = out.emit((Integer) v);
                Asyncio.sleep(0.01);
                out.emit((Integer) v * 100);
            });
            assertEquals(1, gen.asend(null));
            assertEquals(10, gen.asend(10));
            assertEquals(1200, gen.asend(12));
            assertThrows(StopAsyncIterationException.class, gen::anext);

            AsyncGenerator<Object> echo = AsyncGenerator.of(out -> out.emit(out.emit("first")));
            assertEquals("first", echo.anext());
            assertNull(echo.anext(), "anext() sends None");
        });
    }

    @Test
    void aJustStartedGeneratorRefusesAValue() {
        // test_async_gen_exception_10: TypeError "can't send non-None value to a just-started
        // async generator" (Python's TypeError is IllegalArgumentException here); the
        // generator is not started by the refusal.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                log.add("started");
                out.emit(123);
            });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gen.asend(100));
            assertTrue(e.getMessage().startsWith("can't send non-None value to a just-started async generator"),
                    e.getMessage());
            assertEquals(List.of(), log);
            assertEquals(123, gen.asend(null));
        });
    }

    // ------------------------------------------------------------------ athrow

    @Test
    void athrowCaughtByTheBodyReturnsItsNextValue() {
        // test_async_gen_asyncio_athrow_01: try: v = yield 1 except FooEr: v = 1000 (awaiting);
        // yield v * 2 -> athrow returns 2000; the finally block (awaiting) runs at the end.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    Asyncio.sleep(0.01);
                    int v;
                    try {
                        v = (Integer) out.emit(1);
                    } catch (IllegalArgumentException fooEr) {
                        v = 1000;
                        Asyncio.sleep(0.01);
                    }
                    out.emit(v * 2);
                    Asyncio.sleep(0.01);
                } finally {
                    Asyncio.sleep(0.01);
                    Asyncio.sleep(0.01);
                    log.add("done");
                }
            });
            assertEquals(1, gen.asend(null));
            assertEquals(2000, gen.athrow(new IllegalArgumentException("FooEr")));
            assertThrows(StopAsyncIterationException.class, () -> gen.asend(null));
        });
        assertEquals(List.of("done"), log);
    }

    @Test
    void athrowNotCaughtPropagatesAndFinishesTheGenerator() {
        // asyncio (3.13, checked against the interpreter): an exception thrown in and not caught
        // runs the finally blocks and propagates from athrow; the next __anext__ raises
        // StopAsyncIteration. A checked exception goes in and out unchanged.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                    out.emit(2);
                } finally {
                    log.add("finally");
                }
            });
            gen.anext();
            IOException z = new IOException("z");
            assertSame(z, assertThrows(IOException.class, () -> gen.athrow(z)));
            assertEquals(List.of("finally"), log);
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
    }

    @Test
    void athrowCaughtByABodyThatThenReturnsIsTheEnd() {
        // test_async_gen_asyncio_athrow_03: try: yield except: pass; DONE = 1 -> athrow raises
        // StopAsyncIteration.
        Asyncio.run(() -> {
            AsyncGenerator<Object> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(null);
                } catch (Throwable anything) {
                    // Python's bare except
                }
                log.add("done");
            });
            gen.asend(null);
            assertThrows(StopAsyncIterationException.class, () -> gen.athrow(new IllegalArgumentException()));
            assertEquals(List.of("done"), log);
        });
    }

    @Test
    void athrowOnAGeneratorNotStartedThrowsAtOnceAndTheBodyNeverRuns() {
        // asyncio (3.13, checked against the interpreter): athrow(ValueError('x')) on a fresh
        // generator raises it without running the body; then __anext__ raises
        // StopAsyncIteration.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                log.add("body");
                out.emit(1);
            });
            IllegalArgumentException x = new IllegalArgumentException("x");
            assertSame(x, assertThrows(IllegalArgumentException.class, () -> gen.athrow(x)));
            assertThrows(StopAsyncIterationException.class, gen::anext);
            assertEquals(List.of(), log);
        });
    }

    @Test
    void athrowOnAFinishedOrClosedGeneratorDoesNothing() {
        // asyncio (3.13, checked against the interpreter): on an exhausted generator, on one
        // closed before it started, and after an athrow that ended one, athrow() returns None.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> exhausted = AsyncGenerator.of(out -> out.emit(1));
            toList(exhausted);
            assertNull(exhausted.athrow(new IllegalArgumentException("y")));

            AsyncGenerator<Integer> closed = AsyncGenerator.of(out -> out.emit(1));
            closed.aclose();
            assertNull(closed.athrow(new IllegalArgumentException("y")));

            AsyncGenerator<Integer> thrownInto = AsyncGenerator.of(out -> out.emit(1));
            assertThrows(IllegalArgumentException.class, () -> thrownInto.athrow(new IllegalArgumentException("w")));
            assertNull(thrownInto.athrow(new IllegalArgumentException("y")));
        });
    }

    @Test
    void athrowOfGeneratorExitPropagatesIt() {
        // test_async_gen_exception_11: await asg.athrow(GeneratorExit()) raises GeneratorExit to
        // the caller, who may catch it and go on yielding.
        List<Integer> got = Asyncio.run(() -> toList(AsyncGenerator.<Integer>of(out -> {
            out.emit(1);
            AsyncGenerator<Integer> inner = AsyncGenerator.of(in -> {
                in.emit(10);
                in.emit(20);
            });
            inner.asend(null);
            try {
                inner.athrow(new GeneratorExit());
            } catch (GeneratorExit e) {
                out.emit(2);
            }
            out.emit(3);
        })));
        assertEquals(List.of(1, 2, 3), got);
    }

    // ------------------------------------------------------------------ aclose

    @Test
    void acloseRunsTheFinallyBlocksAtTheYieldPoint() {
        // test_async_gen_asyncio_aclose_07: finally: await sleep; await sleep; DONE += 1 runs;
        // the code after the try (DONE += 1000) does not.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                    log.add("after yield");
                } finally {
                    Asyncio.sleep(0.01);
                    Asyncio.sleep(0.01);
                    log.add("finally");
                }
                log.add("after try");
            });
            assertEquals(1, gen.anext());
            gen.aclose();
            assertTrue(gen.toString().endsWith("[closed]"), gen.toString());
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
        assertEquals(List.of("finally"), log);
    }

    @Test
    void acloseDoesNotWaitForWhatTheBodyWouldHaveAwaitedNext() {
        // test_async_gen_asyncio_aclose_08: the body is suspended at yield 1, before an
        // `await fut` that never completes; aclose runs only the finally blocks.
        Asyncio.run(() -> {
            Future<Void> fut = new Future<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                    fut.await();
                    log.add("never");
                    out.emit(2);
                } finally {
                    Asyncio.sleep(0.01);
                    log.add("finally");
                }
            });
            assertEquals(1, gen.anext());
            gen.aclose();
            fut.cancel();
        });
        assertEquals(List.of("finally"), log);
    }

    @Test
    void acloseWaitsForATaskTheBodyAwaitsInItsFinally() {
        // test_async_gen_asyncio_aclose_12: the finally block awaits a task that fails with
        // ZeroDivisionError and catches it.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                Task<Void> target = Asyncio.createTask(() -> {
                    Asyncio.sleep(0.01);
                    throw new ArithmeticException("/ by zero");
                });
                try {
                    out.emit(1);
                } finally {
                    try {
                        target.await();
                    } catch (ArithmeticException e) {
                        log.add("caught " + e.getMessage());
                    }
                }
            });
            gen.anext();
            gen.aclose();
        });
        assertEquals(List.of("caught / by zero"), log);
    }

    @Test
    void acloseOfAGeneratorNotStartedOrFinishedDoesNothing() {
        // test_async_gen_aclose_twice_with_different_coros and
        // test_async_gen_aclose_after_exhaustion (bpo-39606); and, checked against the 3.13
        // interpreter, aclose() of a fresh generator never runs its body, which is then
        // exhausted.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> fresh = AsyncGenerator.of(out -> {
                log.add("body");
                out.emit(1);
            });
            fresh.aclose();
            fresh.aclose();
            assertThrows(StopAsyncIterationException.class, fresh::anext);
            assertEquals(List.of(), log);

            AsyncGenerator<Integer> exhausted = AsyncGenerator.of(out -> {
                out.emit(1);
                out.emit(2);
            });
            assertEquals(List.of(1, 2), toList(exhausted));
            exhausted.aclose();
        });
    }

    @Test
    void aBodyThatCatchesGeneratorExitAndReturnsClosesNormally() {
        // test_async_gen_asyncio_aclose_10: try: yield except: pass; DONE = 1 -> aclose returns.
        Asyncio.run(() -> {
            AsyncGenerator<Object> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(null);
                } catch (Throwable anything) {
                    assertInstanceOf(GeneratorExit.class, anything);
                    Asyncio.sleep(0);
                }
                log.add("done");
            });
            gen.asend(null);
            gen.aclose();
        });
        assertEquals(List.of("done"), log);
    }

    @Test
    void catchExceptionDoesNotSwallowGeneratorExit() {
        // asyncio (3.13, checked against the interpreter): GeneratorExit is a BaseException, so
        // `except Exception` in the body does not catch it and aclose() ends the body.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } catch (Exception e) {
                    log.add("swallowed");
                }
                out.emit(2);
            });
            gen.anext();
            gen.aclose();
        });
        assertEquals(List.of(), log);
    }

    @Test
    void aBodyThatEmitsWhileClosingIgnoredGeneratorExit() {
        // test_async_gen_asyncio_aclose_06 and _11: a yield in the finally (after an await)
        // makes aclose raise RuntimeError 'async generator ignored GeneratorExit'. Then, as
        // the 3.13 interpreter does, the body stays suspended at that yield: a second aclose()
        // throws GeneratorExit there and completes.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                    throw new ArithmeticException("never reached");
                } finally {
                    Asyncio.sleep(0.01);
                    try {
                        out.emit(12);
                    } finally {
                        log.add("inner finally");
                    }
                }
            });
            gen.anext();
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::aclose);
            assertEquals("async generator ignored GeneratorExit", e.getMessage());
            assertEquals(List.of(), log);
            assertTrue(gen.toString().endsWith("[suspended]"), gen.toString());
            gen.aclose();
            assertEquals(List.of("inner finally"), log);
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
    }

    @Test
    void afterIgnoringGeneratorExitAnextResumesTheBodyAndAthrowIsRefused() {
        // asyncio (3.13, checked against the interpreter): after 'ignored GeneratorExit',
        // __anext__ resumes the body at its second yield, whose finally then re-raises the
        // GeneratorExit to the caller; athrow() is refused with StopAsyncIteration instead.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> resumed = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } finally {
                    Object v = out.emit(2);
                    log.add("after yield 2: " + v);
                }
            });
            resumed.anext();
            assertThrows(IllegalStateException.class, resumed::aclose);
            assertThrows(GeneratorExit.class, resumed::anext);
            assertEquals(List.of("after yield 2: null"), log);
            assertThrows(StopAsyncIterationException.class, resumed::anext);

            AsyncGenerator<Integer> refused = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } finally {
                    out.emit(2);
                }
            });
            refused.anext();
            assertThrows(IllegalStateException.class, refused::aclose);
            assertThrows(StopAsyncIterationException.class, () -> refused.athrow(new IllegalArgumentException()));
            refused.aclose();
        });
    }

    @Test
    void anExceptionOfTheFinallyPropagatesFromAclose() {
        // asyncio (3.13, checked against the interpreter): finally: raise KeyError -> aclose()
        // raises the KeyError (its context the GeneratorExit).
        Asyncio.run(() -> {
            IllegalStateException fin = new IllegalStateException("fin");
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } finally {
                    Asyncio.sleep(0);
                    throw fin;
                }
            });
            gen.anext();
            assertSame(fin, assertThrows(IllegalStateException.class, gen::aclose));
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
    }

    // ------------------------------------------------------------------ one call at a time

    @Test
    void aSecondCallWhileTheBodyAwaitsIsRefused() {
        // asyncio (3.13, checked against the interpreter), while a task awaits __anext__ and the
        // body sleeps: RuntimeError 'anext(): asynchronous generator is already running' for
        // __anext__ and asend, 'athrow(): ...' and 'aclose(): ...' for those; the first call
        // then completes normally.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                Asyncio.sleep(0.05);
                out.emit(1);
            });
            Task<Integer> first = Asyncio.createTask(gen::anext);
            Asyncio.sleep(0);
            assertTrue(gen.toString().endsWith("[running]"), gen.toString());
            assertEquals("anext(): asynchronous generator is already running",
                    assertThrows(IllegalStateException.class, gen::anext).getMessage());
            assertEquals("anext(): asynchronous generator is already running",
                    assertThrows(IllegalStateException.class, () -> gen.asend(null)).getMessage());
            assertEquals("athrow(): asynchronous generator is already running",
                    assertThrows(IllegalStateException.class, () -> gen.athrow(new IllegalArgumentException())).getMessage());
            assertEquals("aclose(): asynchronous generator is already running",
                    assertThrows(IllegalStateException.class, gen::aclose).getMessage());
            assertEquals(1, first.await(), "the refused calls changed nothing");
            gen.aclose();
        });
    }

    @Test
    void theBodyCannotStepItsOwnGenerator() {
        // asyncio (3.13, checked against the interpreter): the body awaiting its own
        // generator's __anext__ gets 'anext(): asynchronous generator is already running'.
        Asyncio.run(() -> {
            List<AsyncGenerator<Integer>> self = new ArrayList<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> self.get(0).anext());
                log.add(e.getMessage());
                out.emit(1);
            });
            self.add(gen);
            assertEquals(1, gen.anext());
            self.clear();
            gen.aclose();
        });
        assertEquals(List.of("anext(): asynchronous generator is already running"), log);
    }

    @Test
    void callsOutsideATaskAreRefusedAtOnce() {
        // jasyncio's rule for every suspending call: outside a task, IllegalStateException,
        // never a hang. (Python cannot await outside a coroutine at all.)
        AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> out.emit(1));
        assertThrows(IllegalStateException.class, gen::anext);
        assertThrows(IllegalStateException.class, gen::aclose);
        assertThrows(IllegalStateException.class, () -> gen.athrow(new IllegalArgumentException()));
        Asyncio.run(() -> {
            Future<Void> done = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> {
                log.add(assertThrows(IllegalStateException.class, gen::anext).getMessage().split(" ")[0]);
                done.setResult(null);
            });
            done.await();
            assertEquals(1, gen.anext(), "the refused calls did not start the body");
            gen.aclose();
        });
        assertEquals(List.of("anext()"), log);
    }

    @Test
    void emitOutsideTheRunningBodyIsRefused() {
        // No asyncio counterpart (a yield can only be written in the generator's own frame):
        // the emitter refuses a call from another task or after the body returned, changing
        // nothing.
        Asyncio.run(() -> {
            List<Emitter<Integer>> leaked = new ArrayList<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                leaked.add(out);
                Task<Object> child = Asyncio.createTask(() -> out.emit(99));
                assertThrows(IllegalStateException.class, child::await);
                out.emit(1);
            });
            assertEquals(1, gen.anext());
            assertThrows(IllegalStateException.class, () -> leaked.get(0).emit(2));
            assertThrows(StopAsyncIterationException.class, gen::anext);
            assertThrows(IllegalStateException.class, () -> leaked.get(0).emit(3));

            Asyncio.getRunningLoop().setEagerTasks(true);
            AsyncGenerator<Integer> eager = AsyncGenerator.of(out -> {
                Task<Object> child = Asyncio.createTask(() -> out.emit(99));
                assertThrows(IllegalStateException.class, child::result);
                out.emit(1);
            });
            assertEquals(1, eager.anext());
            eager.aclose();
        });
    }

    @Test
    void aNullBodyIsRefused() {
        // jasyncio's argument checks, made before anything runs (Python has no null generator
        // function to call; athrow(None) is a TypeError there too).
        assertThrows(NullPointerException.class, () -> AsyncGenerator.of(null));
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> out.emit(1));
            assertThrows(NullPointerException.class, () -> gen.athrow(null));
            assertEquals(1, gen.anext());
            gen.aclose();
        });
    }
}
