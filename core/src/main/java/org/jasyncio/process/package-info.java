/**
 * Subprocesses: asyncio's {@code subprocess} module. {@link org.jasyncio.process.Subprocess}
 * starts a child process whose stdin is a stream writer and whose stdout and stderr are
 * stream readers, and waits for it without blocking the loop.
 *
 * <p>Built on {@code org.jasyncio.streams} and {@code org.jasyncio.net} (pipe transports).
 */
package org.jasyncio.process;
