/**
 * Streams: asyncio's {@code streams} module. {@link org.jasyncio.streams.Streams} opens
 * connections and starts servers that hand out a {@link org.jasyncio.streams.StreamReader}
 * and a {@link org.jasyncio.streams.StreamWriter} ({@code open_connection},
 * {@code start_server}, and their Unix-socket forms); the reader buffers what the transport
 * delivers and suspends the reading task until enough has arrived.
 *
 * <p>Built on {@code org.jasyncio.net}: a stream is a protocol
 * ({@link org.jasyncio.streams.StreamReaderProtocol}) on a transport. Every call is loop-only.
 *
 * <p>Arguments are checked before anything happens: a null argument throws
 * {@link NullPointerException} whose message is the parameter's name, unless the parameter
 * says it may be null.
 */
package org.jasyncio.streams;
