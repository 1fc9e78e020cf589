package org.jasyncio.streams;

/**
 * EOF came before the requested bytes: asyncio's {@code IncompleteReadError}. It carries the
 * bytes that were read, so none is lost.
 */
public class IncompleteReadException extends RuntimeException {

    /** The bytes read before EOF. */
    private final byte[] partial;
    /** How many bytes were asked for, or -1 for a separator search. */
    private final int expected;

    /**
     * Creates the exception.
     *
     * @param partial  the bytes read before EOF
     * @param expected how many were asked for, or -1 when reading up to a separator
     * @throws NullPointerException if {@code partial} is null
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(java.util.Objects.requireNonNull(partial, "partial").length + " bytes read on a total of " + (expected < 0 ? "undefined" : expected)
                + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /**
     * asyncio's {@code partial}.
     *
     * @return the bytes read before EOF
     */
    public byte[] partial() {
        return partial;
    }

    /**
     * asyncio's {@code expected}.
     *
     * @return the number of bytes asked for, or -1 for a separator search
     */
    public int expected() {
        return expected;
    }
}
