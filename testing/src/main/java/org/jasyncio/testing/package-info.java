/**
 * JUnit 5 support for testing code that runs on jasyncio: {@link org.jasyncio.testing.AsyncTest}
 * runs a test method as a task of a fresh {@link org.jasyncio.Runner}, with virtual time and
 * debug mode on by default, optional schedule exploration (several seeds, or one replayed), and
 * checks that fail the test when it leaves tasks pending, when the loop's exception handler
 * received a report, or when it is interrupted by a timeout (with a dump of every task).
 * pytest-asyncio's {@code @pytest.mark.asyncio}, kotlinx-coroutines-test's {@code runTest},
 * Trio's {@code trio.testing}. See docs/testing.md.
 *
 * <p>The module's only dependencies are jasyncio-core and junit-jupiter-api.
 */
package org.jasyncio.testing;
