package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The snippets of docs/composition.md, one test per row of its table. Each snippet's code
 * is copied verbatim between the "snippet" markers; the test then checks what it printed.
 */
class CompositionDocsTest {

    private static String fetch(String what, double seconds) {
        Asyncio.sleep(seconds);
        return what;
    }

    private final List<String> out = new ArrayList<>();

    private void println(Object line) {
        out.add(String.valueOf(line));
    }

    @Test
    void waitRow() {
        Asyncio.run(() -> {
            // snippet: wait
            Task<String> fast = Asyncio.createTask(() -> fetch("fast", 0.01));
            Task<String> slow = Asyncio.createTask(() -> fetch("slow", 1));
            WaitResult<Task<String>> r = Asyncio.wait(List.of(fast, slow), Duration.ofMillis(500),
                    ReturnWhen.FIRST_COMPLETED);
            println(r.done().size() + " done, " + r.pending().size() + " pending"); // 1 done, 1 pending
            slow.cancel();                                                          // wait() cancels nothing
            // end snippet
        });
        assertEquals(List.of("1 done, 1 pending"), out);
    }

    @Test
    void waitForRow() {
        Asyncio.run(() -> {
            // snippet: waitFor
            Task<String> slow = Asyncio.createTask(() -> fetch("slow", 10));
            try {
                Asyncio.waitFor(slow, Duration.ofMillis(10));
            } catch (AsyncTimeoutException e) {
                println("timed out; cancelled=" + slow.cancelled()); // timed out; cancelled=true
            }
            // end snippet
        });
        assertEquals(List.of("timed out; cancelled=true"), out);
    }

    @Test
    void timeoutRow() {
        Asyncio.run(() -> {
            // snippet: timeout
            try {
                Asyncio.timeout(Duration.ofMillis(10), () -> fetch("slow", 10));
            } catch (AsyncTimeoutException e) {
                println("too slow");
            }
            String quick = Asyncio.timeout(Duration.ofSeconds(5), () -> fetch("quick", 0.01));
            println(quick);
            // end snippet
        });
        assertEquals(List.of("too slow", "quick"), out);
    }

    @Test
    void timeoutAtRow() {
        Asyncio.run(() -> {
            // snippet: timeoutAt
            double deadline = Asyncio.getRunningLoop().time() + 5;
            println(Asyncio.timeoutAt(deadline, () -> fetch("in time", 0.01)));
            // end snippet
        });
        assertEquals(List.of("in time"), out);
    }

    @Test
    void rescheduleRow() {
        Asyncio.run(() -> {
            // snippet: reschedule
            Timeout t = Timeout.after(Duration.ofMillis(10));
            String s = t.run(() -> {
                t.reschedule(Asyncio.getRunningLoop().time() + 5); // more time after all
                return fetch("rescheduled", 0.03);
            });
            println(s + " expired=" + t.expired()); // rescheduled expired=false
            // end snippet
        });
        assertEquals(List.of("rescheduled expired=false"), out);
    }

    @Test
    void shieldRow() {
        Asyncio.run(() -> {
            // snippet: shield
            Task<String> save = Asyncio.createTask(() -> fetch("saved", 0.02));
            try {
                Asyncio.waitFor(Asyncio.shield(save), 0.01);
            } catch (AsyncTimeoutException e) {
                println("gave up waiting");
            }
            println(save.await()); // the shielded work still finished: saved
            // end snippet
        });
        assertEquals(List.of("gave up waiting", "saved"), out);
    }

    @Test
    void asCompletedRow() {
        Asyncio.run(() -> {
            // snippet: asCompleted
            List<Task<String>> tasks = List.of(
                    Asyncio.createTask(() -> fetch("b", 0.02)),
                    Asyncio.createTask(() -> fetch("a", 0.01)));
            for (Future<String> done : Asyncio.asCompleted(tasks)) {        // 3.13: the tasks themselves
                println(done.result());
            }
            // end snippet
        });
        assertEquals(List.of("a", "b"), out);
    }

