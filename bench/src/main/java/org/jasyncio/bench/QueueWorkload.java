package org.jasyncio.bench;

import java.util.concurrent.ArrayBlockingQueue;
import org.jasyncio.Asyncio;
import org.jasyncio.sync.Queue;
import org.jasyncio.Task;

/**
 * The {@code queue} workload: one producer passes the items {@code 0..n-1} to one consumer
 * through a bounded queue, and the consumer checks their sum. jasyncio runs it with a
 * {@link Queue} under {@link Asyncio#run}; the baseline runs it on two Java virtual threads
 * with an {@link ArrayBlockingQueue} of the same capacity. Each method returns the elapsed wall
 * time in seconds, from the start of the hand-off to the consumer's last item.
 */
public final class QueueWorkload {

    private QueueWorkload() {
    }

    /**
     * Passes {@code n} items through a jasyncio {@link Queue} of {@code maxsize}.
     *
     * @param n       items to pass
     * @param maxsize the queue's capacity (at least 1)
     * @return elapsed seconds
     * @throws IllegalStateException if the consumer's sum is wrong
     */
    public static double jasyncio(int n, int maxsize) {
        return Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>(maxsize);
            long start = System.nanoTime();
            Task<Long> consumer = Asyncio.createTask(() -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += q.get();
                }
                return sum;
            });
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            long sum = consumer.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            check(n, sum);
            return seconds;
        });
    }

    /**
     * Passes {@code n} items from one virtual thread to another through an
     * {@link ArrayBlockingQueue} of {@code maxsize}.
     *
     * @param n       items to pass
     * @param maxsize the queue's capacity (at least 1)
     * @return elapsed seconds
     * @throws IllegalStateException if the consumer's sum is wrong
     */
    public static double virtualThreads(int n, int maxsize) {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(maxsize);
        long[] sum = {0};
        long start = System.nanoTime();
        Thread consumer = Thread.ofVirtual().start(() -> {
            long s = 0;
            try {
                for (int i = 0; i < n; i++) {
                    s += q.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sum[0] = s;
        });
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            producer.join();
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the queue workload", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        check(n, sum[0]);
        return seconds;
    }

    private static void check(int n, long sum) {
        long expected = (long) n * (n - 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("queue workload: consumer summed " + sum + ", expected " + expected);
        }
    }
}
