package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cancellation and timeouts through an {@link AsyncGenerator}: the body runs in the consumer's
 * task, so cancelling that task throws {@link CancelledError} in the body at its await, as
 * asyncio throws it into the generator's frame. After CPython's test_asyncgen.py (named in
 * each test) and the 3.13 interpreter.
 */
class AsyncGeneratorCancellationTest {

    private final List<String> log = new ArrayList<>();

    @Test
    void cancellingTheConsumerCancelsTheBodyAtItsAwait() {
        // asyncio (3.13, checked against the interpreter): the body's finally runs first, then
        // the consumer sees the CancelledError; the generator is finished:
        // ['gen finally', 'consumer got CancelledError', 't cancelled', 'then StopAsyncIteration']
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(0);
                    Asyncio.sleep(10);
                    out.emit(1);
                } finally {
                    log.add("gen finally");
                }
            });
            gen.anext();
            Task<Integer> consumer = Asyncio.createTask(() -> {
                try {
                    return gen.anext();
                } catch (CancelledError e) {
                    log.add("consumer got CancelledError");
                    throw e;
                }
            });
            Asyncio.sleep(0);
            consumer.cancel();
            assertThrows(CancelledError.class, consumer::await);
            log.add("t cancelled");
            assertThrows(StopAsyncIterationException.class, gen::anext);
            log.add("then StopAsyncIteration");
        });
        assertEquals(List.of("gen finally", "consumer got CancelledError", "t cancelled", "then StopAsyncIteration"), log);
    }

    @Test
    void aCancelledFutureTheBodyAwaitsFailsTheBodyWhoseFinallyStillAwaits() {
        // test_async_gen_asyncio_asend_03: the body awaits a future that a callback cancels;
        // the CancelledError runs the finally (which awaits twice) and reaches the consumer.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    Asyncio.sleep(0.01);
                    Integer v = (Integer) out.emit(1);
                    sleepThenCancelled(0.01);
                    log.add("never");
                    out.emit(v * 2);
                } finally {
                    Asyncio.sleep(0.01);
                    Asyncio.sleep(0.01);
                    log.add("done");
                }
            });
            assertEquals(1, gen.asend(null));
            assertThrows(CancelledError.class, () -> gen.asend(100));
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
        assertEquals(List.of("done"), log);
    }

    @Test
    void aCancellationRaisedWhileHandlingAnAthrowReachesTheConsumer() {
        // test_async_gen_asyncio_athrow_02: the body catches the thrown FooEr and then awaits
        // a future that gets cancelled; athrow raises CancelledError after the finally ran.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    Asyncio.sleep(0.01);
                    try {
                        out.emit(1);
                    } catch (IllegalArgumentException fooEr) {
                        sleepThenCancelled(0.01);
                    }
                    out.emit(2);
                } finally {
                    Asyncio.sleep(0.01);
                    Asyncio.sleep(0.01);
                    log.add("done");
                }
            });
            assertEquals(1, gen.asend(null));
            assertThrows(CancelledError.class, () -> gen.athrow(new IllegalArgumentException("FooEr")));
            assertEquals(List.of("done"), log);
        });
    }

    /** test_asyncgen's sleep_n_crash: sleeps in a task that a callback cancels halfway. */
    private static void sleepThenCancelled(double delay) {
        Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(delay));
        Asyncio.getRunningLoop().callLater(delay / 2, sleeper::cancel);
        sleeper.await();
    }

    @Test
    void aBodyThatCatchesTheCancellationMayEmitAndTheConsumerGoesOn() {
        // asyncio (3.13, checked against the interpreter): the body catches CancelledError
        // (with the cancel message) and yields; the consumer's __anext__ returns that value,
        // cancelling() is 1, and the task goes on to finish normally:
        // ["body caught ('stop it',)", 'caught cancelling=1', 'next', 'not reached?']
        Asyncio.run(() -> {
            AsyncGenerator<String> gen = AsyncGenerator.of(out -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    log.add("body caught " + e.getMessage());
                    out.emit("caught");
                }
                out.emit("next");
            });
            Task<Void> consumer = Asyncio.createTask(() -> {
                String v = gen.anext();
                log.add(v + " cancelling=" + Asyncio.currentTask().cancelling());
                log.add(gen.anext());
                Asyncio.sleep(0);
                log.add("not reached?");
            });
            Asyncio.sleep(0);
            consumer.cancel("stop it");
            consumer.await();
            assertTrue(!consumer.cancelled());
            gen.aclose();
        });
        assertEquals(List.of("body caught stop it", "caught cancelling=1", "next", "not reached?"), log);
    }

    @Test
    void aTimeoutAroundAnextCancelsTheBodyAndBecomesTimeoutError() {
        // asyncio (3.13, checked against the interpreter): `async with timeout(0.01): await
        // gen.__anext__()` while the body sleeps: the body's finally runs (and may await), the
        // scope raises TimeoutError, the generator is finished:
        // ['h finally', 'h finally after await', 'timeout', 'SAI']
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    Asyncio.sleep(10);
                    out.emit(1);
                } finally {
                    log.add("h finally");
                    Asyncio.sleep(0);
                    log.add("h finally after await");
                }
            });
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class,
                    () -> Asyncio.timeout(0.01, gen::anext));
            assertTrue(e.getCause() instanceof CancelledError, String.valueOf(e.getCause()));
            log.add("timeout");
            assertThrows(StopAsyncIterationException.class, gen::anext);
            log.add("SAI");
        });
        assertEquals(List.of("h finally", "h finally after await", "timeout", "SAI"), log);
    }

    @Test
    void cancellingATaskRunningAcloseCancelsTheBodysCleanUp() {
        // asyncio (3.13, checked against the interpreter): aclose() run as a task whose body's
        // finally awaits; cancelling that task ends the clean-up at the await, and the
        // generator is finished: ['k finally', 'aclose cancelled', 'SAI']
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } finally {
                    log.add("k finally");
                    Asyncio.sleep(10);
                    log.add("k never");
                }
            });
            gen.anext();
            Task<Void> closing = Asyncio.createTask(gen::aclose);
            Asyncio.sleep(0);
            closing.cancel();
            assertThrows(CancelledError.class, closing::await);
            log.add("aclose cancelled");
            assertThrows(StopAsyncIterationException.class, gen::anext);
            log.add("SAI");
        });
        assertEquals(List.of("k finally", "aclose cancelled", "SAI"), log);
    }

    @Test
    void aCancellationThatCannotCancelWhatTheBodyAwaitsIsStillDeliveredInTheBody() {
        // asyncio's _must_cancel path: the body yields to the loop with sleep(0) (nothing to
        // cancel), so the cancellation is thrown in the body when the task next runs; and a
        // cancellation of the consumer between two steps never reaches a suspended body.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.emit(1);
                try {
                    while (true) {
                        Asyncio.sleep(0);
                    }
                } catch (CancelledError e) {
                    log.add("body cancelled: " + e.getMessage());
                    throw e;
                }
            });
            Task<Integer> consumer = Asyncio.createTask(() -> {
                int first = gen.anext();
                Asyncio.sleep(0.01); // cancelled here, with the body suspended at its emit
                return first;
            });
            Asyncio.sleep(0);
            consumer.cancel("first");
            assertThrows(CancelledError.class, consumer::await);
            assertEquals(List.of(), log, "the suspended body saw nothing");

            Task<Integer> second = Asyncio.createTask(gen::anext);
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            second.cancel("second");
            CancelledError e = assertThrows(CancelledError.class, second::await);
            assertEquals("second", e.getMessage());
            assertEquals(List.of("body cancelled: second"), log);
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
    }

    @Test
    void theSameCancelledErrorTravelsFromTheBodyToTheConsumer() {
        // asyncio: the CancelledError raised at the body's await propagates through __anext__
        // unchanged (the generator frame re-raises the same exception object).
        Asyncio.run(() -> {
            List<CancelledError> inBody = new ArrayList<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    inBody.add(e);
                    throw e;
                }
                out.emit(1);
            });
            Task<Integer> consumer = Asyncio.createTask(gen::anext);
            Asyncio.sleep(0);
            consumer.cancel();
            Task<CancelledError> watcher = Asyncio.createTask(() -> {
                try {
                    consumer.await();
                    return null;
                } catch (CancelledError e) {
                    return e;
                }
            });
            CancelledError seen = watcher.await();
            assertSame(inBody.get(0), seen);
        });
    }
}
