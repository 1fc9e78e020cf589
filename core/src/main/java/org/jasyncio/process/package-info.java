/**
 * Subprocesses: asyncio's {@code subprocess} module. {@link org.jasyncio.process.Subprocess}
 * starts a child process whose stdin is a stream writer and whose stdout and stderr are
 * stream readers, and waits for it without blocking the loop.
 *
 * <p>Built on {@code org.jasyncio.streams} and {@code org.jasyncio.net} (pipe transports).
 *
 * <p>Arguments are checked before anything happens: a null argument throws
 * {@link NullPointerException} whose message is the parameter's name, unless the parameter
 * says it may be null; no child is started then.
 */
package org.jasyncio.process;
