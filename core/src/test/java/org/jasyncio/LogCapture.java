package org.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what is logged through System.Logger "org.jasyncio" (java.util.logging by default),
 * from any thread, with the System.nanoTime() at which each message was published.
 */
final class LogCapture extends Handler implements AutoCloseable {

    /** One logged message and when it was published (System.nanoTime()). */
    record Logged(String message, long nanos, String thread) {
    }

    private final Logger logger = Logger.getLogger("org.jasyncio");
    private final List<Logged> logged = new ArrayList<>();

    LogCapture() {
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        logged.add(new Logged(r.getMessage(), System.nanoTime(), Thread.currentThread().getName()));
    }

    synchronized List<Logged> all() {
        return List.copyOf(logged);
    }

    List<Logged> containing(String part) {
        return all().stream().filter(l -> l.message().contains(part)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
