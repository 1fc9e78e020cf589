package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An interrupt of a bare loop's thread (no main task to cancel) stops it. Tasks' own interrupts
 * and Asyncio.run's Ctrl-C are pinned in TaskTest and AsyncioTest.
 */
class LoopInterruptTest {

    @Test
    void anInterruptedBareLoopStopsAndKeepsTheInterruptStatus() {
        EventLoop loop = new EventLoop();
        try {
            loop.callLater(30, () -> { });
            loop.callSoon(() -> Thread.currentThread().interrupt());
            loop.runForever(); // returns: the interrupt stops a loop that has no main task
            assertTrue(Thread.interrupted());
        } finally {
            loop.close();
        }
    }
}