    @Test
    void asCompletedClassicRow() {
        Asyncio.run(() -> {
            // snippet: asCompletedClassic
            List<Task<String>> tasks = List.of(
                    Asyncio.createTask(() -> fetch("b", 0.02)),
                    Asyncio.createTask(() -> fetch("a", 0.01)));
            for (Future<String> next : Asyncio.asCompleted(tasks, Duration.ofSeconds(5)).awaitables()) {
                println(next.await());                                  // results in completion order
            }
            // end snippet
        });
        assertEquals(List.of("a", "b"), out);
    }

    @Test
    void taskGroupRow() {
        Asyncio.run(() -> {
            // snippet: taskGroup
            try {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> fetch("ok", 0.01));
                    tg.createTask(() -> {
                        Asyncio.sleep(0.01);
                        throw new IllegalStateException("boom");
                    });
                    Asyncio.sleep(10); // cancelled when the child fails
                });
            } catch (TaskGroupException e) {
                println(e.exceptions()); // [java.lang.IllegalStateException: boom]
            }
            // end snippet
        });
        assertEquals(List.of("[java.lang.IllegalStateException: boom]"), out);
    }

    @Test
    void taskGroupTryRow() {
        Asyncio.run(() -> {
            // snippet: taskGroupTry
            Task<String> a;
            Task<String> b;
            try (TaskGroup tg = new TaskGroup()) {
                a = tg.createTask(() -> fetch("a", 0.02));
                b = tg.createTask(() -> fetch("b", 0.01));
            }                                                   // close() waits for both
            println(a.result() + b.result());                  // ab
            // end snippet
        });
        assertEquals(List.of("ab"), out);
    }

    @Test
    void eagerRow() {
        Asyncio.run(() -> {
            // snippet: eager
            Asyncio.getRunningLoop().setEagerTasks(true);
            Task<Integer> t = Asyncio.createTask(() -> 42);
            println(t.done() + " " + t.result()); // true 42: it ran inside createTask
            // end snippet
        });
        assertEquals(List.of("true 42"), out);
    }

    @Test
    void neverRetrievedRow() {
        List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Asyncio.run(() -> {
            // snippet: neverRetrieved
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) ->
                    reports.add(context.message().lines().findFirst().orElseThrow()));
            // end snippet
            forgetAFailingTask();
            for (int i = 0; i < 200 && reports.isEmpty(); i++) {
                System.gc();
                Asyncio.sleep(0.01);
            }
        });
        assertEquals("Task exception was never retrieved", reports.get(0));
    }

    private static void forgetAFailingTask() {
        Asyncio.createTask(() -> {
            throw new IllegalStateException("nobody looks at me");
        }, "forgotten");
        Asyncio.sleep(0);
        Asyncio.sleep(0);
    }

    @Test
    void toStringRow() {
        Asyncio.run(() -> {
            // snippet: toString
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10), "sleeper");
            Asyncio.sleep(0);
            println(t); // Task[sleeper pending waiting on Future at ...(where it sleeps)]
            t.cancel();
            // end snippet
        });
        assertTrue(out.get(0).startsWith("Task[sleeper pending waiting on Future"), out.get(0));
    }

    @Test
    void docsPageHoldsEverySnippetVerbatim() throws IOException {
        // Surefire runs in core/; the page and this file must not drift apart.
        String page = Files.readString(Path.of("../docs/composition.md"));
        String self = Files.readString(Path.of("src/test/java/org/jasyncio/CompositionDocsTest.java"));
        Matcher m = Pattern.compile("// snippet: (\\w+)\n(.*?)\n\\s*// end snippet", Pattern.DOTALL).matcher(self);
        int n = 0;
        while (m.find()) {
            String code = m.group(2).stripIndent();
            assertTrue(page.contains("## " + m.group(1) + "\n"), "no section for " + m.group(1));
            assertTrue(page.contains(code), "snippet " + m.group(1) + " differs from docs/composition.md");
            n++;
        }
        assertEquals(13, n);
    }
}
