package org.jasyncio.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pingpong of PERFORMANCE.md, through two single-slot queues, on both sides of the comparison. */
class WorkloadProcessTest {

    @Test
    void pingpongThroughTwoSingleSlotQueuesChecksItsCounter() throws Exception {
        // Each side checks that the counter came back 2n; a lost or doubled hand-off throws.
        assertTrue(WorkloadProcess.run("jasyncio", "pingpongq", 1000) > 0);
        assertTrue(WorkloadProcess.run("vthreads", "pingpongq", 1000) > 0);
    }
}
