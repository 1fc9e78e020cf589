package org.jasyncio.bench;

/**
 * The delay formula shared by every runtime in PERFORMANCE.md:
 * {@code ((i * 2654435761) mod 2^32) mod 1001} milliseconds for task or timer {@code i}.
 */
final class Delays {

    private Delays() {
    }

    static long millis(int i) {
        return ((i * 2654435761L) & 0xFFFF_FFFFL) % 1001;
    }
}
