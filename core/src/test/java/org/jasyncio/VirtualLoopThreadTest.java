package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Where the loop of {@link Asyncio#run} and {@link Runner} runs: on the calling thread, as
 * asyncio's does, except on the virtual strand called from a platform thread, where it runs on a
 * virtual thread named like the caller (so that a switch between the loop and a task stays on
 * a carrier), with the caller's Context and InheritableThreadLocals, and everything the caller
 * sees (result, exception, interrupt) unchanged.
 */
class VirtualLoopThreadTest {

    private static final boolean VIRTUAL = Asyncio.strandName().equals("virtual");

    /** The thread the loop's callbacks run on. */
    private static Thread loopThread() {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Thread> f = loop.createFuture();
        loop.callSoon(() -> f.setResult(Thread.currentThread()));
        return f.await();
    }

    @Test
    void aPlatformCallersLoopRunsOnAVirtualThreadNamedLikeItOnlyOnTheVirtualStrand() {
        Thread caller = Thread.currentThread();
        Thread loop = Asyncio.run(VirtualLoopThreadTest::loopThread);
        if (VIRTUAL) {
            assertNotSame(caller, loop);
            assertTrue(loop.isVirtual());
            assertEquals(caller.getName(), loop.getName());
        } else {
            assertSame(caller, loop);
        }
    }

    @Test
    void aVirtualCallersLoopRunsOnTheCallerOnBothStrands() throws Exception {
        AtomicReference<Thread> caller = new AtomicReference<>();
        AtomicReference<Thread> loop = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            caller.set(Thread.currentThread());
            loop.set(Asyncio.run(VirtualLoopThreadTest::loopThread));
        });
        t.join();
        assertSame(caller.get(), loop.get());
    }

    @Test
    void aRunnersRunsAndCloseWorkFromAPlatformThread() {
        try (Runner runner = new Runner()) {
            assertEquals(1, runner.run(() -> 1));
            Task<?>[] leftOver = new Task<?>[1];
            assertEquals(List.of(2, 3), runner.run(() -> {
                leftOver[0] = Asyncio.createTask(() -> Asyncio.sleep(3600)); // close() cancels it
                return List.of(2, 3);
            }));
            runner.close();
            assertTrue(leftOver[0].cancelled());
        }
    }

    @Test
    void theCallersInheritableThreadLocalsAndContextReachTheLoop() {
        InheritableThreadLocal<String> inherited = new InheritableThreadLocal<>();
        ContextVar<String> var = new ContextVar<>("var");
        inherited.set("from the caller");
        try {
            List<String> seen = new Context().run(() -> {
                var.set("set before run");
                return Asyncio.run(() -> {
                    EventLoop loop = Asyncio.getRunningLoop();
                    Future<String> inCallback = loop.createFuture();
                    loop.callSoon(() -> inCallback.setResult(inherited.get()));
                    return List.of(inCallback.await(), var.get());
                });
            });
            assertEquals(List.of("from the caller", "set before run"), seen);
        } finally {
            inherited.remove();
        }
    }

    @Test
    void aCheckedExceptionComesOutUnchanged() {
        IOException thrown = new IOException("from main");
        Exception e = assertThrows(Exception.class, () -> Asyncio.run(() -> {
            throw thrown;
        }));
        assertSame(thrown, e);
    }

    @Test
    void anInterruptPendingWhenRunStartsCancelsTheMainTaskAndIsKeptForTheCaller() {
        // Runner.run's contract on both strands: the main task is cancelled ("interrupted"),
        // and run throws with the caller's interrupt status set.
        Thread.currentThread().interrupt();
        CancelledError e = assertThrows(CancelledError.class, () -> Asyncio.run(() -> {
            Asyncio.sleep(3600);
        }));
        assertEquals("interrupted", e.getMessage());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    }
}
