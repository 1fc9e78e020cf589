package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** LoopLocal: per-loop state, the Java form of an attribute set on an asyncio loop object. */
class LoopLocalTest {

    @Test
    void eachLoopHasItsOwnValueMadeOnce() {
        AtomicInteger made = new AtomicInteger();
        LoopLocal<List<String>> local = new LoopLocal<>(() -> {
            made.incrementAndGet();
            return new ArrayList<>();
        });
        try (EventLoop a = new EventLoop(); EventLoop b = new EventLoop()) {
            assertSame(local.get(a), local.get(a));
            assertNotSame(local.get(a), local.get(b));
            assertEquals(2, made.get());
        }
    }

    @Test
    void twoLocalsOnOneLoopAreIndependent() {
        LoopLocal<StringBuilder> x = new LoopLocal<>(StringBuilder::new);
        LoopLocal<StringBuilder> y = new LoopLocal<>(StringBuilder::new);
        try (EventLoop loop = new EventLoop()) {
            x.get(loop).append("x");
            assertEquals("", y.get(loop).toString());
        }
    }

    @Test
    void aSupplierReturningNullIsAnError() {
        LoopLocal<Object> local = new LoopLocal<>(() -> null);
        try (EventLoop loop = new EventLoop()) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> local.get(loop));
            assertEquals("the LoopLocal's supplier returned null", e.getMessage());
        }
    }

    @Test
    void nullArgumentsAreNamed() {
        assertEquals("initial", assertThrows(NullPointerException.class, () -> new LoopLocal<>(null)).getMessage());
        assertEquals("loop", assertThrows(NullPointerException.class,
                () -> new LoopLocal<>(Object::new).get(null)).getMessage());
    }

    @Test
    void aCloseActionGetsEachLoopsValueWhenThatLoopCloses() {
        List<String> closed = new ArrayList<>();
        LoopLocal<StringBuilder> local = new LoopLocal<>(StringBuilder::new, v -> closed.add(v.toString()));
        EventLoop a = new EventLoop();
        EventLoop b = new EventLoop();
        local.get(a).append("a");
        local.get(b).append("b");
        a.close();
        assertEquals(List.of("a"), closed);
        a.close(); // closing again does not run it again
        b.close();
        assertEquals(List.of("a", "b"), closed);
    }

    @Test
    void aLoopThatNeverUsedTheLocalRunsNoCloseAction() {
        List<Object> closed = new ArrayList<>();
        new LoopLocal<>(Object::new, closed::add);
        new EventLoop().close();
        assertEquals(List.of(), closed);
    }

    @Test
    void aFailingCloseActionIsReportedAndTheOthersStillRun() {
        List<String> log = new ArrayList<>();
        LoopLocal<String> failing = new LoopLocal<>(() -> "x", v -> {
            throw new IllegalStateException("cannot release");
        });
        LoopLocal<String> fine = new LoopLocal<>(() -> "y", log::add);
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, ctx) -> log.add(ctx.message() + ": " + ctx.exception().getMessage()));
        failing.get(loop);
        fine.get(loop);
        loop.close();
        assertTrue(log.contains("y"), log.toString());
        assertTrue(log.stream().anyMatch(m -> m.startsWith("Exception in the close action of") && m.endsWith("cannot release")),
                log.toString());
        assertTrue(loop.isClosed());
    }
}
