package org.jasyncio.internal.strand;

import java.lang.System.Logger.Level;

/**
 * Chooses the strand kind once per JVM.
 *
 * <p>The system property {@code jasyncio.strand=continuation|virtual} is obeyed strictly:
 * asking for {@code continuation} on a JVM that lacks the export fails with a message naming
 * the flag; it never falls back silently. Without the property, continuations are used when
 * usable, else virtual threads, with one warning through {@link System.Logger}.
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

    static StrandFactory choose(String requested) {
        Throwable why = ContinuationAccess.unavailability();
        if (requested == null || requested.isBlank()) {
            if (why == null) {
                return new ContinuationStrand.Factory();
            }
            System.getLogger("org.jasyncio").log(Level.WARNING,
                    "jasyncio: continuations are not accessible (" + why
                            + "); running tasks on virtual threads, which is slower. Start the JVM with "
                            + ContinuationAccess.EXPORT_FLAG + " to use the continuation strand.");
            return new VirtualThreadStrand.Factory();
        }
        return switch (requested.trim()) {
            case "continuation" -> {
                if (why != null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=continuation was requested, but "
                            + "jdk.internal.vm.Continuation is not accessible (" + why + "). Start the JVM with "
                            + ContinuationAccess.EXPORT_FLAG + ", or use -D" + PROPERTY + "=virtual.", why);
                }
                yield new ContinuationStrand.Factory();
            }
            case "virtual" -> new VirtualThreadStrand.Factory();
            default -> throw new IllegalStateException("unknown value -D" + PROPERTY + "=" + requested
                    + "; use continuation or virtual");
        };
    }
}
