package org.jasyncio.examples.seed;

/** The seed's CPU-bound part of {@code job(n)}: {@code sum(i * i for i in range(n * 1000))}. */
final class Job {

    private Job() {
    }

    /**
     * The sum of squares below {@code n * 1000}. It overflows {@code int} from n = 2, so it is
     * a {@code long} (Python's ints never overflow).
     */
    static long sumOfSquares(int n) {
        long acc = 0;
        for (long i = 0; i < n * 1000L; i++) {
            acc += i * i;
        }
        return acc;
    }
}
