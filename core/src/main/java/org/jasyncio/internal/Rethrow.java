package org.jasyncio.internal;

/**
 * Rethrows any throwable unchanged, checked ones included, without declaring them: a failed
 * task's exception reaches the awaiting code exactly as it was thrown (asyncio does the
 * same), so {@code instanceof} checks and stack traces see the original.
 */
public final class Rethrow {

    private Rethrow() {
    }

    /**
     * Throws {@code t} as it is. Declared to return an exception so callers can write
     * {@code throw Rethrow.unchecked(t)} and keep the compiler's flow analysis.
     *
     * @param t the throwable
     * @return never returns
     */
    public static RuntimeException unchecked(Throwable t) {
        throw Rethrow.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
