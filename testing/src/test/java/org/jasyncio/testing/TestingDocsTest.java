package org.jasyncio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.Future;
import org.jasyncio.Runner;
import org.jasyncio.Task;
import org.jasyncio.TaskGroup;
import org.jasyncio.sync.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java snippets of docs/testing.md, each a test here, and a test that every {@code java}
 * block of that page appears in this file verbatim (modulo indentation), so the page cannot
 * drift from code that runs.
 */
class TestingDocsTest {

    // ---------------------------------------------------------------- the snippets

    @AsyncTest
    void anHourPassesAtOnce() {
        Asyncio.sleep(3600);                                   // no real wait: the clock jumps
        assertEquals(3600.0, Asyncio.getRunningLoop().time()); // exactly
    }

    @AsyncTest
    void aSlowCallTimesOutWithoutWaiting() {
        Task<String> slow = Asyncio.createTask(() -> {
            Asyncio.sleep(60);
            return "late";
        });
        assertThrows(AsyncTimeoutException.class, () -> Asyncio.waitFor(slow, 5.0));
        assertTrue(slow.cancelled());
        assertEquals(5.0, Asyncio.getRunningLoop().time());
    }

    @AsyncTest(virtualTime = false)
    void onTheRealClock() {
        double start = Asyncio.getRunningLoop().time();
        Asyncio.sleep(0.02);                                   // really waits 20 ms
        assertTrue(Asyncio.getRunningLoop().time() - start >= 0.02);
    }

    @Test
    void realThreadsWithVirtualTimers() {
        try (Runner runner = Runner.builder().autojumpThreshold(Duration.ofMillis(20)).build()) {
            String result = runner.run(() -> {
                Future<String> job = Asyncio.toThread(() -> {
                    Thread.sleep(50);                          // real time, on another thread
                    return "done";
                });
                Asyncio.sleep(3600);                           // jumps once idle for 20 ms
                return job.await();
            });
            assertEquals("done", result);
            assertEquals(3600.0, runner.getLoop().time());
        }
    }

    @AsyncTest
    void childrenFinishInsideTheBody() {
        List<String> done = new ArrayList<>();
        TaskGroup.run(tg -> {
            tg.createTask(() -> {
                Asyncio.sleep(1);
                done.add("a");
            });
            tg.createTask(() -> {
                Asyncio.sleep(2);
                done.add("b");
            });
        });                                                    // waits for both
        assertEquals(List.of("a", "b"), done);
    }

    @AsyncTest
    void aBackgroundTaskIsCancelledAndAwaited() {
        Task<Void> ticker = Asyncio.createTask(() -> {
            while (true) {
                Asyncio.sleep(1);
            }
        });
        Asyncio.sleep(10.5);
        ticker.cancel();
        assertThrows(org.jasyncio.CancelledError.class, ticker::await);
    }

    @AsyncTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)                // real seconds, for a hang
    void aBoundedTest() {
        Future<String> reply = new Future<>();
        Asyncio.getRunningLoop().callLater(30, () -> reply.setResult("pong"));
        assertEquals("pong", reply.await());                   // 30 virtual seconds: at once
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 2, 30})
    @AsyncTest
    void waitForReturnsBeforeItsDeadline(double seconds) {
        String r = Asyncio.waitFor(() -> {
            Asyncio.sleep(seconds);
            return "ok";
        }, 60.0);
        assertEquals("ok", r);
        assertEquals(seconds, Asyncio.getRunningLoop().time());
    }

    private int counter;

    @AsyncTest(schedules = 50)
    void incrementsUnderALockNeverLoseAnUpdate() {
        counter = 0;
        Lock lock = new Lock();
        List<Task<Void>> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(Asyncio.createTask(() -> {
                for (int n = 0; n < 10; n++) {
                    lock.acquire();
                    try {
                        int seen = counter;
                        Asyncio.sleep(0.001);                  // timers due together: the seed orders them
                        counter = seen + 1;
                    } finally {
                        lock.release();
                    }
                }
            }));
        }
        Asyncio.gather(workers).await();
        assertEquals(40, counter);
    }

    @AsyncTest(seed = 17)
    void replayOneSchedule() {
        List<String> order = new ArrayList<>();
        Task<Void> a = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            order.add("a");
        });
        Task<Void> b = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            order.add("b");
        });
        Asyncio.gather(a, b).await();
        assertEquals(2, order.size());                         // which came first is seed 17's choice, every run
    }

    // ---------------------------------------------------------------- the page itself

    private static final Path PAGE = Path.of("..", "docs", "testing.md");
    private static final Path THIS = Path.of("src", "test", "java", "org", "jasyncio", "testing", "TestingDocsTest.java");

    @Test
    void everyJavaBlockOfThePageIsCodeOfThisClass() throws IOException {
        String page = Files.readString(PAGE);
        List<String> source = normalized(Files.readString(THIS));
        List<List<String>> blocks = javaBlocks(page);
        assertTrue(blocks.size() >= 8, "the page has its snippets: " + blocks.size());
        for (List<String> block : blocks) {
            assertTrue(java.util.Collections.indexOfSubList(source, block) >= 0,
                    "docs/testing.md has a java block that is not in TestingDocsTest.java:\n" + String.join("\n", block));
        }
    }

    @Test
    void theCheckFindsABlockThatDrifted() {
        List<String> source = normalized("""
                class X {
                    @AsyncTest
                    void a() {
                        Asyncio.sleep(1);
                    }
                }
                """);
        List<List<String>> blocks = javaBlocks("""
                text
                ```java
                @AsyncTest
                void a() {
                    Asyncio.sleep(2);
                }
                ```
                ```java
                  @AsyncTest
                  void a() {
                ```
                """);
        assertEquals(2, blocks.size());
        assertEquals(-1, java.util.Collections.indexOfSubList(source, blocks.get(0)), "a changed line is caught");
        assertTrue(java.util.Collections.indexOfSubList(source, blocks.get(1)) >= 0, "indentation does not count");
    }

    /** The ```java blocks of a Markdown page, each as its normalized lines. */
    static List<List<String>> javaBlocks(String page) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : page.split("\n", -1)) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(normalized(String.join("\n", current)));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** The lines stripped of indentation and trailing blanks, without empty lines. */
    static List<String> normalized(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
