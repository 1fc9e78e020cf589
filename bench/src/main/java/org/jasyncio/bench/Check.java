package org.jasyncio.bench;

/** A workload that computes a wrong result must not report a time. */
final class Check {

    private Check() {
    }

    static void equal(long expected, long actual, String what) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + " but got " + actual);
        }
    }
}
