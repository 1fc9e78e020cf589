package org.jasyncio.net;

import java.net.SocketException;

/**
 * The connection was reset by the peer or lost while it was being used: asyncio's
 * {@code ConnectionResetError}. Like every {@link java.io.IOException} from jasyncio's
 * suspending calls it is thrown unchanged although undeclared: catch {@code Exception} and test
 * {@code instanceof}, or catch {@link java.io.IOException} where a method declares it.
 */
public class ConnectionResetException extends SocketException {

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public ConnectionResetException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param cause   the underlying error
     */
    public ConnectionResetException(String message, Throwable cause) {
        super(message, cause);
    }
}
