package org.jasyncio;

import java.util.concurrent.Callable;
import org.jasyncio.internal.Rethrow;
import org.jasyncio.internal.strand.Strands;

/**
 * Runs a loop's entry point ({@link Asyncio#run}, {@link Runner#run}, {@link Runner#close()})
 * on a virtual thread of its own when the virtual strand is in use and the caller is a platform
 * thread; the caller waits for it. Used only by those entry points.
 */
final class VirtualLoopThread {

    /*
     * Implementation overview.
     *
     * On the virtual strand every switch between the loop and a task is a hand-off between two
     * threads. From a platform loop thread to a task's virtual thread that costs two OS thread
     * wake-ups (the loop's, and a carrier's), some 20 to 40 us per switch on a busy machine; from
     * a virtual loop thread the loop's park hands its carrier straight to the task's thread and
     * back, about a microsecond each way. So the entry points move a platform caller onto a
     * virtual thread for the duration of the call. It carries the caller's name, so that logs,
     * thread dumps and `ps` still say "main" for a program's main loop, and runs in the
     * caller's own Context (ContextVars set before Asyncio.run are seen by the main task).
     *
     * What the caller sees stays as it was: the result, or the exception as it was thrown;
     * an interrupt of the caller while it waits (or already pending when it calls) is passed to
     * the loop's thread, where the loop turns it into asyncio's Ctrl-C (the main task is
     * cancelled); and the loop thread's interrupt status at the end, which is where the loop
     * keeps an interrupt for its caller, comes back to the caller. Inheritable ThreadLocals of
     * the caller are inherited by the loop's thread (and so by the tasks); plain ThreadLocals of
     * the caller are not visible to the loop's callbacks, which run on the virtual thread.
     */

    private VirtualLoopThread() {
    }

    /** Whether the current caller should be moved: virtual strand, platform thread. */
    static boolean wanted() {
        return !Thread.currentThread().isVirtual() && Strands.factory().prefersVirtualLoopThread();
    }

    /**
     * Runs {@code body} on a new virtual thread, waits for it, and returns its result or
     * throws its exception unchanged.
     */
    static <T> T call(Callable<T> body) {
        Outcome<T> o = new Outcome<>();
        Thread caller = Thread.currentThread();
        Context context = Context.threadContext();
        Thread loopThread = Thread.ofVirtual().name(caller.getName()).unstarted(() -> {
            Context.adoptThreadContext(context);
            try {
                o.result = body.call();
            } catch (Throwable t) {
                o.failure = t;
            } finally {
                synchronized (o) {
                    o.ended = true;
                    o.interruptedAtEnd = Thread.interrupted();
                }
            }
        });
        boolean pending = Thread.interrupted();
        loopThread.start();
        if (pending) {
            loopThread.interrupt();
        }
        boolean keep = false;
        while (true) {
            try {
                loopThread.join();
                break;
            } catch (InterruptedException e) {
                synchronized (o) {
                    if (o.ended) {
                        keep = true; // the loop is done: the interrupt stays here, as it would without the move
                    } else {
                        loopThread.interrupt(); // asyncio's Ctrl-C reaches the loop
                    }
                }
            }
        }
        if (o.interruptedAtEnd || keep) {
            caller.interrupt(); // what the loop kept for its caller
        }
        if (o.failure != null) {
            throw Rethrow.unchecked(o.failure);
        }
        return o.result;
    }

    /** What the loop's thread leaves for the caller; {@code ended} and the interrupt under its lock. */
    private static final class Outcome<T> {
        T result;
        Throwable failure;
        boolean ended;
        boolean interruptedAtEnd;
    }
}
