package org.jasyncio;

import java.util.List;

/**
 * The failures of a {@link TaskGroup}: asyncio's {@code ExceptionGroup('unhandled errors in a
 * TaskGroup', ...)}. It holds every exception, other than a cancellation, that a child task
 * (or, in the lambda form, the body) ended with, in the order they happened; each is also
 * attached as a suppressed exception so that a stack trace shows them all.
 */
public class TaskGroupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The failures, in the order they happened. */
    private final List<Throwable> exceptions;

    /**
     * Creates the exception.
     *
     * @param message    what happened
     * @param exceptions the failures, at least one
     */
    public TaskGroupException(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + exceptions.size() + " sub-exception" + (exceptions.size() == 1 ? "" : "s") + ")");
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
        }
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    /**
     * The failures, in the order they happened. asyncio's {@code ExceptionGroup.exceptions}.
     *
     * @return an unmodifiable list
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
