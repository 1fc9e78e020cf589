/**
 * jasyncio: Python's asyncio for Java 25. The public API is flat like asyncio's, in
 * {@code org.jasyncio}; implementation packages under {@code org.jasyncio.internal} are not
 * exported.
 */
module org.jasyncio {
    exports org.jasyncio;
    exports org.jasyncio.net;
    exports org.jasyncio.sync;
}
