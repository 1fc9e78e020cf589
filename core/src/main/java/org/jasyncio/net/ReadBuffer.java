package org.jasyncio.net;

import java.nio.ByteBuffer;

/**
 * The buffer transports read into: one direct buffer per loop thread, shared by every
 * transport of that loop, since a read callback copies what it got out before it returns.
 * asyncio's {@code max_size} (here 64 KiB) bounds one read.
 */
final class ReadBuffer {

    static final int SIZE = 64 * 1024;

    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SIZE));

    private ReadBuffer() {
    }

    /** The calling thread's buffer, cleared. */
    static ByteBuffer get() {
        return BUFFER.get().clear();
    }
}
