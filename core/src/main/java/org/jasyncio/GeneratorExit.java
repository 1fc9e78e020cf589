package org.jasyncio;

/**
 * Thrown into an async generator's body at the point where it is suspended in
 * {@link Emitter#emit}, by {@link AsyncGenerator#aclose()}: Python's {@code GeneratorExit}. The
 * body is expected to let it propagate, running its {@code finally} blocks on the way (which
 * may await); {@code aclose()} then returns normally.
 *
 * <p>It is an {@link Error}, not an {@link Exception}, for the reason Python made
 * {@code GeneratorExit} a {@code BaseException}: a {@code catch (Exception e)} in the body,
 * written for ordinary failures, must not swallow the request to close. The JDK's own
 * {@code ThreadDeath} (an {@code Error} named without the suffix, thrown to unwind a stack)
 * is the precedent for its name, kept as Python spells it so that asyncio readers recognise it.
 *
 * <p>A body may catch it deliberately, clean up and rethrow it, or return. If it emits a value
 * instead, {@code aclose()} throws {@link IllegalStateException} ("async generator ignored
 * GeneratorExit").
 */
public class GeneratorExit extends Error {

    private static final long serialVersionUID = 1L;

    /** The exception {@link AsyncGenerator#aclose()} throws into the body. */
    public GeneratorExit() {
        super();
    }

    /**
     * The exception with a message, for code that throws one itself (Python allows
     * {@code athrow(GeneratorExit())} too).
     *
     * @param message the message
     */
    public GeneratorExit(String message) {
        super(message);
    }
}
