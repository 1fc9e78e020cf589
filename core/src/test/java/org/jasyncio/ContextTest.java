package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** contextvars.Context and the loop's context handling of callbacks (asyncio Handle._context). */
class ContextTest {

    private final ContextVar<String> v = new ContextVar<>("v", "unset");

    @Test
    void runChangesOnlyThatContext() {
        Context ctx = Context.copyContext();
        ctx.run(() -> v.set("in ctx"));
        assertEquals("unset", v.get());
        assertEquals("in ctx", ctx.run(() -> v.get()));
        assertTrue(ctx.containsKey(v));
        assertEquals(1, ctx.size());
    }

    @Test
    void copiesAreIndependent() {
        Context a = new Context();
        a.run(() -> v.set("a"));
        Context b = a.run(Context::copyContext);
        b.run(() -> v.set("b"));
        assertEquals("a", a.get(v));
        assertEquals("b", b.get(v));
    }

    @Test
    void aContextCannotBeEnteredTwiceAtOnce() {
        Context ctx = new Context();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ctx.run(() -> ctx.run(() -> { })));
        assertTrue(e.getMessage().contains("already entered"), e.getMessage());
        ctx.run(() -> { }); // and it is usable again afterwards
    }

    @Test
    void runRethrowsTheBodysExceptionUnchanged() {
        IOException boom = new IOException("boom");
        Throwable seen = null;
        try {
            new Context().run(() -> {
                throw boom;
            });
        } catch (Throwable t) {
            seen = t;
        }
        assertSame(boom, seen);
    }

    @Test
    void callSoonRunsInTheContextCurrentWhenScheduled() {
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            v.set("at schedule time");
            loop.callSoon(() -> {
                seen.add(v.get());
                v.set("changed by the callback"); // in a copy: does not leak
            });
            loop.callLater(0.001, () -> seen.add("timer " + v.get()));
            v.set("later");
            Asyncio.sleep(0.02);
            seen.add("task " + v.get());
        });
        assertEquals(List.of("at schedule time", "timer at schedule time", "task later"), seen);
    }

    @Test
    void callbacksDoNotSeeEachOthersChanges() {
        List<String> seen = new ArrayList<>();
        EventLoop loop = new EventLoop();
        loop.callSoon(() -> v.set("first"));
        loop.callSoon(() -> seen.add(v.get()));
        loop.callSoon(loop::stop);
        loop.runForever();
        loop.close();
        assertEquals(List.of("unset"), seen);
    }

    @Test
    void anExplicitContextKeepsTheCallbacksChanges() {
        Context ctx = new Context();
        List<String> seen = new ArrayList<>();
        EventLoop loop = new EventLoop();
        loop.callSoon(() -> v.set("kept"), ctx);
        loop.callSoon(() -> seen.add(v.get()), ctx);
        loop.callLater(0.001, () -> seen.add("timer " + v.get()), ctx);
        loop.callLater(0.01, loop::stop);
        loop.runForever();
        loop.close();
        assertEquals(List.of("kept", "timer kept"), seen);
        assertEquals("kept", ctx.get(v));
    }

    @Test
    void anExplicitContextAlreadyEnteredFailsTheCallbackNotTheLoop() {
        Context ctx = new Context();
        List<Throwable> reported = new ArrayList<>();
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> reported.add(c.exception()));
        loop.callSoon(() -> ctx.run(() -> loop.callSoon(() -> { }, ctx)));
        loop.callSoon(() -> { });
        boolean[] reentered = new boolean[1];
        loop.callSoon(() -> ctx.run(() -> reentered[0] = true), ctx);
        loop.callLater(0.01, loop::stop);
        loop.runForever();
        loop.close();
        assertEquals(1, reported.size());
        assertTrue(reported.get(0) instanceof IllegalStateException);
        assertFalse(reentered[0]);
    }

    @Test
    void doneCallbacksRunInTheContextOfAddDoneCallback() {
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            Future<Integer> f = new Future<>();
            v.set("when added");
            java.util.function.Consumer<Future<Integer>> cb = x -> seen.add(v.get());
            f.addDoneCallback(cb);
            f.addDoneCallback(x -> seen.add("second " + v.get()));
            v.set("when completed");
            assertEquals(1, f.removeDoneCallback(cb)); // removal finds the wrapped callback
            f.setResult(1);
            Asyncio.sleep(0);
        });
        assertEquals(List.of("second when added"), seen);
    }

    @Test
    void callSoonThreadsafeRunsInTheCallingThreadsContext() throws Exception {
        List<String> seen = new ArrayList<>();
        EventLoop loop = new EventLoop();
        CountDownLatch sent = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> new Context().run(() -> {
            v.set("sender's");
            loop.callSoonThreadsafe(() -> seen.add(v.get()));
            Context explicit = new Context();
            explicit.run(() -> v.set("explicit"));
            loop.callSoonThreadsafe(() -> seen.add(v.get()), explicit);
            loop.callSoonThreadsafe(loop::stop);
            sent.countDown();
        }));
        assertTrue(sent.await(5, TimeUnit.SECONDS));
        loop.runForever();
        loop.close();
        assertEquals(List.of("sender's", "explicit"), seen);
    }

    @Test
    void theTaskContextIsInstalledOnBothStrandsAndRestoredAfterTheStep() {
        List<String> seen = new ArrayList<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            v.set("main");
            Context ctx = new Context();
            ctx.run(() -> v.set("other"));
            loop.createTask(() -> {
                seen.add(v.get());
                return null;
            }, null, ctx).await();
            seen.add(v.get());
        });
        assertEquals(List.of("other", "main"), seen);
    }

    @Test
    void nullContextIsRejected() {
        EventLoop loop = new EventLoop();
        try {
            assertThrows(NullPointerException.class, () -> loop.callSoon(() -> { }, null));
            assertThrows(NullPointerException.class, () -> loop.callLater(1, () -> { }, null));
            assertThrows(NullPointerException.class, () -> loop.callSoonThreadsafe(() -> { }, null));
        } finally {
            loop.close();
        }
    }
}
