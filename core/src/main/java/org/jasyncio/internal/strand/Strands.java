package org.jasyncio.internal.strand;

import java.lang.System.Logger.Level;

/**
 * Chooses the strand kind once per JVM.
 *
 * <p>The system property {@code jasyncio.strand=continuation|virtual} is obeyed strictly:
 * asking for {@code continuation} on a JVM that lacks the export fails with a message naming
 * the flag; it never falls back silently. Without the property, continuations are used when
 * usable, else virtual threads, with one warning through {@link System.Logger}. The
 * continuation strand gives each task ThreadLocals of its own only when {@code java.lang} is
 * open to this library ({@code --add-opens java.base/java.lang=...}); without it, one warning says
 * that the tasks of a loop share its thread's ThreadLocals.
 */
public final class Strands {

    /** The system property that selects the strand kind. */
    public static final String PROPERTY = "jasyncio.strand";

    /**
     * The rule that every error about a thread-owned lock held across a suspension states: one
     * sentence, without its final full stop. Such a lock belongs to the thread that took it,
     * not to a task: on the continuation strand every task of a loop is the loop's thread
     * (a second task walks into a {@code ReentrantLock} the first still holds, or the loop
     * thread blocks for good on a monitor), and on the virtual strand a second task blocks
     * waiting for a task that only the blocked loop could resume. README.md's model section
     * states the rule for users.
     */
    public static final String LOCK_RULE = "Never hold a thread-owned lock (a synchronized monitor, a ReentrantLock,"
            + " a ReentrantReadWriteLock's write lock, or any lock owned by a thread) across a suspension point"
            + " (await, sleep or any other jasyncio call that can suspend); use org.jasyncio.sync.Lock instead";

    /**
     * What an {@code --add-exports} or {@code --add-opens} flag names as its target for code of
     * {@code module}: the module's name, or {@code ALL-UNNAMED} for the class path, where every
     * class shares the one unnamed module.
     */
    static String flagTarget(Module module) {
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }

    /** Where else such a flag can go, said after it in every message. */
    private static final String HOW_TO_FLAG = "(for an executable jar started with java -jar, its manifest's"
            + " Add-Exports: java.base/jdk.internal.vm and Add-Opens: java.base/java.lang attributes do the same"
            + " without any flag)";

    private static volatile StrandFactory factory;

    private Strands() {
    }

    /** {@return the factory chosen for this JVM} It is chosen on first use. */
    public static StrandFactory factory() {
        StrandFactory f = factory;
        if (f == null) {
            synchronized (Strands.class) {
                f = factory;
                if (f == null) {
                    f = choose(System.getProperty(PROPERTY));
                    factory = f;
                }
            }
        }
        return f;
    }

    /**
     * Whether each task sees ThreadLocals of its own in this JVM, as a virtual thread would:
     * always on the virtual strand; on the continuation strand only when {@code java.lang} is
     * open to this library.
     *
     * @return true if a ThreadLocal set by a task is seen by that task only
     */
    public static boolean perTaskThreadLocals() {
        return factory().perTaskThreadLocals();
    }

    /**
     * What a task made now inherits: a copy of the current thread's InheritableThreadLocal
     * values (each through {@code InheritableThreadLocal.childValue}), as a thread started now
     * would; the task's initial ThreadLocal state, opaque, for {@link StrandPool#start} and
     * {@link StrandPool#resume(Strand, Object)}. Null if there is nothing to inherit, or when
     * the maps are out of reach (then, on the virtual strand, a task's thread inherits from the
     * thread that starts it, and on the continuation strand ThreadLocals are shared anyway).
     *
     * @return the inherited values, or null
     */
    public static Object inheritLocals() {
        return ThreadLocalAccess.inheritFromCurrentThread();
    }

    static StrandFactory choose(String requested) {
        StrandFactory chosen = chooseKind(requested);
        if (!chosen.perTaskThreadLocals()) {
            System.getLogger("org.jasyncio").log(Level.WARNING,
                    "jasyncio: java.lang is not open to jasyncio (" + ThreadLocalAccess.unavailability()
                            + "), so the tasks of a loop share its thread's ThreadLocals (an MDC set by one task"
                            + " is seen by the others). Start the JVM with " + ThreadLocalAccess.OPENS_FLAG + " "
                            + HOW_TO_FLAG + " to give each task ThreadLocals of its own, or keep per-task state in"
                            + " a ContextVar.");
        }
        return chosen;
    }

    private static StrandFactory chooseKind(String requested) {
        Throwable why = ContinuationAccess.unavailability();
        if (requested == null || requested.isBlank()) {
            if (why == null) {
                return new ContinuationStrand.Factory();
            }
            System.getLogger("org.jasyncio").log(Level.WARNING,
                    "jasyncio: continuations are not accessible (" + why
                            + "); running tasks on virtual threads, which is slower. Start the JVM with "
                            + ContinuationAccess.EXPORT_FLAG + " " + ThreadLocalAccess.OPENS_FLAG + " " + HOW_TO_FLAG
                            + " to use the continuation strand.");
            return new VirtualThreadStrand.Factory();
        }
        return switch (requested.trim()) {
            case "continuation" -> {
                if (why != null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=continuation was requested, but "
                            + "jdk.internal.vm.Continuation is not accessible (" + why + "). Start the JVM with "
                            + ContinuationAccess.EXPORT_FLAG + " " + HOW_TO_FLAG + ", or use -D" + PROPERTY
                            + "=virtual.", why);
                }
                yield new ContinuationStrand.Factory();
            }
            case "virtual" -> new VirtualThreadStrand.Factory();
            default -> throw new IllegalStateException("unknown value -D" + PROPERTY + "=" + requested
                    + "; use continuation or virtual");
        };
    }
}
