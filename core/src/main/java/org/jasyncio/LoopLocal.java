package org.jasyncio;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value kept per event loop, as a {@link ThreadLocal} is kept per thread: each loop sees its
 * own value, created on first use by the supplier. It is how a layer built on the loop
 * (networking, streams, a library of yours) keeps state that belongs to one loop without the
 * loop knowing that layer; asyncio keeps such state as attributes of the loop object (its
 * {@code loop._transports} map of the sockets transports own is the model).
 *
 * <pre>{@code
 * private static final LoopLocal<Map<String, Connection>> POOLS = new LoopLocal<>(HashMap::new);
 * Map<String, Connection> pool = POOLS.get(Asyncio.getRunningLoop());
 * }</pre>
 *
 * <p>{@link #get} is safe from any thread, and the supplier runs at most once per loop; the
 * value itself is only as thread-safe as its own type. A value lives as long as its loop; a
 * loop-local made with a close action is told when the loop closes.
 *
 * @param <T> the type of the value
 */
public final class LoopLocal<T> {

    private final Supplier<? extends T> initial;
    private final Consumer<? super T> atClose;

    /**
     * Creates a loop-local whose value, in each loop, is made by {@code initial} on first use.
     *
     * @param initial makes the value for one loop; must not return null
     * @throws NullPointerException if {@code initial} is null
     */
    public LoopLocal(Supplier<? extends T> initial) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.atClose = null;
    }

    /**
     * Creates a loop-local whose value, in each loop, is made by {@code initial} on first use
     * and handed to {@code atClose} when that loop closes: how a layer releases what it still
     * holds for a loop (open transports and servers, say) when the program closes the loop
     * without closing them, which a Java program, with no reference counting to do it, needs.
     * {@code atClose} runs on the closing thread inside {@link EventLoop#close()}, after the
     * pending tasks were reported and before anything of the loop is torn down; what it
     * schedules on the loop never runs. An exception it throws goes to the loop's exception
     * handler, and the other values are still closed.
     *
     * @param initial makes the value for one loop; must not return null
     * @param atClose releases one loop's value when that loop closes
     * @throws NullPointerException if either argument is null
     */
    public LoopLocal(Supplier<? extends T> initial, Consumer<? super T> atClose) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.atClose = Objects.requireNonNull(atClose, "atClose");
    }

    /**
     * The value of {@code loop}, made by the supplier if this is its first use there.
     *
     * @param loop the event loop
     * @return the loop's value, never null
     * @throws NullPointerException if {@code loop} is null, or the supplier returned null
     */
    @SuppressWarnings("unchecked")
    public T get(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        return (T) loop.locals.computeIfAbsent(this,
                k -> Objects.requireNonNull(initial.get(), "the LoopLocal's supplier returned null"));
    }

    /**
     * Runs the close action of every loop-local that has a value in {@code loop} (called by
     * EventLoop.close()); one that throws is reported and the others still run.
     */
    static void closeAll(EventLoop loop) {
        loop.locals.forEach((local, value) -> {
            try {
                local.closeValue(value);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                loop.callExceptionHandler(ExceptionContext.of("Exception in the close action of " + local, t));
            }
        });
    }

    /** Runs the close action, if any, on this loop-local's value in a closing loop. */
    @SuppressWarnings("unchecked")
    void closeValue(Object value) {
        if (atClose != null) {
            atClose.accept((T) value);
        }
    }
}
