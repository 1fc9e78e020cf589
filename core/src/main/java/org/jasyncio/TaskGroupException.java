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
     * @throws NullPointerException     if {@code exceptions} or one of its elements is null
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public TaskGroupException(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + requireExceptions(exceptions).size() + " sub-exception"
                + (exceptions.size() == 1 ? "" : "s") + ")");
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    private static List<? extends Throwable> requireExceptions(List<? extends Throwable> exceptions) {
        if (exceptions == null) {
            throw new NullPointerException("exceptions");
        }
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
        }
        int i = 0;
        for (Throwable t : exceptions) {
            if (t == null) {
                throw new NullPointerException("exceptions[" + i + "] is null");
            }
            i++;
        }
        return exceptions;
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
