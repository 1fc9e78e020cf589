package org.jasyncio.examples.cookbook;

import org.jasyncio.Asyncio;

/**
 * Cookbook recipe (testing): the code under test. Items in stock, reserved by orders that
 * arrive concurrently; each reservation asks the warehouse to hold the items, a remote call
 * that takes {@code holdSeconds} (here a sleep). {@link #reserveCheckThenAct} has the
 * classic race: it checks, awaits, then takes, so two orders can both pass the check.
 * {@link #reserve} is the fix. The tests in {@code StockTest} find the race with
 * {@code @AsyncTest(schedules = 100)} and check the fix under the same schedules.
 *
 * <p>Loop-only: tasks of one loop share it without a lock, since the only interleavings are
 * at suspension points.
 */
public final class Stock {

    private final double holdSeconds;
    private int available;

    /**
     * Creates a stock.
     *
     * @param available   the items in stock
     * @param holdSeconds how long the warehouse takes to confirm a hold, in seconds
     */
    public Stock(int available, double holdSeconds) {
        if (available < 0 || !(holdSeconds >= 0)) {
            throw new IllegalArgumentException("need available >= 0 and holdSeconds >= 0, got "
                    + available + " and " + holdSeconds);
        }
        this.available = available;
        this.holdSeconds = holdSeconds;
    }

    /**
     * The race: checks the stock, awaits the warehouse, then takes the items. Another order
     * checked meanwhile sees the items still there.
     *
     * @param n how many items
     * @return whether they were reserved
     */
    public boolean reserveCheckThenAct(int n) {
        if (available < n) {
            return false;
        }
        Asyncio.sleep(holdSeconds); // the warehouse confirms the hold
        available -= n;
        return true;
    }

    /**
     * The fix: takes the items in the same step as the check (no suspension in between),
     * then awaits the warehouse. A hold that could fail would put them back in a
     * {@code catch}.
     *
     * @param n how many items
     * @return whether they were reserved
     */
    public boolean reserve(int n) {
        if (available < n) {
            return false;
        }
        available -= n;
        Asyncio.sleep(holdSeconds); // the warehouse confirms the hold
        return true;
    }

    /**
     * The items left; negative once the store has sold more than it had.
     *
     * @return the count
     */
    public int available() {
        return available;
    }
}
