package org.jasyncio.sync;

import java.util.ArrayDeque;
import org.jasyncio.CancelledError;

/**
 * A first-in, first-out queue for tasks: asyncio's {@code asyncio.Queue}. {@link #put} waits
 * while the queue is full, {@link #get} while it is empty; {@link #putNowait} and
 * {@link #getNowait} never wait and throw instead. {@link #taskDone()} and {@link #join()}
 * track work in progress, and {@link #shutdown(boolean)} (asyncio 3.13) ends the queue.
 *
 * <pre>{@code
 * Queue<String> q = new Queue<>(10);
 * Asyncio.createTask(() -> {
 *     while (true) {
 *         String job = q.get();
 *         work(job);
 *         q.taskDone();
 *     }
 * });
 * q.put("a");
 * q.join();          // until every item put has been got and marked done
 * }</pre>
 *
 * <p>A {@code maxsize} of 0 or less means unbounded. Items may not be null. Not thread-safe,
 * like asyncio's: it belongs to the loop where a task first waits on it (see
 * {@code org.jasyncio.sync}).
 * @param <T> the item type
 */
public class Queue<T> {

    /*
     * Implementation overview.
     *
     * asyncio's algorithm. Getters and putters wait in two FIFO WaitQueues; taking an
     * item pops and wakes the first pending putter, adding one pops and wakes the first pending
     * getter. A woken task goes round its while (empty) (or full) loop again, so
     * an item is only ever taken by a getNowait() that returns it: nothing is handed over
     * "in flight", and a cancellation can therefore never lose or duplicate an item. A waiter
     * woken and cancelled in the same iteration passes its wake-up to the next waiter, so no
     * free slot or available item is left with nobody woken for it. Like asyncio's queue (and
     * unlike its locks) this is not strictly fair: a task that arrives while a woken getter has
     * not run yet may take the item first, and the woken getter then waits again at the back.
     */

    private final int maxsize;
    private final java.util.Queue<T> items;
    // The binding keeps the reference only to name its owner in error messages.
    @SuppressWarnings("this-escape")
    private final LoopBinding binding = new LoopBinding(this);
    private final WaitQueue getters = new WaitQueue(binding);
    private final WaitQueue putters = new WaitQueue(binding);
    private final WaitQueue joiners = new WaitQueue(binding);
    private int unfinishedTasks;
    private boolean shutdown;

    /** Creates an unbounded queue. asyncio's {@code Queue()}. */
    public Queue() {
        this(0);
    }

    /**
     * Creates a queue holding at most {@code maxsize} items. asyncio's {@code Queue(maxsize)}.
     *
     * @param maxsize the capacity; 0 or less means unbounded
     */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    /** For the subclasses: a queue over {@code items}, whose order decides what get returns. */
    Queue(int maxsize, java.util.Queue<T> items) {
        this.maxsize = maxsize;
        this.items = items;
    }

    /**
     * The most items the queue holds before {@code put} waits. asyncio's {@code maxsize}.
     *
     * @return the capacity given at creation (0 or less: unbounded)
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * How many items are in the queue now. asyncio's {@code qsize()}.
     *
     * @return the number of items in the queue
     */
    public int qsize() {
        return items.size();
    }

    /**
     * asyncio's {@code empty()}.
     *
     * @return true if there is no item
     */
    public boolean empty() {
        return items.isEmpty();
    }

    /**
     * asyncio's {@code full()}.
     *
     * @return true if the queue is bounded and holds {@code maxsize} items
     */
    public boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Adds {@code item}, first waiting while the queue is full. asyncio's {@code await put(item)}.
     *
     * @param item the item
     * @throws QueueShutDownException if the queue is shut down (also while waiting)
     * @throws CancelledError         if the task is cancelled while it waits (the item was not
     *                                added)
     * @throws IllegalStateException  if it must wait outside a task, or on another loop
     */
    public void put(T item) {
        requireItem(item);
        while (full()) {
            if (shutdown) {
                throw shutDown("put()");
            }
            Waiter putter = putters.park("Queue.put()");
            try {
                putter.await();
            } catch (Throwable t) {
                putter.cancel();
                putters.remove(putter);
                if (!full() && !putter.cancelled()) {
                    // Woken for a free slot we will not fill: wake the next putter instead.
                    putters.popAndWakeNext();
                }
                throw t;
            }
        }
        putNowait(item);
    }

    /**
     * Adds {@code item} if there is room, without waiting. asyncio's {@code put_nowait(item)}.
     *
     * @param item the item
     * @throws QueueFullException     if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     */
    public void putNowait(T item) {
        requireItem(item);
        if (shutdown) {
            throw shutDown("putNowait()");
        }
        if (full()) {
            throw new QueueFullException("Queue is full (maxsize " + maxsize + ")");
        }
        getters.checkWaker();
        addItem(item);
        unfinishedTasks++;
        getters.popAndWakeNext();
    }

