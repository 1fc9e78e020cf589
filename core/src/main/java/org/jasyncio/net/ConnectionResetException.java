package org.jasyncio.net;

import java.net.SocketException;

/**
 * The connection was reset by the peer or lost while it was being used: asyncio's
 * {@code ConnectionResetError}. The I/O calls of {@link Network}, {@link Sockets} and the
 * streams declare {@link java.io.IOException}, so it can be caught there as such;
 * {@link Transport#write} throws it undeclared.
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
