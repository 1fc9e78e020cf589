package org.jasyncio.net;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs last in each Surefire execution: after every other test class (network tests included),
 * the process holds no file descriptor that was not open at {@link SuiteFdBaselineTest}'s
 * baseline, so every channel was closed when its transport or server was (issue 5).
 */
@Order(Integer.MAX_VALUE)
@Timeout(60)
class SuiteFdLeakTest {

    @Test
    void wholeSuiteLeavesNoFileDescriptorOpen() throws Exception {
        Map<Integer, String> baseline = OpenFds.baseline;
        assertNotNull(baseline, "SuiteFdBaselineTest must run first (junit-platform.properties orders classes)");
        Map<Integer, String> leaked = Map.of();
        // Give the collector a bounded chance to run Cleaners that release JDK-internal fds held
        // by unreachable objects (e.g. a finished Process's pipes) before calling anything a leak.
        for (int attempt = 0; attempt < 10; attempt++) {
            Map<Integer, String> now = OpenFds.snapshot();
            if (now.size() <= baseline.size()) {
                return; // fd numbers may be reused with new targets; the count is what must not grow
            }
            leaked = new TreeMap<>(now);
            leaked.entrySet().removeAll(baseline.entrySet());
            System.gc();
            Thread.sleep(50);
        }
        fail("file descriptors leaked by the suite: " + baseline.size() + " open after warm-up, "
                + OpenFds.snapshot().size() + " now; new or reused ones (fd=target): " + leaked);
    }
}
