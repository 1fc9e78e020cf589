package org.jasyncio;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Who gets each signal of the process: the loops that added a handler for it
 * ({@link EventLoop#addSignalHandler}, asyncio's {@code loop.add_signal_handler}), else, for
 * SIGINT, the {@link Runner} that claimed it for its run ({@link CtrlC}), else whatever
 * handled the signal before jasyncio (the JVM's default: shutdown hooks, then exit with
 * 128 + the signal's number). Safe from any thread.
 */
final class SignalHandlers {

    /* Implementation overview: asyncio's unix_events add_signal_handler/remove_signal_handler
     * and runners.Runner's SIGINT handling, on the JVM's signal API (sun.misc.Signal, module
     * jdk.unsupported). The JVM runs a Java signal handler on a new thread of its own ("SIGINT
     * handler"), so dispatch only hands work to loops through callSoonThreadsafe (asyncio's
     * signal handler writes to the loop's self-pipe for the same reason).
     *
     * One Slot per signal. jasyncio's DISPATCHER is installed as the JVM handler while the
     * slot has a loop handler or a claim, and the handler it replaced (`previous`) is put back
     * when the last goes, unless someone replaced DISPATCHER meanwhile (then theirs stays:
     * asyncio's Runner checks `getsignal(SIGINT) is sigint_handler` the same way). Except for
     * SIGINT once a runner has installed it (`sticky`): the JVM takes 20 to 50 us to install
     * and restore a handler, too much for every Runner.run, so DISPATCHER stays and forwards
     * to the JVM's default while nobody claims SIGINT, which is what the JVM would do. (If the
     * program then installs a SIGINT handler of its own, it gets Ctrl-C and a runner's claim
     * simply never fires: the same outcome as asyncio's Runner not installing its handler.)
     * Likewise a process that ignores SIGINT, or a JVM under -Xrs, is asked only once. Dispatch
     * order: loop handlers (each loop that has one, in the order they were added: unlike
     * asyncio, where only the main thread's loop can have signal handlers, any loop may), else
     * the claim, else `previous`. A loop handler for SIGINT therefore takes Ctrl-C from a
     * runner for as long as it exists, as asyncio's add_signal_handler replaces the runner's
     * handler; when it is removed the runner's handling comes back (asyncio restores
     * default_int_handler instead).
     *
     * A runner claims SIGINT only if nothing else handles it: no loop handler, no other
     * runner's claim, and the JVM's default handler in place (not one the program installed,
     * not SIG_IGN because the process was started with SIGINT ignored, as background jobs of a
     * non-interactive shell are, and not refused under -Xrs): asyncio's "the default SIGINT
     * handler is in place" condition. asyncio also requires the main thread, the only one where
     * Python runs signal handlers; here the first runner to run wins. The JVM's default is
     * recognised by what its handler prints (java.lang.Terminator's class, which nothing
     * outside the JDK can define).
     *
     * The per-loop table is a LoopLocal whose close action removes the loop's handlers, as
     * asyncio's close() removes them. Every field is guarded by LOCK; callbacks are handed out
     * outside it. */

    private static final Object LOCK = new Object();
    private static final SignalHandler DISPATCHER = SignalHandlers::dispatch;
    private static final EnumMap<UnixSignal, Slot> SLOTS = new EnumMap<>(UnixSignal.class);

    static {
        for (UnixSignal s : UnixSignal.values()) {
            SLOTS.put(s, new Slot(s));
        }
    }

    /** One loop's handlers (asyncio's {@code loop._signal_handlers}), removed when it closes. */
    private static final LoopLocal<LoopTable> TABLES = new LoopLocal<>(LoopTable::new, SignalHandlers::loopClosed);

    private SignalHandlers() {
    }

    /** One signal: jasyncio's JVM handler, and who gets the signal. */
    private static final class Slot {
        final UnixSignal signal;
        /** Whether DISPATCHER is the JVM's handler for this signal. */
        boolean installed;
        /** The JVM handler DISPATCHER replaced when it was last installed, or null. */
        SignalHandler previous;
        /** The loops with a handler for this signal, in the order they added it. */
        final Set<LoopTable> loops = new LinkedHashSet<>();
        /** The runner handling Ctrl-C (SIGINT only), or null. */
        CtrlC claim;
        /** SIGINT: DISPATCHER stays installed, since a runner installed it (see the overview). */
        boolean sticky;
        /** SIGINT: the JVM refused it (-Xrs) or the process ignores it; runners no longer ask. */
        boolean unavailable;

        Slot(UnixSignal signal) {
            this.signal = signal;
        }
    }

    /** A loop's handlers: its callback and the context copied when it was added, per signal. */
    private static final class LoopTable {
        EventLoop loop;
        final EnumMap<UnixSignal, Registration> handlers = new EnumMap<>(UnixSignal.class);
    }

    private record Registration(Runnable callback, Context context) {
    }

    /**
     * Makes {@code callback} run on {@code loop} whenever {@code signal} arrives, replacing the
     * loop's earlier handler for it.
     *
     * @throws NullPointerException          if {@code callback} is null
     * @throws IllegalStateException         if the loop is closed, or from a foreign thread
     * @throws UnsupportedOperationException if the JVM refuses the signal (under {@code -Xrs},
     *                                       or on a platform without it)
     */
    static void add(EventLoop loop, UnixSignal signal, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        loop.checkThread("addSignalHandler");
        loop.checkClosed();
        // asyncio's Handle(callback, args, self, None): the callback runs in a copy of the
        // context current when it was added, the same copy every time.
        Registration registration = new Registration(callback, Context.copyContext());
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signal);
            install(slot);
            LoopTable table = TABLES.get(loop);
            table.loop = loop;
            table.handlers.put(signal, registration);
            slot.loops.add(table);
        }
    }

    /** Removes {@code loop}'s handler for {@code signal}; false if it had none. */
    static boolean remove(EventLoop loop, UnixSignal signal) {
        loop.checkThread("removeSignalHandler");
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signal);
            LoopTable table = tableOf(slot, loop);
            if (table == null || table.handlers.remove(signal) == null) {
                return false;
            }
            slot.loops.remove(table);
            uninstallIfUnused(slot);
            return true;
        }
    }

    /** Whether {@code loop} has a handler for {@code signal} (tests). */
    static boolean has(EventLoop loop, UnixSignal signal) {
        synchronized (LOCK) {
            LoopTable table = tableOf(SLOTS.get(signal), loop);
            return table != null && table.handlers.containsKey(signal);
        }
    }

    /** Whether jasyncio's handler is the JVM's handler for {@code signal} now (tests). */
    static boolean installed(UnixSignal signal) {
        synchronized (LOCK) {
            return SLOTS.get(signal).installed;
        }
    }

    private static LoopTable tableOf(Slot slot, EventLoop loop) {
        for (LoopTable t : slot.loops) {
            if (t.loop == loop) {
                return t;
            }
        }
        return null;
    }

    /** The LoopLocal's close action: the loop's handlers go with it (asyncio's close()). */
    private static void loopClosed(LoopTable table) {
        synchronized (LOCK) {
            for (UnixSignal s : new ArrayList<>(table.handlers.keySet())) {
                table.handlers.remove(s);
                Slot slot = SLOTS.get(s);
                slot.loops.remove(table);
                uninstallIfUnused(slot);
            }
        }
    }

    /**
     * Gives Ctrl-C to {@code claim} if nothing else handles SIGINT (see the overview).
     *
     * @return whether it now has it
     */
    static boolean claimSigint(CtrlC claim) {
        synchronized (LOCK) {
            Slot slot = SLOTS.get(UnixSignal.SIGINT);
            if (slot.claim != null || !slot.loops.isEmpty() || slot.unavailable) {
                return false;
            }
            if (slot.installed) { // by an earlier runner (sticky), forwarding to the JVM's default since
                slot.claim = claim;
                return true;
            }
            SignalHandler old;
            try {
                old = Signal.handle(new Signal(slot.signal.jvmName), DISPATCHER);
            } catch (IllegalArgumentException refused) { // -Xrs, or no such signal here
                slot.unavailable = true;
                return false;
            }
            if (!isJvmDefault(old)) {
                putBack(slot.signal, old);
                slot.unavailable = old == SignalHandler.SIG_IGN;
                return false;
            }
            slot.installed = true;
            slot.sticky = true;
            slot.previous = old;
            slot.claim = claim;
            return true;
        }
    }

    /** Ends {@code claim}'s hold on SIGINT; nothing if it has none. */
    static void releaseSigint(CtrlC claim) {
        synchronized (LOCK) {
            Slot slot = SLOTS.get(UnixSignal.SIGINT);
            if (slot.claim == claim) {
                slot.claim = null; // DISPATCHER stays (sticky): it forwards to the JVM's default now
            }
        }
    }

    private static void install(Slot slot) {
        if (slot.installed) {
            return;
        }
        try {
            slot.previous = Signal.handle(new Signal(slot.signal.jvmName), DISPATCHER);
            slot.installed = true;
        } catch (IllegalArgumentException refused) {
            throw new UnsupportedOperationException(slot.signal + " cannot be handled in this JVM (" + refused.getMessage()
                    + "; the JVM keeps SIGINT, SIGTERM and SIGHUP for itself when started with -Xrs)", refused);
        }
    }

    private static void uninstallIfUnused(Slot slot) {
        if (!slot.installed || slot.sticky || slot.claim != null || !slot.loops.isEmpty()) {
            return;
        }
        slot.installed = false;
        SignalHandler replaced = Signal.handle(new Signal(slot.signal.jvmName), slot.previous);
        if (replaced != DISPATCHER) {
            putBack(slot.signal, replaced); // someone installed their own meanwhile: it stays
        }
    }

    private static void putBack(UnixSignal signal, SignalHandler handler) {
        Signal.handle(new Signal(signal.jvmName), handler);
    }

    /** Whether {@code h} is the JVM's own SIGINT/SIGTERM/SIGHUP handler (java.lang.Terminator's). */
    private static boolean isJvmDefault(SignalHandler h) {
        return h != SignalHandler.SIG_DFL && h != SignalHandler.SIG_IGN && String.valueOf(h).startsWith("java.lang.Terminator");
    }

    /** The JVM handler: runs on the JVM's signal thread, hands the signal to whoever gets it. */
    private static void dispatch(Signal sig) {
        UnixSignal signal = UnixSignal.named(sig.getName());
        List<Runnable> deliveries = new ArrayList<>(2);
        CtrlC claim = null;
        SignalHandler previous;
        synchronized (LOCK) {
            Slot slot = SLOTS.get(signal);
            previous = slot.previous;
            if (!slot.loops.isEmpty()) {
                for (LoopTable t : slot.loops) {
                    Registration r = t.handlers.get(signal);
                    EventLoop loop = t.loop;
                    deliveries.add(() -> loop.callSoonThreadsafe(r.callback(), r.context()));
                }
            } else {
                claim = slot.claim;
            }
        }
        if (!deliveries.isEmpty()) {
            for (Runnable d : deliveries) {
                try {
                    d.run();
                } catch (IllegalStateException closed) {
                    // the loop closed meanwhile; its handlers are being removed
                }
            }
        } else if (claim != null) {
            SignalHandler hard = previous;
            claim.onSigint(() -> forward(signal, sig, hard));
        } else {
            forward(signal, sig, previous); // nobody's any more: uninstalled while this signal was on its way
        }
    }

    /** Does what the JVM would have done with {@code sig}. */
    private static void forward(UnixSignal signal, Signal sig, SignalHandler previous) {
        if (previous == null || previous == SignalHandler.SIG_DFL) {
            Runtime.getRuntime().exit(signal.exitStatus());
        } else if (previous != SignalHandler.SIG_IGN) {
            previous.handle(sig);
        }
    }
}
