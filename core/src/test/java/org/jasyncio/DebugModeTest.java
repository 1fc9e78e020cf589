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
}
