package com.example.squares;

import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;
import org.jasyncio.sync.Queue;
import org.jasyncio.sync.QueueShutDownException;

/**
 * Squares numbers with a few worker tasks that take them from one {@link Queue}, then gathers
 * what each worker did: the shape of asyncio's classic queue example (workers, {@code join},
 * {@code gather}), in a project that only depends on jasyncio's Maven artifacts.
 */
public final class Squares {

    /**
     * What one worker did.
     *
     * @param taken the numbers it took, in the order it took them
     * @param sum   the sum of their squares
     */
    public record Work(List<Integer> taken, long sum) {
    }

    private Squares() {
    }

    /**
     * Squares every number with {@code workers} tasks; squaring {@code n} takes
     * {@code n * secondsPerUnit} seconds (a sleep, standing for I/O). Must run in a task.
     *
     * @param numbers        the numbers to square
     * @param workers        how many worker tasks, at least 1
     * @param secondsPerUnit seconds each unit of a number takes
     * @return each worker's work, in worker order
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static List<Work> squareAll(List<Integer> numbers, int workers, double secondsPerUnit) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        Queue<Integer> queue = new Queue<>();
        numbers.forEach(queue::putNowait);
        List<Task<Work>> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            tasks.add(Asyncio.createTask(() -> work(queue, secondsPerUnit), "worker-" + w));
        }
        queue.join();     // every number squared
        queue.shutdown(); // the idle workers' get() now throws QueueShutDownException: they return
        return Asyncio.gather(tasks).await();
    }

    private static Work work(Queue<Integer> queue, double secondsPerUnit) {
        List<Integer> taken = new ArrayList<>();
        long sum = 0;
        while (true) {
            int n;
            try {
                n = queue.get();
            } catch (QueueShutDownException e) {
                return new Work(taken, sum);
            }
            Asyncio.sleep(n * secondsPerUnit);
            taken.add(n);
            sum += (long) n * n;
            queue.taskDone();
        }
    }

    /**
     * Squares 1 to 6 with three workers, 10 ms per unit, and prints who did what.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        List<Work> work = Asyncio.run(() -> squareAll(List.of(1, 2, 3, 4, 5, 6), 3, 0.01));
        long total = 0;
        for (int w = 0; w < work.size(); w++) {
            System.out.println("worker-" + w + " squared " + work.get(w).taken());
            total += work.get(w).sum();
        }
        System.out.println("sum of squares: " + total);
        System.out.println("strand: " + Asyncio.strandName());
    }
}
