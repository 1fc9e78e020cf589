package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** contextvars.ContextVar and Token: Lib/test/test_context.py, plus asyncio's per-task copies. */
class ContextVarTest {

    @Test
    void getWithoutValueOrDefaultThrowsLookupError() {
        ContextVar<String> v = new ContextVar<>("v");
        NoSuchElementException e = assertThrows(NoSuchElementException.class, v::get);
        assertTrue(e.getMessage().contains("'v'"), e.getMessage());
        assertEquals("fallback", v.get("fallback"));
    }

    @Test
    void theDefaultIsUsedUntilSetAndTheExplicitFallbackWins() {
        ContextVar<Integer> v = new ContextVar<>("v", 1);
        assertEquals(1, v.get());
        assertEquals(9, v.get(9)); // get(default) ignores the variable's default, as in Python
        Context.copyContext().run(() -> {
            v.set(2);
            assertEquals(2, v.get());
            assertEquals(2, v.get(9));
        });
        assertEquals(1, v.get());
    }

    @Test
    void resetRestoresThePreviousValueOrAbsence() {
        ContextVar<String> v = new ContextVar<>("v");
        new Context().run(() -> {
            ContextVar.Token<String> t1 = v.set("a");
            assertFalse(t1.hasOldValue());
            ContextVar.Token<String> t2 = v.set("b");
            assertTrue(t2.hasOldValue());
            assertEquals("a", t2.getOldValue());
            assertEquals(v, t2.getVar());
            v.reset(t2);
            assertEquals("a", v.get());
            v.reset(t1);
            assertThrows(NoSuchElementException.class, v::get);
        });
    }

    @Test
    void aTokenIsUsableOnce() {
        ContextVar<String> v = new ContextVar<>("v");
        new Context().run(() -> {
            ContextVar.Token<String> t = v.set("a");
            v.reset(t);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.reset(t));
            assertTrue(e.getMessage().contains("already been used"), e.getMessage());
        });
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aTokenOfAnotherVariableIsRejected() {
        ContextVar<String> v = new ContextVar<>("v");
        ContextVar<String> w = new ContextVar<>("w");
        new Context().run(() -> {
            ContextVar.Token t = v.set("a");
            assertThrows(IllegalArgumentException.class, () -> w.reset(t));
        });
    }

