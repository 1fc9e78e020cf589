package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * asyncio 3.14's call graphs (test_graph.py): who awaits whom, through every composition
 * function, the text form, and cycles.
 */
class CallGraphTest {

    /** Awaits {@code f}: the frame the graph must show for a task suspended here. */
    static <T> T waitOn(Future<T> f) {
        return f.await();
    }

    /** Lets the tasks created so far run up to their suspension points. */
    private static void settle() {
        for (int i = 0; i < 5; i++) {
            Asyncio.sleep(0);
        }
    }

    private static List<Future<?>> awaiters(CallGraph g) {
        List<Future<?>> out = new ArrayList<>();
        for (CallGraph by : g.awaitedBy()) {
            out.add(by.future());
        }
        return out;
    }

    @Test
    void aTaskAwaitingATaskAwaitingAFuture() {
        Asyncio.run(() -> {
            Future<String> leaf = new Future<>();
            Task<String> inner = Asyncio.createTask(() -> waitOn(leaf), "inner");
            Task<String> outer = Asyncio.createTask(() -> waitOn(inner), "outer");
            settle();

            CallGraph g = Asyncio.captureCallGraph(leaf);
            assertSame(leaf, g.future());
            assertEquals(List.of(), g.callStack(), "a plain future has no stack");
            assertEquals(List.of(inner), awaiters(g));
            CallGraph innerGraph = g.awaitedBy().get(0);
            StackTraceElement top = innerGraph.callStack().get(0);
            assertEquals(CallGraphTest.class.getName(), top.getClassName());
            assertEquals("waitOn", top.getMethodName());
            assertTrue(innerGraph.callStack().stream().noneMatch(e -> e.getClassName().startsWith("org.jasyncio.Task")
                    || e.getClassName().startsWith("jdk.")), "jasyncio's and the JDK's frames are left out: "
                    + innerGraph.callStack());
            assertEquals(List.of(outer), awaiters(innerGraph));
            assertEquals(List.of(), innerGraph.awaitedBy().get(0).awaitedBy());
            leaf.setResult("done");
            assertEquals("done", outer.await());
        });
    }

    @Test
    void theCurrentTaskShowsWhereItRunsNow() {
        Asyncio.run(() -> {
            Task<?> me = Asyncio.currentTask();
            Task<Void> waiter = Asyncio.createTask(() -> {
                waitOn(me);
            }, "waiter");
            settle();
            CallGraph g = Asyncio.captureCallGraph();
            assertSame(me, g.future());
            assertEquals("theCurrentTaskShowsWhereItRunsNow", methodOf(g.callStack().get(0)));
            assertEquals(List.of(waiter), awaiters(g));
            assertEquals("theCurrentTaskShowsWhereItRunsNow", methodOf(Asyncio.captureCallGraph(me).callStack().get(0)));
        });
    }

    /** The method name, or the enclosing test method's for a lambda ({@code lambda$name$3}). */
    private static String methodOf(StackTraceElement e) {
        String m = e.getMethodName();
        return m.startsWith("lambda$") ? m.substring(7, m.indexOf('$', 7)) : m;
    }

