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

    private static volatile StrandFactory factory;

    private Strands() {
    }

    /** The factory chosen for this JVM; chosen on first use. */
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
