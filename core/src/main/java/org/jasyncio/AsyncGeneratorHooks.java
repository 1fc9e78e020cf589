package org.jasyncio;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A loop's async generators: asyncio's {@code loop._asyncgens} with its two hooks
 * ({@code _asyncgen_firstiter_hook}, {@code _asyncgen_finalizer_hook}, installed through
 * {@code sys.set_asyncgen_hooks}) and {@code loop.shutdown_asyncgens()}, which
 * {@link EventLoop#shutdownAsyncgens()} and {@link Runner} call.
 */
final class AsyncGeneratorHooks {

    /*
     * Implementation overview.
     *
     * One instance per loop, kept in a LoopLocal (so EventLoop needs no field for it). The
     * first step of a generator (AsyncGeneratorCore.step) calls firstIter: the generator's
     * core joins `active`, in first-step order, and a Cleaner watches the AsyncGenerator
     * object the user holds. When the body ends, finished() takes the core out again, so
     * `active` holds exactly the generators started on this loop and not finished.
     *
     * asyncio's _asyncgens is a WeakSet of the generators. Here the set holds the cores
     * strongly and the user's objects not at all, so the weak part is the same (a generator
     * nobody references can be collected) and the finalizer keeps its promise: when the
     * user's object is collected while its body is suspended, the cleaner thread hands the
     * loop a callback (callSoonThreadsafe; nothing if the loop is closed, as asyncio checks
     * is_closed()) that creates a task running aclose(), asyncio's
     * call_soon_threadsafe(self.create_task, agen.aclose()). The cleaning action holds the
     * core and the loop, never the user's object. A Finalizer whose generator finished is
     * marked so and does nothing, so a generator run to its end costs the loop no wake-up
     * when it is collected.
     *
     * shutdown() is asyncio's shutdown_asyncgens coroutine run as a task: it sets
     * shutdownCalled, takes and clears the set, runs aclose() of each in a task of its own,
     * gathers them with return_exceptions, and reports each one that failed (not one that
     * was cancelled) to the exception handler with asyncio's message. A generator first
     * stepped after that is still tracked, with asyncio's ResourceWarning as a logged warning.
     */

    private static final System.Logger LOG = System.getLogger("org.jasyncio");
    private static final LoopLocal<AsyncGeneratorHooks> OF_LOOP = new LoopLocal<>(AsyncGeneratorHooks::new);
    private static final Cleaner CLEANER = Cleaner.create(
            r -> Thread.ofPlatform().daemon().name("jasyncio-asyncgen-finalizer").unstarted(r));

    private final LinkedHashSet<AsyncGeneratorCore<?>> active = new LinkedHashSet<>();
    private boolean shutdownCalled;

    private AsyncGeneratorHooks() {
    }

    /** asyncio's firstiter hook: {@code core} starts on {@code loop}; {@code handle} is the user's object. */
    static void firstIter(EventLoop loop, AsyncGeneratorCore<?> core, AsyncGenerator<?> handle) {
        AsyncGeneratorHooks hooks = OF_LOOP.get(loop);
        if (hooks.shutdownCalled) {
            LOG.log(Level.WARNING, "asynchronous generator " + core
                    + " was scheduled after loop.shutdownAsyncgens() call");
        }
        hooks.active.add(core);
        if (handle != null) {
            Finalizer f = new Finalizer(loop, core);
            core.finalizer = f;
            CLEANER.register(handle, f);
        }
    }

    /** The body of {@code core} ended: the loop no longer tracks it. */
    static void finished(EventLoop loop, AsyncGeneratorCore<?> core) {
        OF_LOOP.get(loop).active.remove(core);
        Finalizer f = core.finalizer;
        if (f != null) {
            f.finished = true;
        }
    }

    /** {@link EventLoop#shutdownAsyncgens()}: asyncio's {@code loop.shutdown_asyncgens()}. */
    static Future<Void> shutdown(EventLoop loop) {
        AsyncGeneratorHooks hooks = OF_LOOP.get(loop);
        return loop.createTask(() -> {
            hooks.closeAll(loop);
            return null;
        });
    }

    private void closeAll(EventLoop loop) {
        shutdownCalled = true;
        if (active.isEmpty()) {
            return;
        }
        List<AsyncGeneratorCore<?>> closing = new ArrayList<>(active);
        active.clear();
        List<Future<?>> acloses = new ArrayList<>(closing.size());
        for (AsyncGeneratorCore<?> core : closing) {
            acloses.add(loop.createTask(() -> {
                core.aclose();
                return null;
            }));
        }
        new GatheringFuture(loop, acloses, true).await();
        for (int i = 0; i < closing.size(); i++) {
            Future<?> t = acloses.get(i);
            if (t.cancelled()) {
                continue;
            }
            Throwable e = t.exception();
            if (e != null) {
                loop.callExceptionHandler(ExceptionContext.of(
                        "an error occurred during closing of asynchronous generator " + closing.get(i), e));
            }
        }
    }

    /**
     * The cleaning action of one generator: asyncio's finalizer hook. Holds the core and its
     * loop, never the user's {@link AsyncGenerator}, so that it can be collected.
     */
    static final class Finalizer implements Runnable {

        private final EventLoop loop;
        private final AsyncGeneratorCore<?> core;
        /** Set on the loop when the body ends; read by the cleaner thread. */
        volatile boolean finished;

        Finalizer(EventLoop loop, AsyncGeneratorCore<?> core) {
            this.loop = loop;
            this.core = core;
        }

        @Override
        public void run() {
            if (finished || loop.isClosed()) {
                return;
            }
            try {
                loop.callSoonThreadsafe(() -> {
                    if (!core.isClosed()) {
                        loop.createTask(() -> {
                            core.aclose();
                            return null;
                        });
                    }
                });
            } catch (IllegalStateException closedMeanwhile) {
                // The loop closed since: nothing can run the generator's clean-up any more.
            }
        }
    }
}
