package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Aclosing}: {@code contextlib.aclosing}, after CPython's test_contextlib_async.py
 * AclosingTestCase (named in each test).
 */
class AclosingTest {

    private final List<String> log = new ArrayList<>();

    private AsyncGenerator<Integer> twoValues() {
        return AsyncGenerator.of(out -> {
            try {
                out.emit(-1);
                out.emit(-2);
            } finally {
                Asyncio.sleep(0);
                log.add("closed");
            }
        });
    }

    @Test
    void theGeneratorIsClosedAtTheEndOfTheBlock() {
        // test_aclosing: `async with aclosing(x) as y`: y is x, and x.aclose() ran on exit.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> x = twoValues();
            try (Aclosing<Integer> y = Aclosing.aclosing(x)) {
                assertSame(x, y.generator());
                assertEquals(-1, y.generator().anext());
                assertEquals(List.of(), log);
            }
            assertEquals(List.of("closed"), log);
            assertThrows(StopAsyncIterationException.class, x::anext);
        });
    }

    @Test
    void theGeneratorIsClosedWhenTheBlockThrows() {
        // test_aclosing_error and test_aclosing_bpo41229: the block raises ZeroDivisionError
        // after the first __anext__; the generator is closed (its resources released) and the
        // exception propagates.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> x = twoValues();
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> {
                try (Aclosing<Integer> y = Aclosing.aclosing(x)) {
                    assertSame(x, y.generator());
                    assertEquals(-1, x.anext());
                    throw new ArithmeticException("/ by zero");
                }
            });
            assertEquals("/ by zero", e.getMessage());
            assertEquals(List.of("closed"), log);
        });
    }

    @Test
    void breakingOutOfTheForEachClosesTheGeneratorThere() {
        // contextlib.aclosing's documented use: `async with aclosing(gen()) as values: async for
        // value in values: if value == 42: break`: the generator's clean-up runs when the block
        // ends, not at the loop's shutdown.
        Asyncio.run(() -> {
            try (var values = Aclosing.aclosing(twoValues())) {
                for (int v : values) {
                    log.add("got " + v);
                    break;
                }
            }
            log.add("after the block");
        });
        assertEquals(List.of("got -1", "closed", "after the block"), log);
    }

    @Test
    void aFailingCloseIsThrownOrSuppressed() {
        // __aexit__ awaits aclose(): its exception propagates. When the block threw too,
        // Python chains the block's exception as the context of aclose()'s, which propagates;
        // Java's try-with-resources keeps the block's and adds aclose()'s as suppressed (a
        // deliberate difference, listed in docs/asyncio-mapping.md).
        Asyncio.run(() -> {
            IllegalStateException fromClose = new IllegalStateException("close failed");
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } finally {
                    throw fromClose;
                }
            });
            assertSame(fromClose, assertThrows(IllegalStateException.class, () -> {
                try (var a = Aclosing.aclosing(gen)) {
                    a.generator().anext();
                }
            }));

            IllegalStateException fromClose2 = new IllegalStateException("close failed");
            AsyncGenerator<Integer> gen2 = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } finally {
                    throw fromClose2;
                }
            });
            ArithmeticException body = assertThrows(ArithmeticException.class, () -> {
                try (var a = Aclosing.aclosing(gen2)) {
                    a.generator().anext();
                    throw new ArithmeticException("body");
                }
            });
            assertArrayEquals(new Throwable[] {fromClose2}, body.getSuppressed());
        });
    }

    @Test
    void aGeneratorNeverStartedIsClosedWithoutRunning() {
        // aclose() of a generator not started: its body never runs.
        Asyncio.run(() -> {
            AsyncGenerator<Integer> gen = twoValues();
            try (var a = Aclosing.aclosing(gen)) {
                assertTrue(a.generator().toString().endsWith("[created]"));
            }
            assertThrows(StopAsyncIterationException.class, gen::anext);
        });
        assertEquals(List.of(), log);
    }

    @Test
    void aNullGeneratorIsRefused() {
        // Python accepts aclosing(None) (test_instance_docs) and fails only at the block's
        // end; jasyncio refuses a null at once, as it refuses every null argument.
        assertThrows(NullPointerException.class, () -> Aclosing.aclosing(null));
    }
}
