package org.jasyncio;

/**
 * Receives exceptions that nothing else can report: those escaping callbacks, tasks failing
 * during shutdown, and so on. asyncio's {@code loop.set_exception_handler(handler)}.
 */
@FunctionalInterface
public interface ExceptionHandler {

    /**
     * Handles one report. Must not suspend. An exception it throws is logged, and the loop
     * keeps running.
     *
     * @param loop    the loop reporting
     * @param context what happened
     */
    void handle(EventLoop loop, ExceptionContext context);
}
