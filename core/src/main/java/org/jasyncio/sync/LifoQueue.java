package org.jasyncio.sync;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A last-in, first-out {@link Queue}: {@link #get()} returns the most recently added item.
 * asyncio's {@code asyncio.LifoQueue}.
 *
 * @param <T> the item type
 */
public class LifoQueue<T> extends Queue<T> {

    /** Creates an unbounded LIFO queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * Creates a LIFO queue holding at most {@code maxsize} items.
     *
     * @param maxsize the capacity; 0 or less means unbounded
     */
    public LifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}
