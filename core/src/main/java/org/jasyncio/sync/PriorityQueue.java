package org.jasyncio.sync;

import java.util.Comparator;

/**
 * A {@link Queue} whose {@link #get()} returns the smallest item first, in natural order or
 * by a comparator. asyncio's {@code asyncio.PriorityQueue} (where entries are typically
 * {@code (priority, data)} tuples; here, use a record and a comparator). Items that compare
 * equal come out in no particular order, as with asyncio's heap.
 *
 * <pre>{@code
 * record Job(int priority, String name) {}
 * PriorityQueue<Job> q = new PriorityQueue<>(Comparator.comparingInt(Job::priority));
 * }</pre>
 *
 * @param <T> the item type
 */
public class PriorityQueue<T> extends Queue<T> {

    private final boolean naturalOrder;

    /** Creates an unbounded queue in natural order; items must be {@link Comparable}. */
    public PriorityQueue() {
        this(0, null);
    }

    /**
     * Creates a queue in natural order holding at most {@code maxsize} items.
     *
     * @param maxsize the capacity; 0 or less means unbounded
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * Creates an unbounded queue ordered by {@code comparator}.
     *
     * @param comparator the order; null means natural order
     */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * Creates a queue ordered by {@code comparator}, holding at most {@code maxsize} items.
     *
     * @param maxsize    the capacity; 0 or less means unbounded
     * @param comparator the order; null means natural order
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new java.util.PriorityQueue<>(comparator));
        this.naturalOrder = comparator == null;
    }

    @Override
    void addItem(T item) {
        if (naturalOrder && !(item instanceof Comparable)) {
            throw new ClassCastException("a PriorityQueue without a comparator needs Comparable items, got "
                    + item.getClass().getName());
        }
        super.addItem(item);
    }
}
