package org.jasyncio;

import java.util.Iterator;

/**
 * Closes an async generator at the end of a try-with-resources block: Python's
 * {@code contextlib.aclosing}. The block's for-each may break out, return or throw; the
 * generator's {@link AsyncGenerator#aclose()} runs in every case, so its body's
 * {@code finally} blocks run there and then, not at some later shutdown.
 *
 * <pre>{@code
 * try (var lines = Aclosing.aclosing(reader.lines())) {   // async with aclosing(reader.lines()) as lines:
 *     for (byte[] line : lines) {                           //     async for line in lines:
 *         if (isEnd(line)) {
 *             break;                                        // the generator is closed here
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>It is {@link Iterable} over the generator (the for-each above), and
 * {@link #generator()} is what Python's {@code as} binds, for {@code asend} and
 * {@code athrow}. An exception thrown by {@code aclose()} in {@link #close()} propagates
 * unchanged; if the block itself threw, Java attaches it to that exception as suppressed
 * (where Python's {@code __aexit__} would chain it).
 *
 * <p>Threads: loop-only; {@link #close()} suspends, so the block must run in a task.
 *
 * @param <T> the type of the values yielded
 */
public final class Aclosing<T> implements AutoCloseable, Iterable<T> {

    /* Implementation overview: a holder; close() is aclose(), iterator() the generator's. */

    private final AsyncGenerator<T> generator;

    private Aclosing(AsyncGenerator<T> generator) {
        this.generator = generator;
    }

    /**
     * Wraps {@code generator} so that a try-with-resources block closes it at its end.
     * Python's {@code contextlib.aclosing(agen)}. Starts nothing.
     *
     * @param <T>       the type of the values yielded
     * @param generator the generator to close at the end
     * @return the resource
     * @throws NullPointerException if {@code generator} is null
     */
    public static <T> Aclosing<T> aclosing(AsyncGenerator<T> generator) {
        if (generator == null) {
            throw new NullPointerException("generator");
        }
        return new Aclosing<>(generator);
    }

    /**
     * The generator: what {@code async with aclosing(agen) as g} binds to {@code g}.
     *
     * @return the wrapped generator
     */
    public AsyncGenerator<T> generator() {
        return generator;
    }

    /**
     * The generator's iterator ({@link AsyncGenerator#iterator()}), for a for-each over the
     * resource.
     *
     * @return an iterator over the remaining values
     */
    @Override
    public Iterator<T> iterator() {
        return generator.iterator();
    }

    /**
     * Closes the generator: {@link AsyncGenerator#aclose()}. Declares no checked exception;
     * what {@code aclose()} throws (the body's, unchanged) propagates.
     *
     * @throws IllegalStateException outside a task, or as {@link AsyncGenerator#aclose()}
     * @throws CancelledError        as {@link AsyncGenerator#aclose()}
     */
    @Override
    public void close() {
        generator.aclose();
    }
}
