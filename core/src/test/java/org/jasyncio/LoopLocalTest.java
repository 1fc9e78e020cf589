package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
