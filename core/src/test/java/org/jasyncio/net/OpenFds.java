package org.jasyncio.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The process's open file descriptors as /proc/self/fd lists them, and the baseline that
 * {@link SuiteFdBaselineTest} records before the suite's other test classes run, for
 * {@link SuiteFdLeakTest} to compare against after them.
 */
final class OpenFds {

    /** The fds open after warm-up, fd number to link target; null until the first class ran. */
    static volatile Map<Integer, String> baseline;

    private OpenFds() {
    }

    /** Open fds now, fd number to readlink target (fds closed by the time they are read, like the
     * listing's own directory fd, excluded). */
    static Map<Integer, String> snapshot() throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            entries = s.toList();
        }
        Map<Integer, String> fds = new TreeMap<>();
        for (Path p : entries) {
            try {
                fds.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
            } catch (IOException closed) {
                // closed since the listing: the listing's own directory fd, or a racing close
            }
        }
        return fds;
    }
}
