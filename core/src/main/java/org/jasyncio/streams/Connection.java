package org.jasyncio.streams;

/**
 * What {@code Asyncio.openConnection} returns: asyncio's {@code (reader, writer)} pair.
 *
 * @param reader the stream to read from
 * @param writer the stream to write to
 */
public record Connection(StreamReader reader, StreamWriter writer) {

    /**
     * Checks the components: neither may be null.
     *
     * @throws NullPointerException if {@code reader} or {@code writer} is null
     */
    public Connection {
        java.util.Objects.requireNonNull(reader, "reader");
        java.util.Objects.requireNonNull(writer, "writer");
    }
}
