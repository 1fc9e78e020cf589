package org.jasyncio.streams;

/**
 * What {@code Asyncio.openConnection} returns: asyncio's {@code (reader, writer)} pair.
 *
 * @param reader the stream to read from
 * @param writer the stream to write to
 */
public record Connection(StreamReader reader, StreamWriter writer) {
}
