package org.jasyncio;

import java.util.Collection;

/**
 * A future that stands for others: the future a task awaits inside {@code gather},
 * {@code wait}, {@code shield}, {@code asCompleted}, a {@code TaskGroup}'s exit or a
 * cancelling {@code waitFor}. A task awaiting it awaits those futures, so the call graph and
 * the task dumps ({@link AwaitGraph}) look through it, as asyncio 3.14 records
 * {@code future_add_to_awaited_by(child, task)} for each of them.
 */
interface Composite {

    /**
     * The futures this one waits on now, in a stable order; empty when none. Loop thread (or,
     * best effort, a thread reading a stuck loop): reads fields only.
     *
     * @return the awaited futures
     */
    Collection<? extends Future<?>> awaited();
}
