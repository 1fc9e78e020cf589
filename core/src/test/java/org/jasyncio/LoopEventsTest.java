package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** jasyncio's JFR events ({@link LoopEvents}): recorded in-process and read back. */
class LoopEventsTest {

    private static List<RecordedEvent> record(Runnable program) throws Exception {
        Path file = Files.createTempFile("jasyncio", ".jfr");
        try (Recording r = new Recording()) {
            for (String e : List.of("TaskCreated", "TaskStep", "TaskDone", "SlowCallback", "LoopStall")) {
                r.enable("jasyncio." + e);
            }
            r.start();
            program.run();
            r.stop();
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("jasyncio.")).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String type, String task) {
        return events.stream().filter(e -> e.getEventType().getName().equals("jasyncio." + type)
                && task.equals(e.getString("taskName"))).toList();
    }

    @Test
    void tasksAreCreatedSteppedAndDone() throws Exception {
        List<RecordedEvent> events = record(() -> {
            try (Runner runner = new Runner()) {
                runner.run(() -> {
                    Task<Integer> ok = Asyncio.createTask(() -> {
                        Asyncio.sleep(0);
                        Asyncio.sleep(0);
                        return 1;
                    }, "ok");
                    Task<Void> bad = Asyncio.createTask(() -> {
                        throw new IllegalArgumentException("boom");
                    }, "bad");
                    Task<Void> gone = Asyncio.createTask(() -> Asyncio.sleep(10), "gone");
                    Asyncio.sleep(0);
                    gone.cancel();
                    return Asyncio.gatherReturnExceptions(List.of(ok, bad, gone)).await();
                });
            }
        });
        RecordedEvent created = named(events, "TaskCreated", "ok").getFirst();
        long id = created.getLong("taskId");
        assertTrue(id > 0);
        assertTrue(created.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().equals(LoopEventsTest.class.getName())),
                "the creator's stack");
        List<RecordedEvent> steps = named(events, "TaskStep", "ok");
        assertEquals(3, steps.size(), steps.toString()); // start, after each sleep(0)
        for (RecordedEvent s : steps) {
            assertEquals(id, s.getLong("taskId"));
            assertFalse(s.getDuration().isNegative());
        }
        Map<String, String> outcomes = events.stream().filter(e -> e.getEventType().getName().equals("jasyncio.TaskDone"))
                .collect(Collectors.toMap(e -> e.getString("taskName"), e -> e.getString("outcome")));
        assertEquals("result", outcomes.get("ok"));
        assertEquals("exception", outcomes.get("bad"));
        assertEquals("cancelled", outcomes.get("gone"));
        assertEquals("java.lang.IllegalArgumentException: boom",
                named(events, "TaskDone", "bad").getFirst().getString("exception"));
        assertEquals(id, named(events, "TaskDone", "ok").getFirst().getLong("taskId"));
        assertEquals(List.of(), named(events, "SlowCallback", "ok"));
    }

    @Test
    void aSlowStepIsASlowCallbackEvenOutOfDebugMode() throws Exception {
        List<RecordedEvent> events = record(() -> {
            try (Runner runner = Runner.builder().debug(false).build()) {
                runner.getLoop().setSlowCallbackDuration(Duration.ofMillis(30));
                runner.run(() -> Asyncio.createTask(() -> {
                    Thread.sleep(60);
                    return null;
                }, "slow").await());
            }
        });
        List<RecordedEvent> slow = named(events, "SlowCallback", "slow");
        assertEquals(1, slow.size(), events.toString());
        assertTrue(slow.getFirst().getDuration().toMillis() >= 60, slow.toString());
        assertTrue(slow.getFirst().getString("item").startsWith("Task[slow"), slow.toString());
        assertEquals(List.of(), named(events, "LoopStall", "slow")); // the watchdog is debug mode's
    }

    @Test
    void theWatchdogsReportsAreLoopStallEventsWithTheLiveStack() throws Exception {
        List<RecordedEvent> events = record(() -> {
            try (Runner runner = Runner.builder().debug(true).build()) {
                runner.getLoop().setSlowCallbackDuration(Duration.ofMillis(30));
                runner.getLoop().setStallReportInterval(Duration.ofMillis(100));
                runner.run(() -> Asyncio.createTask(() -> {
                    Thread.sleep(250);
                    return null;
                }, "stuck").await());
            }
        });
        List<RecordedEvent> stalls = named(events, "LoopStall", "stuck");
        assertTrue(stalls.size() >= 2, stalls.toString()); // at 30 ms, then at 100 and 200 ms
        RecordedEvent first = stalls.getFirst();
        assertFalse(first.getBoolean("repeated"));
        assertTrue(stalls.get(1).getBoolean("repeated"));
        assertTrue(first.getDuration("runningFor").toMillis() >= 30, first.toString());
        assertTrue(first.getString("stack").contains("Thread.sleep"), first.getString("stack"));
        assertTrue(first.getString("item").startsWith("Task stuck created at"), first.getString("item"));
        assertEquals(named(events, "TaskCreated", "stuck").getFirst().getLong("taskId"), first.getLong("taskId"));
        assertEquals(1, named(events, "SlowCallback", "stuck").size());
    }

    @Test
    void withoutARecordingTheEventsAreOff() {
        assertFalse(LoopEvents.timingEnabled());
        assertFalse(new LoopEvents.TaskCreated().isEnabled());
    }
}
