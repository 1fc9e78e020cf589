package org.jasyncio;

import java.util.NoSuchElementException;

/**
 * The async generator has no more values: asyncio's (Python's) {@code StopAsyncIteration},
 * thrown by {@link AsyncGenerator#anext()}, {@link AsyncGenerator#asend(Object)} and
 * {@link AsyncGenerator#athrow(Throwable)} once the generator's body has returned (or was
 * closed, or ended with an exception that was already thrown once).
 *
 * <p>It extends {@link NoSuchElementException}, the exception {@link java.util.Iterator#next()}
 * throws at the end, so the one type serves both readers: code written for asyncio catches
 * {@code StopAsyncIterationException}, code written for Java iterators catches
 * {@code NoSuchElementException}. A for-each over an {@link AsyncGenerator} never sees it: the
 * loop simply ends.
 *
 * <p>A generator's body that throws this exception itself does not end the iteration quietly:
 * the consumer gets an {@link IllegalStateException} ("async generator raised
 * StopAsyncIteration") with it as the cause, as PEP 479 and PEP 525 turn it into a
 * {@code RuntimeError}.
 */
public class StopAsyncIterationException extends NoSuchElementException {

    private static final long serialVersionUID = 1L;

    /** The exception without a message, as Python raises {@code StopAsyncIteration()}. */
    public StopAsyncIterationException() {
        super();
    }

    /**
     * The exception with a message.
     *
     * @param message what ended
     */
    public StopAsyncIterationException(String message) {
        super(message);
    }
}