    @Test
    void aTokenOfAnotherContextIsRejected() {
        ContextVar<String> v = new ContextVar<>("v");
        ContextVar.Token<String> t = new Context().run(() -> v.set("a"));
        new Context().run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.reset(t));
            assertTrue(e.getMessage().contains("different Context"), e.getMessage());
        });
    }

    @Test
    void eachTaskRunsInACopyOfItsCreatorsContext() {
        // asyncio: Task.__init__ does self._context = contextvars.copy_context().
        ContextVar<String> v = new ContextVar<>("v", "unset");
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            v.set("parent");
            Task<Void> child = Asyncio.createTask(() -> {
                seen.add("child sees " + v.get());
                v.set("child");
                Asyncio.sleep(0);
                seen.add("child still sees " + v.get());
            });
            v.set("parent later"); // after creation: the child does not see this
            child.await();
            seen.add("parent sees " + v.get());
        });
        assertEquals(List.of("child sees parent", "child still sees child", "parent sees parent later"), seen);
    }

    @Test
    void interleavedTasksKeepTheirOwnValuesAcrossAwaits() {
        ContextVar<Integer> id = new ContextVar<>("id");
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    id.set(n);
                    for (int round = 0; round < 3; round++) {
                        Asyncio.sleep(0);
                        seen.add(n + "=" + id.get());
                    }
                }));
            }
            Asyncio.gather(new ArrayList<Awaitable<?>>(tasks)).await();
            assertThrows(NoSuchElementException.class, id::get);
        });
        assertEquals(List.of("0=0", "1=1", "2=2", "0=0", "1=1", "2=2", "0=0", "1=1", "2=2"), seen);
    }

    @Test
    void aThreadLocalIsNotPerTaskButAContextVarIs() {
        // The reason ContextVar exists here: on the continuation strand every task shares the
        // loop thread's ThreadLocals. The ContextVar gives the same answer on both strands.
        ContextVar<String> v = new ContextVar<>("v");
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            Task<Void> a = Asyncio.createTask(() -> {
                v.set("a");
                Asyncio.sleep(0.01);
                seen.add(v.get());
            });
            Task<Void> b = Asyncio.createTask(() -> {
                v.set("b");
                Asyncio.sleep(0.01);
                seen.add(v.get());
            });
            a.await();
            b.await();
        });
        assertEquals(List.of("a", "b"), seen);
    }

    @Test
    void variablesSetBeforeRunAreSeenByTheMainTask() {
        ContextVar<String> v = new ContextVar<>("v");
        Context outer = new Context();
        String seen = outer.run(() -> {
            v.set("outside");
            return Asyncio.run(() -> v.get());
        });
        assertEquals("outside", seen);
    }

    @Test
    void aTaskCanBeGivenAnExplicitContext() {
        ContextVar<String> v = new ContextVar<>("v");
        Context ctx = new Context();
        Asyncio.run(() -> {
            v.set("main");
            Task<String> t = Asyncio.getRunningLoop().createTask(() -> {
                String before = v.get("none");
                v.set("in ctx");
                return before;
            }, "explicit", ctx);
            assertEquals("none", t.await());
            assertEquals(ctx, t.getContext());
            assertEquals("main", v.get());
        });
        assertEquals("in ctx", ctx.get(v)); // the task's changes stay in the context it ran in
    }

    @Test
    void toThreadCarriesACopyOfTheContextToTheWorker() {
        // asyncio.to_thread runs func in contextvars.copy_context().
        ContextVar<String> v = new ContextVar<>("v");
        Asyncio.run(() -> {
            v.set("from task");
            String inThread = Asyncio.toThread(() -> {
                String s = v.get();
                v.set("changed in thread");
                return s;
            }).await();
            assertEquals("from task", inThread);
            assertEquals("from task", v.get());
        });
    }

    @Test
    void getOnAPlainThreadUsesThatThreadsOwnContext() throws Exception {
        ContextVar<String> v = new ContextVar<>("v", "default");
        new Context().run(() -> {
            v.set("here");
            String[] other = new String[1];
            Thread t = Thread.ofPlatform().start(() -> other[0] = v.get());
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertEquals("default", other[0]);
            assertNull(new Context().get(v));
        });
    }

    @Test
    void getContextInsideTheTasksOwnStepSeesAndKeepsItsValues() {
        // asyncio: task.get_context() is the very context the task runs in, at any time.
        ContextVar<String> v = new ContextVar<>("v", "default");
        String[] seen = new String[3];
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                v.set("before");
                Context own = Asyncio.currentTask().getContext();
                seen[0] = own.get(v);
                v.set("after");
                Asyncio.sleep(0);
                seen[1] = v.get();
                seen[2] = own.get(v);
            });
            t.await();
        });
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"before", "after", "after"}, seen);
    }

    @Test
    void aTokenCannotBeResetInAnotherTasksContext() {
        // asyncio: Token was created in a different Context -> ValueError.
        ContextVar<String> v = new ContextVar<>("v", "default");
        Asyncio.run(() -> {
            Task<ContextVar.Token<String>> setter = Asyncio.createTask(() -> v.set("mine"));
            ContextVar.Token<String> token = setter.await();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> v.reset(token));
        });
    }

    @Test
    void aTokenCannotBeResetFromAnotherCallback() {
        ContextVar<String> v = new ContextVar<>("v", "default");
        Object[] outcome = new Object[1];
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            @SuppressWarnings("unchecked")
            ContextVar.Token<String>[] token = new ContextVar.Token[1];
            loop.callSoon(() -> token[0] = v.set("in first callback"));
            Asyncio.sleep(0);
            loop.callSoon(() -> {
                try {
                    v.reset(token[0]);
                    outcome[0] = "reset";
                } catch (IllegalArgumentException e) {
                    outcome[0] = e;
                }
            });
            Asyncio.sleep(0);
        });
        assertTrue(outcome[0] instanceof IllegalArgumentException, String.valueOf(outcome[0]));
    }

    // ---------------------------------------------------------------- Token as AutoCloseable

    @Test
    void aTokenInTryWithResourcesRestoresTheDefaultAtTheEndOfTheBlock() {
        // Python 3.14 test_context: test_token_contextmanager_with_default.
        ContextVar<Integer> c = new ContextVar<>("c", 42);
        new Context().run(() -> {
            try (var _ = c.set(36)) {
                assertEquals(36, c.get());
            }
            assertEquals(42, c.get());
        });
    }

    @Test
    void aTokenInTryWithResourcesRestoresAbsenceWithoutADefault() {
        // Python 3.14 test_context: test_token_contextmanager_without_default.
        ContextVar<Integer> c = new ContextVar<>("c");
        new Context().run(() -> {
            try (var _ = c.set(36)) {
                assertEquals(36, c.get());
            }
            assertThrows(NoSuchElementException.class, c::get);
        });
    }

    @Test
    void nestedBlocksRestoreInTurnAndAnExceptionStillRestores() {
        ContextVar<String> v = new ContextVar<>("v", "outside");
        new Context().run(() -> {
            try (var _ = v.set("outer")) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> {
                    try (var _ = v.set("inner")) {
                        assertEquals("inner", v.get());
                        throw new RuntimeException("boom");
                    }
                });
                assertEquals("boom", e.getMessage());
                assertEquals("outer", v.get());
            }
            assertEquals("outside", v.get());
        });
    }

    @Test
    void closingATokenTwiceOrAfterResetThrowsAsPythonsExitDoes() {
        // Python 3.14: Token.__exit__ is var.reset(token), which raises RuntimeError on a used token.
        ContextVar<String> v = new ContextVar<>("v", "d");
        new Context().run(() -> {
            ContextVar.Token<String> t = v.set("a");
            t.close();
            assertEquals("d", v.get());
            IllegalStateException e = assertThrows(IllegalStateException.class, t::close);
            assertTrue(e.getMessage().contains("already been used"), e.getMessage());
            ContextVar.Token<String> u = v.set("b");
            v.reset(u);
            assertThrows(IllegalStateException.class, u::close);
            ContextVar.Token<String> w = v.set("c");
            ContextVar.Token<String> later = v.set("later");
            w.close();
            assertEquals("d", v.get());
            assertThrows(IllegalStateException.class, w::close, "a second close would undo the later set");
            assertFalse(later.toString().contains("used"), later.toString());
        });
    }

    @Test
    void closingATokenInAnotherContextIsRefusedAndTheTokenStaysUsable() {
        ContextVar<String> v = new ContextVar<>("v", "d");
        Context home = new Context();
        ContextVar.Token<String> t = home.run(() -> v.set("a"));
        new Context().run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::close);
            assertTrue(e.getMessage().contains("different Context"), e.getMessage());
        });
        home.run(() -> {
            t.close();
            assertEquals("d", v.get());
        });
    }

    @Test
    void aTokenBlockInATaskRestoresAfterTheTaskSuspendedInside() {
        ContextVar<String> v = new ContextVar<>("v", "unset");
        Asyncio.run(() -> {
            Task<String> other = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return v.get();
            });
            try (var _ = v.set("mine")) {
                Asyncio.sleep(0.001);
                assertEquals("mine", v.get());
            }
            assertEquals("unset", v.get());
            assertEquals("unset", other.await(), "the other task never saw this task's value");
        });
    }
}
