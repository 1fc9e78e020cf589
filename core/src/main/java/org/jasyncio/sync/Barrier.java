package org.jasyncio.sync;

import org.jasyncio.CancelledError;

/**
 * A meeting point for a fixed number of tasks: asyncio's {@code asyncio.Barrier}. Each task
 * calls {@link #await()}; when the last of {@code parties} arrives, all of them are released
 * together, and the barrier can be used again.
 *
 * <pre>{@code
 * Barrier b = new Barrier(3);
 * for (int i = 0; i < 3; i++) {
 *     Asyncio.createTask(() -> { prepare(); b.await(); go(); });
 * }
 * }</pre>
 */
public class Barrier {

    /*
     * Implementation overview.
     *
     * asyncio's design: a Condition guards a count and a state, and each change of state
     * signals every waiter.
     *   state | meaning | leaves it
     *   FILLING | tasks arrive and wait | the last arrival: DRAINING; reset(): RESETTING (FILLING if nobody waits); abort(): BROKEN
     *   DRAINING | released tasks leave; newcomers wait | the last one out: FILLING
     *   RESETTING | waiters leave with BrokenBarrierException; newcomers wait | the last one out: FILLING
     *   BROKEN | every await throws BrokenBarrierException | reset(): FILLING
     * Not thread-safe; see the package comment.
     */

    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    /** Tasks inside {@link #await()} past the entry check. */
    private int count;

    /**
     * Creates a barrier for {@code parties} tasks. asyncio's {@code Barrier(parties)}.
     *
     * @param parties how many tasks must arrive to release them all
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("Barrier parties must be >= 1, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@code parties} tasks have called it, and returns this task's arrival index,
     * from 0 to {@code parties - 1}. asyncio's {@code await barrier.wait()}.
     *
     * @return the arrival index
     * @throws BrokenBarrierException if the barrier is broken, or is reset or aborted while
     *                                this task waits
     * @throws CancelledError         if the task is cancelled while it waits
     */
    public int await() {
        cond.acquire();
        try {
            // Wait while the barrier drains or resets from the previous round.
            cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
            if (state == State.BROKEN) {
                throw new BrokenBarrierException("Barrier aborted");
            }
            int index = count++;
            try {
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    cond.signalAll();
                } else {
                    cond.awaitFor(() -> state != State.FILLING);
                    if (state == State.BROKEN || state == State.RESETTING) {
                        throw new BrokenBarrierException("Abort or reset of barrier");
                    }
                }
                return index;
            } finally {
                count--;
                exit();
            }
        } finally {
            cond.release();
        }
    }

    /** The last task out of a draining or resetting barrier opens it for the next round. */
    private void exit() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Returns the barrier to its empty state; tasks waiting on it get
     * {@link BrokenBarrierException}. asyncio's {@code await barrier.reset()}.
     */
    public void reset() {
        cond.acquire();
        try {
            state = count > 0 ? State.RESETTING : State.FILLING;
            cond.signalAll();
        } finally {
            cond.release();
        }
    }

    /**
     * Breaks the barrier: waiting and future {@link #await()} calls throw
     * {@link BrokenBarrierException} until {@link #reset()}. asyncio's
     * {@code await barrier.abort()}.
     */
    public void abort() {
        cond.acquire();
        try {
            state = State.BROKEN;
            cond.signalAll();
        } finally {
            cond.release();
        }
    }

    /**
     * How many tasks must arrive to release them. asyncio's {@code parties}.
     *
     * @return the party count
     */
    public int parties() {
        return parties;
    }

    /**
     * The tasks waiting for the barrier to fill. asyncio's {@code n_waiting}.
     *
     * @return their number
     */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /**
     * Whether the barrier is broken. asyncio's {@code broken}.
     *
     * @return true if it is
     */
    public boolean broken() {
        return state == State.BROKEN;
    }

    /**
     * A snapshot for debugging.
     *
     * @return parties, waiting tasks and state
     */
    public Statistics statistics() {
        return new Statistics(parties, nWaiting(), state.name().toLowerCase());
    }

    /**
     * What {@link #statistics()} returns.
     *
     * @param parties  tasks needed to release the barrier
     * @param nWaiting tasks waiting for it to fill
     * @param state    {@code filling}, {@code draining}, {@code resetting} or {@code broken}
     */
    public record Statistics(int parties, int nWaiting, String state) {
        /**
         * Checks that {@code state} is not null.
         *
         * @throws NullPointerException if {@code state} is null
         */
        public Statistics {
            java.util.Objects.requireNonNull(state, "state");
        }
    }

    @Override
    public String toString() {
        String s = state.name().toLowerCase();
        return "Barrier[" + (state == State.BROKEN ? s : s + ", waiters:" + nWaiting() + "/" + parties) + "]";
    }
}
