package org.jasyncio;

/**
 * What the loop's exception handler is told: asyncio's exception-handler context dict. Any
 * field but {@code message} may be null.
 *
 * @param message   what happened, for a human
 * @param exception the exception, if any
 * @param future    the future concerned, if any
 * @param task      the task concerned, if any
 * @param handle    the callback handle concerned, if any
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Task<?> task,
                               Handle handle) {

    /**
     * A context with only a message and an exception.
     *
     * @param message   what happened
     * @param exception the exception, or null
     * @return the context
     */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null, null);
    }
}
