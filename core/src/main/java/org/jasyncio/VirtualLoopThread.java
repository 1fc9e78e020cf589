package org.jasyncio;

import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
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
     * the loop's thread at once, by a relay the interrupting thread calls (InterruptRelay), where
     * the loop turns it into asyncio's Ctrl-C (the main task is cancelled); and the loop
     * thread's interrupt status at the end, which is where the loop keeps an interrupt for its
     * caller, comes back to the caller. Inheritable ThreadLocals of
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
        // An interrupt already pending is the loop thread's from its first instruction, so that
        // the loop sees it before the main task's first step, as it would on the caller.
        boolean pending = Thread.interrupted();
        Thread loopThread = Thread.ofVirtual().name(caller.getName()).unstarted(() -> {
            Context.adoptThreadContext(context);
            if (pending) {
                Thread.currentThread().interrupt();
            }
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
        // The relay passes an interrupt of the caller on to the loop's thread at once, from the
        // interrupting thread, so the loop sees it exactly when it would have on the caller's
        // own thread (waiting for the caller to wake up first would let a step or two run
        // meanwhile). Armed before the loop starts, so that no interrupt can slip past it.
        InterruptRelay relay = new InterruptRelay(loopThread, o);
        relay.arm();
        loopThread.start();
        while (true) {
            if (relay == null) {
                relay = new InterruptRelay(loopThread, o); // the last one relayed an interrupt: it is spent
                relay.arm();
            }
            try {
                loopThread.join();
                break;
            } catch (InterruptedException e) {
                // Passed on already by the relay, or kept for the caller if the loop was done.
            } finally {
                relay.disarm();
                relay = null;
            }
        }
        boolean keep;
        synchronized (o) {
            keep = o.keptForCaller;
        }
        if (o.interruptedAtEnd || keep) {
            caller.interrupt(); // what the loop kept for its caller
        }
        if (o.failure != null) {
            throw Rethrow.unchecked(o.failure);
        }
        return o.result;
    }

    /** What the loop's thread leaves for the caller; {@code ended} and the interrupts under its lock. */
    private static final class Outcome<T> {
        T result;
        Throwable failure;
        boolean ended;
        boolean interruptedAtEnd;
        /** An interrupt of the caller that came once the loop was done: it stays with the caller. */
        boolean keptForCaller;
    }

    /**
     * Installed on the waiting caller as its interruptible-I/O blocker, which
     * {@code Thread.interrupt()} calls, on the interrupting thread, when another thread
     * interrupts the caller ({@code InterruptWatch} uses the same JDK mechanism). No I/O.
     */
    private static final class InterruptRelay extends AbstractInterruptibleChannel {
        private final Thread loopThread;
        private final Outcome<?> outcome;

        InterruptRelay(Thread loopThread, Outcome<?> outcome) {
            this.loopThread = loopThread;
            this.outcome = outcome;
        }

        void arm() {
            begin();
        }

        void disarm() {
            try {
                end(false);
            } catch (AsynchronousCloseException interruptedMeanwhile) {
                // relayed already
            }
        }

        @Override
        protected void implCloseChannel() {
            synchronized (outcome) {
                if (outcome.ended) {
                    outcome.keptForCaller = true;
                } else {
                    loopThread.interrupt(); // asyncio's Ctrl-C reaches the loop
                }
            }
        }
    }
}
