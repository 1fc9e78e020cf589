package org.jasyncio.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart: which panels each workload gets, the ratios on the bars, and the PNG itself. */
class PanelsTest {

    private static Map<String, Map<String, Double>> sleepers() {
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        medians.put("jasyncio-continuation", Map.of("n", 1e6, "seconds", 2.0, "rate", 5e5, "peak_rss_mb", 600.0));
        medians.put("jasyncio-virtual", Map.of("n", 1e5, "seconds", 1.5, "rate", 6.6e4, "peak_rss_mb", 300.0));
        medians.put("java-vthreads", Map.of("n", 1e6, "seconds", 4.0, "rate", 2.5e5, "peak_rss_mb", 1200.0));
        return medians;
    }

    @Test
    void sleepersShowWallTimeAndPeakRssAndMarkAPeerRunAtAnotherSize() {
        List<BenchChart.Panel> panels = Panels.of("sleepers", sleepers(), "java-vthreads");
        assertEquals(List.of("sleepers: wall time, s", "sleepers: peak RSS, MB"),
                panels.stream().map(BenchChart.Panel::title).toList());
        for (BenchChart.Panel p : panels) {
            assertTrue(p.lowerIsBetter());
            assertEquals("java-vthreads", p.baseline());
            // The virtual strand ran a tenth of the tasks: its time and memory do not compare.
            assertEquals(Map.of("jasyncio-virtual", "n=100000"), p.notes());
        }
    }

    @Test
    void ratesCompareAtAnySize() {
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        medians.put("jasyncio-continuation", Map.of("n", 1e6, "seconds", 0.5, "rate", 2e6));
        medians.put("jasyncio-virtual", Map.of("n", 1e5, "seconds", 0.5, "rate", 2e5));
        medians.put("java-vthreads", Map.of("n", 1e6, "seconds", 1.0, "rate", 1e6));
        BenchChart.Panel spawn = Panels.of("spawn", medians, "java-vthreads").get(0);
        assertEquals("spawn: tasks/s", spawn.title());
        assertFalse(spawn.lowerIsBetter());
        assertEquals(Map.of(), spawn.notes());
    }

    @Test
    void echoShowsServerCpuPerMessageAndThroughput() {
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        medians.put("jasyncio-protocol", Map.of("n", 100.0, "seconds", 5.0, "rate", 60000.0, "server_cpu_us", 9.0));
        medians.put("java-vthreads", Map.of("n", 100.0, "seconds", 5.0, "rate", 50000.0, "server_cpu_us", 18.0));
        List<BenchChart.Panel> panels = Panels.of("echo100", medians, "java-vthreads");
        assertEquals(List.of("echo100: server CPU per message, us", "echo100: messages/s"),
                panels.stream().map(BenchChart.Panel::title).toList());
    }

    @Test
    void aBarsLabelSaysHowManyTimesBetterThanTheBaselineItIs() {
        assertEquals("jasyncio-protocol (2.00x)", BenchChart.label("jasyncio-protocol", 9.0, 18.0, true));
        assertEquals("jasyncio-continuation (2.00x)", BenchChart.label("jasyncio-continuation", 2e6, 1e6, false));
        assertEquals("java-vthreads", BenchChart.label("java-vthreads", 1e6, 1e6, false));
        assertEquals("netty-nio", BenchChart.label("netty-nio", 9.0, null, true));
    }

    @Test
    void writesOnePngWithAPanelPerMetric(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/bench-cold-test.png");
        BenchChart.write(file, "jasyncio bench, cold: test", Panels.of("sleepers", sleepers(), "java-vthreads"));
        assertTrue(Files.size(file) > 1000);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(1280, image.getWidth()); // two panels side by side
        assertTrue(image.getHeight() > 100);
    }
}
