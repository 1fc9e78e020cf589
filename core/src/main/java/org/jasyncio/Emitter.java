package org.jasyncio;

/**
 * What an async generator's body yields through: {@code emitter.emit(value)} is Python's
 * {@code yield value} inside an {@code async def}. {@link AsyncGenerator#of} hands the body
 * one; the body may call it at any depth of its own calls (a helper method that takes the
 * emitter can yield on the generator's behalf, which Python allows only through
 * {@code async for ...: yield}).
 *
 * <pre>{@code
 * AsyncGenerator<Integer> countdown = AsyncGenerator.of(out -> {
 *     for (int i = 3; i > 0; i--) {
 *         out.emit(i);         // yield i
 *         Asyncio.sleep(1);    // await asyncio.sleep(1)
 *     }
 * });
 * }</pre>
 *
 * <p>Why {@code emit} and not {@code yield}: {@code yield} is a restricted identifier in Java
 * (since Java 14 it ends a block of a switch expression), so an unqualified {@code yield(x)}
 * does not compile and a method of that name reads like a switch's {@code yield} or like
 * {@code Thread.yield()}, which means something else. {@code emit} is the name Java and Kotlin
 * readers know for the same thing (Kotlin's {@code flow { emit(x) }}).
 *
 * <p>Threads: loop-only; call it only from the generator's own body, in the task that is
 * stepping the generator.
 *
 * @param <T> the type of the values yielded
 */
public interface Emitter<T> {

    /**
     * Hands {@code value} to the consumer and suspends the body until the consumer asks for
     * the next value: Python's {@code sent = yield value}. It suspends only the body, never the
     * consumer's task: the consumer's {@link AsyncGenerator#anext()} returns {@code value}
     * at once, without a loop iteration.
     *
     * @param value the value for the consumer; may be null
     * @return the value the next {@link AsyncGenerator#asend(Object)} sends, or null when the
     *         body is resumed by {@link AsyncGenerator#anext()} (or a for-each)
     * <p>Besides the exceptions below, it throws, unchanged and undeclared (checked ones
     * included), whatever the consumer passes to {@link AsyncGenerator#athrow(Throwable)}
     * while the body is suspended here.
     *
     * @throws GeneratorExit         when the consumer closes the generator with
     *                               {@link AsyncGenerator#aclose()} while it is suspended here
     * @throws IllegalStateException if called anywhere but in the running body of this
     *                               generator (from a callback, another task, another thread,
     *                               or once the body has returned)
     */
    Object emit(T value);
}
