package org.jasyncio.examples.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Golden output of {@link BlockingJobs} at a 20x faster clock: the fixed lines exactly, the
 * job lines as a set (their order is their sleep order, 50 ms apart here), and the ticker's
 * lines by shape, since how many ticks fit depends on the machine.
 */
class BlockingJobsTest {

    private static final double SCALE = 0.05;
    private static final Pattern TICK = Pattern.compile("tick (\\d+): the loop is free; (\\d+) of 10 jobs done");
    private static final Pattern WALL = Pattern.compile(
            "wall time: (\\d+\\.\\d) s \\(the longest job, not the sum of 45 s\\)");

    @Test
    void theTickerKeepsTickingWhileTheJobsBlockTheirThreads() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            BlockingJobs.run(out, SCALE);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> jobLines = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        int ticks = 0;
        int lastDone = 0;
        for (String line : lines) {
            Matcher m = TICK.matcher(line);
            if (m.matches()) {
                ticks++;
                assertEquals(ticks, Integer.parseInt(m.group(1)), line);
                int done = Integer.parseInt(m.group(2));
                assertTrue(done >= lastDone, "jobs done went backwards: " + line);
                lastDone = done;
            } else if (line.matches("job \\d done")) {
                jobLines.add(line);
            } else {
                rest.add(line);
            }
        }
        assertEquals(List.of(
                "10 blocking jobs (job(n) sleeps n s in Thread.sleep), each on its own thread via toThread",
                "[0, 332833500, 2664667000, 8995500500, 21325334000, 41654167500, 71982001000, 114308834500,"
                        + " 170634668000, 242959501500]"), rest.subList(0, 2));
        assertEquals(3, rest.size(), rest.toString());
        assertEquals(10, jobLines.size(), jobLines.toString());
        for (int n = 0; n < 10; n++) {
            assertTrue(jobLines.contains("job " + n + " done"), jobLines.toString());
        }
        // 9 s of jobs with a tick every 0.5 s: ~18 ticks; a blocked loop would print none.
        assertTrue(ticks >= 5, "only " + ticks + " ticks: " + lines);
        Matcher wall = WALL.matcher(rest.get(2));
        assertTrue(wall.matches(), rest.get(2));
        double seconds = Double.parseDouble(wall.group(1));
        assertTrue(seconds >= 8.9 && seconds < 30, "wall time should be about the longest job (9 s): " + seconds);
    }
}
