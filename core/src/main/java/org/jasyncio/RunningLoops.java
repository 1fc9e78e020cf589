package org.jasyncio;

/**
 * Which loop runs on the current thread: asyncio's {@code _get_running_loop()}, without a
 * ThreadLocal. Used only by {@link EventLoop}.
 */
final class RunningLoops {

    /*
     * Implementation overview.
     *
     * A ThreadLocal cannot say it: on the continuation strand each task's step swaps the task's
     * own ThreadLocal maps onto the loop's thread (per-task ThreadLocals), so a ThreadLocal read
     * inside a task would miss the loop's entry, and even create a map for a task that never
     * asked for one. So the running loops are kept in a small open-addressing table keyed by
     * their thread, replaced as a whole (copy on write, under a lock) when a loop starts or stops
     * running: a lookup is a volatile read, a hash of the thread id and a probe or two. A thread
     * that is not a loop's is, on the virtual strand, the thread of a strand a loop has handed
     * its turn to (only one of a loop and its strands runs at a time: a task, an async
     * generator's body, an eager task started inside another), so the running loops are asked
     * whose turn this thread holds (StrandPool.turn): one read per running loop, done only off a
     * loop's thread. No thread-to-strand map: its entry would cost some 40 bytes per suspended
     * task.
     */

    /** Thread at even slots, its loop at the next one; never mutated once published. */
    private static volatile Object[] table = new Object[2];
    private static int count; // guarded by the class lock

    private RunningLoops() {
    }

    /** The loop running on this thread or in the task running on it, or null. */
    static EventLoop current() {
        Thread t = Thread.currentThread();
        Object[] tab = table;
        int mask = (tab.length >> 1) - 1;
        for (int i = index(t, mask); ; i = (i + 1) & mask) {
            Object k = tab[i << 1];
            if (k == t) {
                return (EventLoop) tab[(i << 1) + 1];
            }
            if (k == null) {
                break;
            }
        }
        for (int i = 1; i < tab.length; i += 2) {
            if (tab[i] instanceof EventLoop l && l.strandPool().turn() == t) {
                return l;
            }
        }
        return null;
    }

    /** Records that {@code loop} runs on the current thread, until {@link #exit}. */
    static synchronized void enter(EventLoop loop) {
        rebuild(Thread.currentThread(), loop, count + 1);
        count++;
    }

    /** Records that no loop runs on the current thread any more. */
    static synchronized void exit() {
        rebuild(Thread.currentThread(), null, count - 1);
        count--;
    }

    /** Copies the table, with {@code t} mapped to {@code loop} (or removed if null), sized for {@code n}. */
    private static void rebuild(Thread t, EventLoop loop, int n) {
        int slots = Integer.highestOneBit(Math.max(1, n) * 2) * 2; // at most half full
        Object[] old = table;
        Object[] tab = new Object[slots * 2];
        int mask = slots - 1;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != null && old[i] != t) {
                put(tab, mask, (Thread) old[i], old[i + 1]);
            }
        }
        if (loop != null) {
            put(tab, mask, t, loop);
        }
        table = tab;
    }

    private static void put(Object[] tab, int mask, Thread t, Object loop) {
        int i = index(t, mask);
        while (tab[i << 1] != null) {
            i = (i + 1) & mask;
        }
        tab[i << 1] = t;
        tab[(i << 1) + 1] = loop;
    }

    private static int index(Thread t, int mask) {
        long id = t.threadId();
        return (int) (id ^ (id >>> 16)) * 0x9E3779B9 >>> 16 & mask;
    }
}
