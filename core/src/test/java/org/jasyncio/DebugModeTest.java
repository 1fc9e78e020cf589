package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Debug mode ({@link EventLoop#setDebug}): asyncio's debug-mode reports (test_asyncio's debug tests). */
class DebugModeTest {

    @Test
    void aTaskRemembersWhereItWasCreated() {
        try (Runner runner = Runner.builder().debug(true).build()) {
            String s = runner.run(() -> Asyncio.createTask(() -> Asyncio.sleep(1)).toString());
            assertTrue(s.contains("created at org.jasyncio.DebugModeTest"), s);
        }
    }

    @Test
    void withoutDebugModeNoCreationSiteIsRecorded() {
        try (Runner runner = new Runner()) {
            String s = runner.run(() -> Asyncio.createTask(() -> Asyncio.sleep(1)).toString());
            assertFalse(s.contains("created at"), s);
        }
    }

    @Test
    void aNeverRetrievedExceptionIsReportedAtCloseWithItsCreationSite() {
        List<String> reports = new ArrayList<>();
        Runner runner = Runner.builder().debug(true).build();
        runner.getLoop().setExceptionHandler((l, c) -> reports.add(c.message()));
        Future<?>[] kept = new Future<?>[1];
        runner.run(() -> {
            Future<Void> f = new Future<>();
            f.setException(new IllegalStateException("nobody looks"));
            kept[0] = f; // still referenced: the collector cannot report it
        });
        assertTrue(reports.isEmpty());
        runner.close();
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).startsWith("Future exception was never retrieved"), reports.get(0));
        assertTrue(reports.get(0).contains("created at org.jasyncio.DebugModeTest"), reports.get(0));
        assertTrue(kept[0].done());
    }

    @Test
    void aRetrievedExceptionIsNotReportedAtClose() {
        List<String> reports = new ArrayList<>();
        Runner runner = Runner.builder().debug(true).build();
        runner.getLoop().setExceptionHandler((l, c) -> reports.add(c.message()));
        runner.run(() -> {
            Future<Void> f = new Future<>();
            f.setException(new IllegalStateException("seen"));
            assertThrows(IllegalStateException.class, f::result);
        });
        runner.close();
        assertEquals(List.of(), reports);
    }

    @Test
    void aSlowCallbackIsLogged() {
        Logger logger = Logger.getLogger("org.jasyncio");
        List<String> logged = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (Runner runner = Runner.builder().debug(true).build()) {
            runner.getLoop().setSlowCallbackDuration(0.01);
            assertEquals(0.01, runner.getLoop().getSlowCallbackDuration(), 1e-9);
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<Void> done = loop.createFuture();
                loop.callSoon(() -> {
                    long end = System.nanoTime() + 30_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    done.setResult(null);
                });
                done.await();
            });
        } finally {
            logger.removeHandler(handler);
        }
        assertTrue(logged.stream().anyMatch(m -> m.startsWith("Executing Handle") && m.matches("(?s).* took \\d+\\.\\d{3} seconds")), logged.toString());
    }

    @Test
    void aNegativeSlowCallbackDurationIsRefused() {
        try (Runner runner = new Runner()) {
            assertThrows(IllegalArgumentException.class, () -> runner.getLoop().setSlowCallbackDuration(-1));
            assertThrows(IllegalArgumentException.class, () -> runner.getLoop().setSlowCallbackDuration(Double.NaN));
        }
    }
    // ------------------------------------------------------------------ switches

    @Test
    void thePropertyWinsAndTheEnvironmentVariableFollowsPythonAsyncioDebug() {
        java.util.Map<String, String> none = java.util.Map.of();
        assertFalse(DebugMode.fromEnvironment(none::get, none::get));
        assertTrue(DebugMode.fromEnvironment(java.util.Map.of("jasyncio.debug", "true")::get, none::get));
        assertFalse(DebugMode.fromEnvironment(java.util.Map.of("jasyncio.debug", "false")::get,
                java.util.Map.of("JASYNCIO_DEBUG", "1")::get));
        for (String on : List.of("1", "yes", "true", "x")) {
            assertTrue(DebugMode.fromEnvironment(none::get, java.util.Map.of("JASYNCIO_DEBUG", on)::get), on);
        }
        for (String off : List.of("", " ", "0", "false", "FALSE")) {
            assertFalse(DebugMode.fromEnvironment(none::get, java.util.Map.of("JASYNCIO_DEBUG", off)::get), off);
        }
    }

    @Test
    void aNewLoopStartsInDebugModeUnderTheSystemProperty() {
        String before = System.getProperty("jasyncio.debug");
        System.setProperty("jasyncio.debug", "true");
        try {
            try (EventLoop loop = new EventLoop()) {
                assertTrue(loop.getDebug());
            }
            // A runner whose builder says nothing keeps the loop's default; debug(false) overrides it.
            try (Runner runner = new Runner()) {
                assertTrue(runner.getLoop().getDebug());
                String s = runner.run(() -> Asyncio.createTask(() -> Asyncio.sleep(0)).toString());
                assertTrue(s.contains("created at org.jasyncio.DebugModeTest"), s);
            }
            try (Runner runner = Runner.builder().debug(false).build()) {
                assertFalse(runner.getLoop().getDebug());
            }
            System.setProperty("jasyncio.debug", "false");
            try (EventLoop loop = new EventLoop()) {
                assertFalse(loop.getDebug());
            }
        } finally {
            if (before == null) {
                System.clearProperty("jasyncio.debug");
            } else {
                System.setProperty("jasyncio.debug", before);
            }
        }
    }

    @Test
    void theSlowCallbackDurationTakesADuration() {
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            assertEquals(0.1, loop.getSlowCallbackDuration(), 1e-12);
            loop.setSlowCallbackDuration(java.time.Duration.ofMillis(250));
            assertEquals(0.25, loop.getSlowCallbackDuration(), 1e-12);
            loop.setSlowCallbackDuration(java.time.Duration.ofSeconds(Long.MAX_VALUE)); // saturates
            assertEquals(Long.MAX_VALUE / 1e9, loop.getSlowCallbackDuration(), 1);
            assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(java.time.Duration.ofMillis(-1)));
            assertThrows(NullPointerException.class, () -> loop.setSlowCallbackDuration((java.time.Duration) null));
            assertEquals(java.time.Duration.ofSeconds(2), loop.getStallReportInterval());
            assertThrows(IllegalArgumentException.class, () -> loop.setStallReportInterval(java.time.Duration.ofMillis(-1)));
            assertThrows(NullPointerException.class, () -> loop.setStallReportInterval(null));
        }
    }

    @Test
    void loopOnlyCallsFromAForeignThreadThrowAtOnceInDebugMode() throws Exception {
        try (Runner runner = Runner.builder().debug(true).build()) {
            List<Throwable> errors = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<Throwable> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
                Thread t = Thread.ofPlatform().start(() -> {
                    for (Runnable call : List.<Runnable>of(() -> loop.callSoon(() -> { }),
                            () -> loop.callLater(1, () -> { }), () -> loop.createTask(() -> null),
                            () -> loop.setDebug(false), () -> loop.createFuture().setResult(null))) {
                        try {
                            call.run();
                            seen.add(new AssertionError("no error"));
                        } catch (Throwable e) {
                            seen.add(e);
                        }
                    }
                });
                Asyncio.toThread(() -> {
                    t.join();
                    return null;
                }).await();
                assertTrue(loop.getDebug(), "setDebug(false) from the foreign thread changed nothing");
                return seen;
            });
            assertEquals(5, errors.size());
            for (Throwable e : errors) {
                assertTrue(e instanceof IllegalStateException, e.toString());
                assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
            }
        }
    }

    @Test
    void theAfterwardsReportOfASlowTaskStepNamesWhereItWasCreated() {
        try (LogCapture log = new LogCapture(); Runner runner = Runner.builder().debug(true).build()) {
            runner.getLoop().setSlowCallbackDuration(0.02);
            runner.run(() -> Asyncio.createTask(() -> {
                long end = System.nanoTime() + 40_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return null;
            }, "spinner").await());
            List<LogCapture.Logged> after = log.containing("Executing Task[spinner");
            assertEquals(1, after.size(), log.all().toString());
            assertTrue(after.get(0).message().contains("created at org.jasyncio.DebugModeTest"), after.get(0).message());
            assertTrue(after.get(0).message().matches("(?s).* took 0\\.0[4-9]\\d seconds|.* took 0\\.[1-9]\\d\\d seconds"),
                    after.get(0).message());
        }
    }
}
