package org.jasyncio.net;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jasyncio.EventLoop;
import org.jasyncio.ExceptionContext;

/**
 * What {@code EventLoop.close()} is to do before it closes the loop, the kernel hook issue 14
 * asks for: hand each loop-local value to its close action, here the {@code close()} of the
 * values that are {@link AutoCloseable} (the networking layer's open transports and servers,
 * the running children of subprocesses), reporting an exception from one to the loop's
 * exception handler and going on with the others. Until the loop does it itself, the tests
 * call it here, reading the loop's values reflectively; once it does, calling it first changes
 * nothing, as those values' {@code close()} is idempotent.
 */
public final class LoopCloseHook {

    private LoopCloseHook() {
    }

    /** The loop's LoopLocal values (its package-private {@code locals} map). */
    private static List<Object> values(EventLoop loop) {
        try {
            Field f = EventLoop.class.getDeclaredField("locals");
            f.setAccessible(true);
            return new ArrayList<>(((Map<?, ?>) f.get(loop)).values());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("EventLoop's LoopLocal values are not where the test expects them", e);
        }
    }

    /** Closes the loop's AutoCloseable LoopLocal values, then the loop. */
    public static void closeLoop(EventLoop loop) {
        for (Object v : values(loop)) {
            if (v instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    loop.callExceptionHandler(new ExceptionContext("Exception closing " + c, e, null, null, null));
                }
            }
        }
        loop.close();
    }
}
