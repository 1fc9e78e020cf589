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
     * Checks that there is a message (asyncio's context always has one).
     *
     * @throws NullPointerException if {@code message} is null
     */
    public ExceptionContext {
        java.util.Objects.requireNonNull(message, "message");
    }

    /**
     * A context with only a message and an exception.
     *
     * @param message   what happened
     * @param exception the exception, or null
     * @return the context
     * @throws NullPointerException if {@code message} is null
     */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null, null);
    }

    /**
     * The message followed by the task (or else the future) and the handle concerned, one
     * per line, as the default exception handler logs it (asyncio's
     * {@code default_exception_handler} lists the context's keys the same way).
     *
     * @return the description, without the exception's stack trace
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(message);
        if (task != null) {
            sb.append("\ntask: ").append(task);
        } else if (future != null) {
            sb.append("\nfuture: ").append(future);
        }
        if (handle != null) {
            sb.append("\nhandle: ").append(handle);
        }
        return sb.toString();
    }
}
