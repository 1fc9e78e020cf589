package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jasyncio.sync.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EventLoop#addSignalHandler} and {@link EventLoop#removeSignalHandler}: asyncio's
 * unix_events {@code add_signal_handler}/{@code remove_signal_handler}
 * (Lib/test/test_asyncio/test_unix_events.py's SelectorEventLoopSignalTests). Real SIGTERM and
 * SIGHUP are sent to this JVM with {@code kill}, only while a jasyncio handler holds them (else
 * the JVM would exit); every test leaves the JVM's own handlers in place again.
 */
@Timeout(30)
class EventLoopSignalHandlerTest {

    @BeforeEach
    void signalsReachThisJvm() {
        assumeFalse(ChildJvm.ignores(15) || ChildJvm.ignores(1), "this JVM was started ignoring SIGTERM or SIGHUP");
        assertFalse(SignalHandlers.installed(UnixSignal.SIGTERM));
        assertFalse(SignalHandlers.installed(UnixSignal.SIGHUP));
    }

    @AfterEach
    void theJvmsHandlersAreBack() {
        assertFalse(SignalHandlers.installed(UnixSignal.SIGTERM), "a test left jasyncio's SIGTERM handler installed");
        assertFalse(SignalHandlers.installed(UnixSignal.SIGHUP), "a test left jasyncio's SIGHUP handler installed");
    }

    /** Sends this JVM {@code sig}; blocking, so called off the loop. */
    private static void kill(String sig) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(ProcessHandle.current().pid())).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill -" + sig);
    }

    @Test
    void theHandlerRunsOnTheLoopAsACallbackInTheContextCopiedWhenItWasAdded() {
        ContextVar<String> var = new ContextVar<>("var", "default");
        List<String> seen = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            // The caller's thread, or on the virtual strand the virtual thread Asyncio.run moved
            // the loop to (VirtualLoopThread).
            Thread loopThread = loop.thread();
            List<String> log = new ArrayList<>();
            Event ran = new Event();
            var.set("when added");
            loop.addSignalHandler("SIGTERM", () -> {
                log.add("thread is the loop's: " + (Thread.currentThread() == loopThread));
                log.add("in a task: " + (Asyncio.currentTask() != null));
                log.add("var: " + var.get());
                ran.set();
            });
            var.set("later");
            Asyncio.toThread(() -> {
                kill("TERM");
                return null;
            }).await();
            ran.await();
            assertTrue(loop.removeSignalHandler("SIGTERM"));
            return log;
        });
        assertEquals(List.of("thread is the loop's: true", "in a task: false", "var: when added"), seen);
    }

    @Test
    void eachSignalRunsTheHandlerOnceAndANumberNamesTheSignalToo() {
        int count = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            int[] runs = new int[1];
            Event[] ran = {new Event(), new Event()};
            loop.addSignalHandler(1, () -> ran[runs[0]++].set()); // SIGHUP
            for (Event e : ran) {
                Asyncio.toThread(() -> {
                    kill("HUP");
                    return null;
                }).await();
                e.await();
            }
            Asyncio.sleep(0.05); // no third run
            assertTrue(loop.removeSignalHandler("HUP"));
            return runs[0];
        });
        assertEquals(2, count);
    }

    @Test
    void addingAgainReplacesTheLoopsHandler() {
        List<String> log = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> l = new ArrayList<>();
            Event ran = new Event();
            loop.addSignalHandler("SIGTERM", () -> l.add("first"));
            loop.addSignalHandler(15, () -> {
                l.add("second");
                ran.set();
            });
            Asyncio.toThread(() -> {
                kill("TERM");
                return null;
            }).await();
            ran.await();
            loop.removeSignalHandler(15);
            return l;
        });
        assertEquals(List.of("second"), log);
    }

    @Test
    void removeSignalHandlerSaysWhetherOneWasRemovedAndPutsTheJvmsHandlerBack() {
        try (EventLoop loop = new EventLoop()) {
            assertFalse(loop.removeSignalHandler("SIGTERM"), "nothing to remove");
            loop.addSignalHandler("SIGTERM", () -> { });
            assertTrue(SignalHandlers.installed(UnixSignal.SIGTERM));
            assertTrue(SignalHandlers.has(loop, UnixSignal.SIGTERM));
            assertTrue(loop.removeSignalHandler("TERM"));
            assertFalse(SignalHandlers.has(loop, UnixSignal.SIGTERM));
            assertFalse(SignalHandlers.installed(UnixSignal.SIGTERM), "the JVM's own SIGTERM handling is back");
            assertFalse(loop.removeSignalHandler(15), "removed already");
        }
    }

    @Test
    void closingTheLoopRemovesItsHandlers() {
        EventLoop loop = new EventLoop();
        loop.addSignalHandler("SIGTERM", () -> { });
        loop.addSignalHandler("SIGHUP", () -> { });
        loop.close();
        assertFalse(SignalHandlers.has(loop, UnixSignal.SIGTERM));
        assertFalse(SignalHandlers.has(loop, UnixSignal.SIGHUP));
        assertFalse(loop.removeSignalHandler("SIGTERM"));
    }

    @Test
    void whenTwoLoopsHandleASignalEachRunsItsOwnHandlerOnItsOwnThread() throws Exception {
        CountDownLatch bothAdded = new CountDownLatch(2);
        CopyOnWriteArrayList<String> log = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (String name : List.of("loop A", "loop B")) {
            threads.add(Thread.ofPlatform().name(name).start(() -> Asyncio.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Event ran = new Event();
                loop.addSignalHandler("SIGTERM", () -> {
                    log.add(Thread.currentThread().getName());
                    ran.set();
                });
                bothAdded.countDown();
                ran.await();
                loop.removeSignalHandler("SIGTERM");
            })));
        }
        assertTrue(bothAdded.await(10, TimeUnit.SECONDS));
        kill("TERM");
        for (Thread t : threads) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " never ran its handler");
        }
        assertEquals(List.of("loop A", "loop B"), log.stream().sorted().toList());
    }

    @Test
    void aSignalArrivingWhileTheLoopIsIdleRunsTheHandlerWhenTheLoopNextRuns() throws Exception {
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            List<String> log = new ArrayList<>();
            loop.addSignalHandler("SIGHUP", () -> log.add("handled"));
            kill("HUP");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (loop.inbox.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1); // the JVM runs the handler on a thread of its own
            }
            assertEquals(List.of(), log, "nothing runs while the loop does not");
            runner.run(() -> Asyncio.sleep(0));
            assertEquals(List.of("handled"), log);
            assertTrue(loop.removeSignalHandler("SIGHUP"));
        }
    }

    @Test
    void anExceptionFromTheHandlerGoesToTheExceptionHandlerAndTheLoopRunsOn() {
        List<ExceptionContext> reports = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        String r = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.setExceptionHandler((l, c) -> reports.add(c));
            Event ran = new Event();
            loop.addSignalHandler("SIGTERM", () -> {
                ran.set();
                throw boom;
            });
            Asyncio.toThread(() -> {
                kill("TERM");
                return null;
            }).await();
            ran.await();
            Asyncio.sleep(0);
            loop.removeSignalHandler("SIGTERM");
            return "ran on";
        });
        assertEquals("ran on", r);
        assertEquals(1, reports.size(), reports.toString());
        assertSame(boom, reports.get(0).exception());
    }

    @Test
    void badSignalsAreRefusedPreciselyAndNothingIsInstalled() {
        try (EventLoop loop = new EventLoop()) {
            Runnable cb = () -> { };
            // asyncio's ValueError: not a signal at all.
            for (String name : List.of("SIGFOO", "", "sigterm", "SIG", "15")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(name, cb));
                assertTrue(e.getMessage().contains("unknown signal name \"" + name + "\""), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler(name));
            }
            for (int n : new int[] {0, -1, 65, Integer.MAX_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(n, cb));
                assertTrue(e.getMessage().startsWith("sig " + n + " is not a signal number"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler(n));
            }
            // asyncio's RuntimeError: a real signal that cannot be handled here.
            for (String name : List.of("SIGKILL", "SIGSTOP", "SIGUSR1", "QUIT")) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> loop.addSignalHandler(name, cb));
                assertTrue(e.getMessage().contains("cannot be handled: jasyncio handles SIGINT (2), SIGTERM (15) and SIGHUP (1)"),
                        e.getMessage());
            }
            assertThrows(UnsupportedOperationException.class, () -> loop.addSignalHandler(9, cb));
            assertThrows(UnsupportedOperationException.class, () -> loop.removeSignalHandler(10));
            assertEquals("sig", assertThrows(NullPointerException.class, () -> loop.addSignalHandler(null, cb)).getMessage());
            assertEquals("sig", assertThrows(NullPointerException.class, () -> loop.removeSignalHandler(null)).getMessage());
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> loop.addSignalHandler("SIGTERM", null)).getMessage());
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> loop.addSignalHandler(15, null)).getMessage());
            assertFalse(SignalHandlers.has(loop, UnixSignal.SIGTERM));
        }
    }

    @Test
    void aClosedLoopRefusesAHandler() {
        EventLoop loop = new EventLoop();
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.addSignalHandler("SIGTERM", () -> { }));
        assertEquals("Event loop is closed", e.getMessage());
        assertFalse(loop.removeSignalHandler("SIGTERM"));
    }

    @Test
    void anotherThreadIsRefusedWhileTheLoopRunsAndTheLoopRunsOn() {
        AtomicReference<Throwable> addFailure = new AtomicReference<>();
        AtomicReference<Throwable> removeFailure = new AtomicReference<>();
        String r = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    loop.addSignalHandler("SIGTERM", () -> { });
                } catch (Throwable t) {
                    addFailure.set(t);
                }
                try {
                    loop.removeSignalHandler("SIGTERM");
                } catch (Throwable t) {
                    removeFailure.set(t);
                }
            });
            Asyncio.toThread(() -> {
                other.join();
                return null;
            }).await();
            assertFalse(SignalHandlers.has(loop, UnixSignal.SIGTERM));
            return "still running";
        });
        assertEquals("still running", r);
        for (Throwable t : List.of(addFailure.get(), removeFailure.get())) {
            assertTrue(t instanceof IllegalStateException, String.valueOf(t));
            assertTrue(t.getMessage().contains("callSoonThreadsafe"), t.getMessage());
        }
        assertTrue(addFailure.get().getMessage().startsWith("addSignalHandler was called from thread"));
        assertTrue(removeFailure.get().getMessage().startsWith("removeSignalHandler was called from thread"));
    }
}
