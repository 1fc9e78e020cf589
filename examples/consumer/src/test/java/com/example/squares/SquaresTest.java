package com.example.squares;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.testing.AsyncTest;
import org.junit.jupiter.api.Test;

/** {@link Squares} under {@code @AsyncTest}: virtual time, so the sleeps take no real time. */
class SquaresTest {

    @AsyncTest
    void aFreeWorkerTakesTheNextNumber() {
        double start = Asyncio.getRunningLoop().time();
        List<Squares.Work> work = Squares.squareAll(List.of(1, 2, 3, 4, 5, 6), 3, 1.0);
        assertEquals(List.of(List.of(1, 4), List.of(2, 5), List.of(3, 6)),
                work.stream().map(Squares.Work::taken).toList());
        assertEquals(List.of(17L, 29L, 45L), work.stream().map(Squares.Work::sum).toList());
        // The three run side by side: the last worker ends at 3 + 6 seconds, virtual time.
        assertEquals(9.0, Asyncio.getRunningLoop().time() - start);
    }

    @AsyncTest(schedules = 20)
    void everyNumberIsSquaredOnceWhateverTheOrder() {
        // Equal jobs finish together: each seed orders the ready workers differently.
        List<Squares.Work> work = Squares.squareAll(List.of(2, 2, 2, 2, 2, 2, 2), 3, 1.0);
        assertEquals(7, work.stream().mapToInt(w -> w.taken().size()).sum());
        assertEquals(28L, work.stream().mapToLong(Squares.Work::sum).sum());
    }

    @AsyncTest
    void noWorkerIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Squares.squareAll(List.of(1), 0, 1.0));
    }

    @Test
    void runsOnTheStrandThisBuildAskedFor() {
        // Surefire's argLine carries the export, so the default is the continuation strand;
        // `mvn test -Djasyncio.strand=virtual` reaches this JVM as a system property.
        assertEquals(System.getProperty("jasyncio.strand", "continuation"), Asyncio.strandName());
    }
}