    @Test
    void throughGather() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            Task<Void> a = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "a");
            Task<Void> b = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "b");
            Task<List<Object>> parent = Asyncio.createTask(() -> Asyncio.gather(a, b).await(), "parent");
            settle();
            assertEquals(List.of(parent), awaiters(Asyncio.captureCallGraph(a)));
            assertEquals(List.of(parent), awaiters(Asyncio.captureCallGraph(b)));
            assertEquals(List.of(a, b), awaiters(Asyncio.captureCallGraph(gate)));
            gate.setResult(null);
            parent.await();
        });
    }

    @Test
    void throughWaitForShieldTimeoutAndWait() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            Task<Void> child1 = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "child1");
            Task<Void> child2 = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "child2");
            Task<Void> child3 = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "child3");
            Task<Void> child4 = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "child4");
            Task<Void> viaWaitFor = Asyncio.createTask(() -> Asyncio.waitFor(child1, 60), "viaWaitFor");
            Task<Void> viaShield = Asyncio.createTask(() -> Asyncio.shield(child2).await(), "viaShield");
            Task<Void> viaTimeout = Asyncio.createTask(() -> Asyncio.timeout(60, () -> child3.await()), "viaTimeout");
            Task<?> viaWait = Asyncio.createTask(() -> Asyncio.wait(List.of(child4)), "viaWait");
            settle();
            assertEquals(List.of(viaWaitFor), awaiters(Asyncio.captureCallGraph(child1)));
            assertEquals(List.of(viaShield), awaiters(Asyncio.captureCallGraph(child2)));
            assertEquals(List.of(viaTimeout), awaiters(Asyncio.captureCallGraph(child3)));
            assertEquals(List.of(viaWait), awaiters(Asyncio.captureCallGraph(child4)));
            gate.setResult(null);
            Asyncio.gather(viaWaitFor, viaShield, viaTimeout, viaWait).await();
        });
    }

    @Test
    void taskGroupChildrenAreAwaitedByTheOwnerEvenBeforeItExits() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            Future<Void> bodyGate = new Future<>();
            AtomicReference<Task<?>> child = new AtomicReference<>();
            Task<Void> owner = Asyncio.createTask(() -> {
                TaskGroup.run(tg -> {
                    child.set(tg.createTask(() -> {
                        waitOn(gate);
                    }, "child"));
                    waitOn(bodyGate); // still in the body: the group is open
                });
            }, "owner");
            settle();
            assertEquals(List.of(owner), awaiters(Asyncio.captureCallGraph(child.get())));
            bodyGate.setResult(null);
            settle(); // now the owner waits in the group's exit
            assertEquals(List.of(owner), awaiters(Asyncio.captureCallGraph(child.get())));
            gate.setResult(null);
            owner.await();
            assertEquals(List.of(), Asyncio.captureCallGraph(child.get()).awaitedBy());
        });
    }

    @Test
    void tryFormTaskGroup() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            AtomicReference<Task<?>> child = new AtomicReference<>();
            Task<Void> owner = Asyncio.createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    child.set(tg.createTask(() -> {
                        waitOn(gate);
                    }, "child"));
                }
            }, "owner");
            settle();
            assertEquals(List.of(owner), awaiters(Asyncio.captureCallGraph(child.get())));
            gate.setResult(null);
            owner.await();
        });
    }

    @Test
    void throughAsCompletedBothForms() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            Task<Void> a = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "a");
            Task<Void> b = Asyncio.createTask(() -> {
                waitOn(gate);
            }, "b");
            Task<Void> iterating = Asyncio.createTask(() -> {
                for (Future<Void> f : Asyncio.asCompleted(List.of(a))) {
                    f.result();
                }
            }, "iterating");
            Task<Void> classic = Asyncio.createTask(() -> {
                for (Future<Void> f : Asyncio.asCompleted(List.of(b)).awaitables()) {
                    f.await();
                }
            }, "classic");
            settle();
            assertEquals(List.of(iterating), awaiters(Asyncio.captureCallGraph(a)));
            assertEquals(List.of(classic), awaiters(Asyncio.captureCallGraph(b)));
            gate.setResult(null);
            Asyncio.gather(iterating, classic).await();
        });
    }

    @Test
    void formatMirrorsAsyncioLayout() {
        Asyncio.run(() -> {
            Future<String> leaf = new Future<>();
            Task<String> inner = Asyncio.createTask(() -> waitOn(leaf), "inner");
            Task<String> outer = Asyncio.createTask(() -> waitOn(inner), "outer");
            settle();
            String text = Asyncio.formatCallGraph(inner);
            List<String> lines = text.lines().toList();
            assertEquals("* Task(name='inner', id=0x" + Integer.toHexString(System.identityHashCode(inner)) + ")",
                    lines.get(0));
            assertEquals("  + Call stack:", lines.get(1));
            assertTrue(lines.get(2).matches("  \\|   File 'CallGraphTest.java', line \\d+, in org\\.jasyncio\\.CallGraphTest\\.waitOn\\(\\)"),
                    lines.get(2));
            int awaitedBy = lines.indexOf("  + Awaited by:");
            assertTrue(awaitedBy > 2, text);
            assertTrue(lines.get(awaitedBy + 1).startsWith("    * Task(name='outer', id=0x"), text);
            assertEquals("      + Call stack:", lines.get(awaitedBy + 2));
            assertTrue(lines.get(awaitedBy + 3).startsWith("      |   File 'CallGraphTest.java', line "), text);
            assertEquals(text, Asyncio.captureCallGraph(inner).format());
            assertTrue(Asyncio.formatCallGraph(leaf).startsWith("* Future(id=0x"), "a plain future");

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Asyncio.printCallGraph(inner, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(text + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
            leaf.setResult("x");
            outer.await();
        });
    }

    @Test
    void aCycleEnds() {
        Asyncio.run(() -> {
            AtomicReference<Task<?>> second = new AtomicReference<>();
            Task<?> first = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return waitOn(second.get());
            }, "first");
            // Through a shield, so that cancelling second ends the cycle (cancelling a task
            // cancels the task it awaits: a plain cycle of awaits cannot be cancelled).
            second.set(Asyncio.createTask(() -> waitOn(Asyncio.shield(first)), "second"));
            settle();
            CallGraph g = Asyncio.captureCallGraph(first);
            assertEquals(List.of(second.get()), awaiters(g));
            CallGraph back = g.awaitedBy().get(0).awaitedBy().get(0);
            assertSame(first, back.future());
            assertEquals(List.of(), back.awaitedBy(), "cut where the cycle closes");
            String text = g.format();
            assertTrue(text.lines().anyMatch(l -> l.equals("        * Task(name='first', id=0x"
                    + Integer.toHexString(System.identityHashCode(first)) + ") (cycle)")), text);
            second.get().cancel();
            assertThrows(CancelledError.class, first::await);
        });
    }

    @Test
    void noTaskNoGraph() {
        assertThrows(IllegalStateException.class, Asyncio::captureCallGraph);
        Asyncio.run(() -> {
            Future<CallGraph> inCallback = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> inCallback.setResult(Asyncio.captureCallGraph()));
            assertNull(inCallback.await());
            assertThrows(NullPointerException.class, () -> Asyncio.captureCallGraph(null));
        });
    }
}