    /**
     * Removes and returns an item, first waiting while the queue is empty. asyncio's
     * {@code await get()}.
     *
     * @return the item
     * @throws QueueShutDownException if the queue is shut down and empty (also while waiting)
     * @throws CancelledError         if the task is cancelled while it waits (no item was
     *                                taken)
     * @throws IllegalStateException  if it must wait outside a task, or on another loop
     */
    public T get() {
        while (items.isEmpty()) {
            if (shutdown) {
                throw shutDown("get()");
            }
            Waiter getter = getters.park("Queue.get()");
            try {
                getter.await();
            } catch (Throwable t) {
                getter.cancel();
                getters.remove(getter);
                if (!items.isEmpty() && !getter.cancelled()) {
                    // Woken for an item we will not take: wake the next getter instead.
                    getters.popAndWakeNext();
                }
                throw t;
            }
        }
        return getNowait();
    }

    /**
     * Removes and returns an item if there is one, without waiting. asyncio's
     * {@code get_nowait()}.
     *
     * @return the item
     * @throws QueueEmptyException    if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public T getNowait() {
        if (items.isEmpty()) {
            if (shutdown) {
                throw shutDown("getNowait()");
            }
            throw new QueueEmptyException("Queue is empty");
        }
        putters.checkWaker();
        T item = items.poll();
        putters.popAndWakeNext();
        return item;
    }

    /**
     * Marks one item got earlier as processed; when every item put has been marked, tasks in
     * {@link #join()} wake up. asyncio's {@code task_done()}.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times: every item put has already"
                    + " been marked done");
        }
        joiners.checkWaker();
        if (--unfinishedTasks == 0) {
            joiners.wakeAllPending();
        }
    }

    /**
     * Waits until every item put has been got and marked done with {@link #taskDone()}.
     * asyncio's {@code await join()}.
     *
     * @throws CancelledError        if the task is cancelled while it waits
     * @throws IllegalStateException if it must wait outside a task, or on another loop
     */
    public void join() {
        if (unfinishedTasks > 0) {
            joiners.parkAndAwait("Queue.join()");
        }
    }

    /**
     * {@link #shutdown(boolean) shutdown(false)}: no more puts, and gets end once the queue is
     * empty. asyncio's {@code shutdown()}.
     */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (asyncio 3.13's {@code shutdown(immediate)}). From now on
     * {@code put} and {@code putNowait} throw {@link QueueShutDownException}, and
     * {@code get}/{@code getNowait} throw it once the queue is empty. If {@code immediate},
     * the queue is emptied first, each discarded item counting as done for {@link #join()}.
     * Every task waiting in {@code put} or {@code get} is woken: it throws
     * {@link QueueShutDownException}, unless a getter finds an item left.
     *
     * @param immediate discard the items still queued
     * @throws IllegalStateException if tasks of another loop wait on it
     */
    public void shutdown(boolean immediate) {
        getters.checkWaker();
        putters.checkWaker();
        joiners.checkWaker();
        shutdown = true;
        if (immediate) {
            while (items.poll() != null) {
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                joiners.wakeAllPending();
            }
        }
        getters.popAndWakeAll();
        putters.popAndWakeAll();
    }

    /**
     * A snapshot for debugging.
     *
     * @return sizes, waiting tasks, unfinished tasks and whether it is shut down
     */
    public Statistics statistics() {
        return new Statistics(items.size(), maxsize, getters.size() - getters.cancelledCount(),
                putters.size() - putters.cancelledCount(), unfinishedTasks, shutdown);
    }

    /**
     * What {@link #statistics()} returns.
     *
     * @param qsize           items in the queue
     * @param maxsize         the capacity (0 or less: unbounded)
     * @param getters         tasks waiting in {@code get()} (cancelled ones not counted)
     * @param putters         tasks waiting in {@code put()} (cancelled ones not counted)
     * @param unfinishedTasks items put and not yet marked done
     * @param shutdown        whether {@link #shutdown(boolean)} was called
     */
    public record Statistics(int qsize, int maxsize, int getters, int putters, int unfinishedTasks,
                             boolean shutdown) {
    }

    /** Adds to the storage; the place where {@link PriorityQueue} checks its items. */
    void addItem(T item) {
        items.add(item);
    }

    private static void requireItem(Object item) {
        if (item == null) {
            throw new NullPointerException("item is null: a Queue does not accept null items");
        }
    }

    private QueueShutDownException shutDown(String operation) {
        return new QueueShutDownException(operation + " on a queue that was shut down");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("[maxsize=").append(maxsize);
        if (!items.isEmpty()) {
            sb.append(" qsize=").append(items.size());
        }
        if (!getters.isEmpty()) {
            sb.append(" getters[").append(getters.size()).append(']');
        }
        if (!putters.isEmpty()) {
            sb.append(" putters[").append(putters.size()).append(']');
        }
        if (unfinishedTasks != 0) {
            sb.append(" tasks=").append(unfinishedTasks);
        }
        if (shutdown) {
            sb.append(" shutdown");
        }
        return sb.append(']').toString();
    }
}
