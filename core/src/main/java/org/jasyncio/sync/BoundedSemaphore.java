package org.jasyncio.sync;

/**
 * A {@link Semaphore} that refuses to be released more times than it was acquired: asyncio's
 * {@code asyncio.BoundedSemaphore}. Releasing it above its initial value is a bug in the caller
 * and throws, leaving the count unchanged.
 */
public class BoundedSemaphore extends Semaphore {

    private final int bound;

    /**
     * Creates a bounded semaphore with {@code value} permits, which is also its upper bound.
     *
     * @param value the initial and largest number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /** Creates a bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Gives a permit back, like {@link Semaphore#release()}.
     *
     * @throws IllegalStateException if that would raise the count above the initial value
     */
    @Override
    public void release() {
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times: it already has all its "
                    + bound + " permit(s)");
        }
        super.release();
    }
}
