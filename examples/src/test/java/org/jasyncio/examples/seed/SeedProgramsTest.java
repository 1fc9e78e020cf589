package org.jasyncio.examples.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden output of every seed program (WALKTHROUGH.md), run at {@link SeedOutput#SCALE}: the
 * printed lines exactly, and the wall times within generous bounds.
 */
class SeedProgramsTest {

    private static final String SUMS = "[0, 332833500, 2664667000, 8995500500, 21325334000, 41654167500,"
            + " 71982001000, 114308834500, 170634668000, 242959501500]";

    @Test
    void threadsJobTakesTheLongestJobNotTheSum() throws Exception {
        List<String> lines = SeedOutput.capture(ThreadsJob::run);
        assertEquals(SUMS, lines.get(0));
        assertTrue(lines.get(1).startsWith("wall time: "), lines.get(1));
        SeedOutput.assertTime(9, lines.get(1));
        assertEquals(3, lines.size(), lines.toString());
    }

    @Test
    void gatheredJobsGiveResultsInArgumentOrderInAboutNineSeconds() throws Exception {
        // asyncio.gather returns results in argument order; the sleeps overlap on one thread.
        List<String> lines = SeedOutput.capture(GatherJobs::run);
        assertEquals(SUMS, lines.get(0));
        SeedOutput.assertTime(9, lines.get(1));
        assertEquals(2, lines.size(), lines.toString());
    }

    @Test
    void pizzaBoxIsPendingWhileTheCustomerChats() throws Exception {
        // The peek (0.5 s) and the box (1 s) are 125 ms apart at this scale (25 ms at the default).
        List<String> lines = SeedOutput.capture(Pizzeria::run, 0.25);
        assertEquals(List.of(
                "ordered a margherita; got the box at once: done=false",
                "chatting while the kitchen works...",
                "peek into the box: done=false",
                "the box is ready: done=true, inside: a hot margherita"), lines.subList(0, 4));
        SeedOutput.assertTime(1, lines.get(4));
    }

    @Test
    void helloThenWorldOneSecondLater() throws Exception {
        List<String> lines = SeedOutput.capture(HelloWorld::run);
        assertEquals(List.of("hello", "world"), lines.subList(0, 2));
        SeedOutput.assertTime(1, lines.get(2));
    }

    @Test
    void tasksStartInCreationOrderAndT1EndsLast() throws Exception {
        // create_task schedules each first step for the next iteration, in creation order.
        List<String> lines = SeedOutput.capture(TaskOrdering::run);
        assertEquals(List.of("main start", "main middle", "T1 start", "T3 start", "T3 end", "T2 start", "T2 end",
                "T1 end", "main end"), lines.subList(0, 9));
        SeedOutput.assertTime(2, lines.get(9));
    }

    @Test
    void sequentialAwaitsAddUpToThreeSeconds() throws Exception {
        List<String> lines = SeedOutput.capture(Quiz::sequential);
        assertQuizLines(lines);
        SeedOutput.assertTime(3, lines.get(4));
    }

    @Test
    void concurrentTasksOverlapToTwoSeconds() throws Exception {
        List<String> lines = SeedOutput.capture(Quiz::concurrent, 0.25); // 250 ms of slack below the 3 s bound
        assertQuizLines(lines);
        SeedOutput.assertTime(2, lines.get(4));
        assertTrue(SeedOutput.seconds(lines.get(4)) < 3, "the sleeps must overlap: " + lines.get(4));
    }

    @Test
    void underVirtualTimeTheQuizReadsThreeAgainstTwoSecondsInNoRealTime() throws Exception {
        // Issue 11: virtual time makes the quiz's 3 s against 2 s exact and instant.
        List<String> lines = SeedOutput.capture(Quiz::underVirtualTime);
        assertEquals(List.of("hello", "world", "hello", "world",
                "loop time: sequential 3.0 s, concurrent 2.0 s",
                "real time: under a second for both"), lines);
    }

    private static void assertQuizLines(List<String> lines) {
        assertTrue(lines.get(0).matches("started at \\d\\d:\\d\\d:\\d\\d"), lines.get(0));
        assertEquals("hello", lines.get(1));
        assertEquals("world", lines.get(2));
        assertTrue(lines.get(3).matches("finished at \\d\\d:\\d\\d:\\d\\d"), lines.get(3));
        assertEquals(5, lines.size(), lines.toString());
    }
}
