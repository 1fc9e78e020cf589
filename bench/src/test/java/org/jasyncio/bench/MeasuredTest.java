package org.jasyncio.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner reads RESULT lines back and takes medians per field. */
class MeasuredTest {

    @Test
    void parsesEveryNumericFieldOfAResultLine() {
        Measured m = Measured.parse("RESULT peer=jasyncio-continuation workload=pingpongq n=1000 seconds=0.500 rate=4000"
                + " peak_rss_mb=61 ns_per_switch=250");
        assertEquals("jasyncio-continuation", m.peer());
        assertEquals(Map.of("n", 1000.0, "seconds", 0.5, "rate", 4000.0, "peak_rss_mb", 61.0, "ns_per_switch", 250.0),
                m.fields());
        assertEquals(0.5, m.seconds());
        assertEquals(4000.0, m.rate());
    }

    @Test
    void aLineWithoutSecondsOrRateIsRefused() {
        assertThrows(IllegalStateException.class, () -> Measured.parse("RESULT peer=x workload=spawn n=1"));
    }

    @Test
    void eachFieldsMedianIsTakenOnItsOwn() {
        // The median wall time comes from one run and the median RSS from another.
        Measured a = Measured.parse("RESULT peer=p workload=sleepers n=10 seconds=3.0 rate=3 peak_rss_mb=500");
        Measured b = Measured.parse("RESULT peer=p workload=sleepers n=10 seconds=1.0 rate=10 peak_rss_mb=900");
        Measured c = Measured.parse("RESULT peer=p workload=sleepers n=10 seconds=2.0 rate=5 peak_rss_mb=700");
        Map<String, Double> medians = Measured.medians(List.of(a, b, c));
        assertEquals(2.0, medians.get("seconds"));
        assertEquals(700.0, medians.get("peak_rss_mb"));
        assertEquals(5.0, medians.get("rate"));
        assertSame(c, Measured.medianByRate(List.of(a, b, c)));
    }
}
