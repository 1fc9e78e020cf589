package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jasyncio.internal.strand.Strands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-task ThreadLocals, as on virtual threads: a value a task sets in a {@code ThreadLocal} is
 * seen by that task only, so an MDC or a request scope kept in one works under jasyncio. Runs
 * on both strands (the suite runs once per strand, with {@code java.lang} open);
 * {@link ThreadLocalsWithoutOpensTest} covers a JVM without that flag.
 */
class TaskThreadLocalTest {

    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    private static final InheritableThreadLocal<String> INHERITED = new InheritableThreadLocal<>() {
        @Override
        protected String childValue(String parentValue) {
            return parentValue + "'";
        }
    };

    @BeforeAll
    static void threadLocalsArePerTaskInThisSuite() {
        assertTrue(Strands.perTaskThreadLocals(), "Surefire opens java.lang on both strands");
    }

    @Test
    void aValueATaskSetsIsSeenByThatTaskOnly() {
        List<String> seen = Asyncio.run(() -> {
            List<String> log = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(Asyncio.createTask(() -> {
                    LOCAL.set(name);
                    for (int i = 0; i < 3; i++) {
                        Asyncio.sleep(0); // the others run and set theirs meanwhile
                        log.add(name + "=" + LOCAL.get());
                    }
                }));
            }
            Asyncio.gather(tasks).await();
            return log;
        });
        assertEquals(List.of("a=a", "b=b", "c=c", "a=a", "b=b", "c=c", "a=a", "b=b", "c=c"), seen);
    }

    @Test
    void aNewTaskStartsWithoutItsCreatorsValues() {
        String[] inChild = new String[2];
        String inMain = Asyncio.run(() -> {
            LOCAL.set("main");
            Asyncio.createTask(() -> {
                inChild[0] = LOCAL.get();
                LOCAL.set("child");
                inChild[1] = LOCAL.get();
            }).await();
            return LOCAL.get();
        });
        assertNull(inChild[0], "a task starts with empty ThreadLocals, like a new thread");
        assertEquals("child", inChild[1]);
        assertEquals("main", inMain, "the child's set did not reach its creator");
    }

    @Test
    void withInitialGivesEachTaskItsOwnInitialValue() {
        ThreadLocal<List<String>> perTask = ThreadLocal.withInitial(ArrayList::new);
        List<List<String>> lists = Asyncio.run(() -> {
            Task<List<String>> a = Asyncio.createTask(() -> {
                perTask.get().add("a");
                Asyncio.sleep(0);
                return perTask.get();
            });
            Task<List<String>> b = Asyncio.createTask(() -> {
                perTask.get().add("b");
                Asyncio.sleep(0);
                return perTask.get();
            });
            return List.of(a.await(), b.await());
        });
        assertEquals(List.of(List.of("a"), List.of("b")), lists);
    }

    @Test
    void aTaskThatFinishedLeavesNothingForTheNextTask() {
        // The next task usually runs on the finished task's strand (its stack or thread is reused).
        List<String> seen = Asyncio.run(() -> {
            List<String> log = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                Asyncio.createTask(() -> {
                    log.add(String.valueOf(LOCAL.get()));
                    LOCAL.set("task " + n);
                    Asyncio.sleep(0); // suspends once, so the strand keeps its storage for the next
                }).await();
            }
            return log;
        });
        assertEquals(List.of("null", "null", "null", "null", "null"), seen);
    }

    @Test
    void callbacksKeepSeeingTheLoopThreadsOwnValues() {
        List<String> seen = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> log = new ArrayList<>();
            Future<Void> set = loop.createFuture();
            loop.callSoon(() -> {
                LOCAL.set("loop");
                set.setResult(null);
            });
            set.await();
            Asyncio.createTask(() -> {
                LOCAL.set("task");
                LOCAL.remove();
                LOCAL.set("task again");
                Asyncio.sleep(0);
            }).await();
            Future<Void> read = loop.createFuture();
            loop.callSoon(() -> {
                log.add("callback sees " + LOCAL.get());
                LOCAL.remove(); // leave the test's thread as it was
                read.setResult(null);
            });
            read.await();
            log.add("main task sees " + LOCAL.get());
            return log;
        });
        assertEquals(List.of("callback sees loop", "main task sees null"), seen);
    }

    @Test
    void inheritableValuesAreCopiedFromTheCreatorWhenTheTaskIsCreated() {
        List<String> seen = Asyncio.run(() -> {
            List<String> log = new ArrayList<>();
            INHERITED.set("parent");
            Task<Void> child = Asyncio.createTask(() -> {
                log.add("child sees " + INHERITED.get());
                INHERITED.set("child");
                Asyncio.sleep(0);
                log.add("child still sees " + INHERITED.get());
            });
            INHERITED.set("parent changed"); // after creation: not seen by the child
            Asyncio.sleep(0);
            log.add("parent sees " + INHERITED.get());
            child.await();
            Task<String> grandchild = Asyncio.createTask(() -> Asyncio.createTask(INHERITED::get).await());
            log.add("grandchild sees " + grandchild.await());
            return log;
        });
        assertEquals(List.of("child sees parent'", "parent sees parent changed", "child still sees child",
                "grandchild sees parent changed''"), seen);
    }

    @Test
    void anEagerTaskHasItsOwnValuesAndLeavesItsCreatorsAlone() {
        List<String> seen = Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            List<String> log = new ArrayList<>();
            LOCAL.set("creator");
            Task<Void> eager = Asyncio.createTask(() -> {
                log.add("eager starts with " + LOCAL.get());
                LOCAL.set("eager");
                Asyncio.sleep(0);
                log.add("eager resumes with " + LOCAL.get());
            });
            log.add("creator sees " + LOCAL.get());
            eager.await();
            return log;
        });
        assertEquals(List.of("eager starts with null", "creator sees creator", "eager resumes with eager"), seen);
    }

    @Test
    void anAsyncGeneratorsBodySeesTheValuesOfTheTaskThatStepsIt() {
        List<String> seen = Asyncio.run(() -> {
            List<String> log = new ArrayList<>();
            AsyncGenerator<String> gen = AsyncGenerator.of(g -> {
                g.emit("body sees " + LOCAL.get());
                Asyncio.sleep(0); // an await inside the body
                LOCAL.set("set by the body");
                g.emit("body sees " + LOCAL.get());
            });
            LOCAL.set("consumer");
            log.add(gen.anext());
            log.add(gen.anext());
            log.add("consumer sees " + LOCAL.get());
            return log;
        });
        assertEquals(List.of("body sees consumer", "body sees set by the body", "consumer sees set by the body"),
                seen);
    }

    @Test
    void anMdcLikeMapFollowsEachRequestAcrossItsAwaits() {
        // What logging frameworks do: a ThreadLocal map of diagnostic values, set per request.
        ThreadLocal<Map<String, String>> mdc = ThreadLocal.withInitial(HashMap::new);
        List<String> lines = Asyncio.run(() -> {
            List<String> log = new ArrayList<>();
            List<Task<Void>> requests = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                int id = n;
                String requestId = "req-" + id;
                int yields = 4 - id; // the last request finishes first
                requests.add(Asyncio.createTask(() -> {
                    mdc.get().put("requestId", requestId);
                    for (int i = 0; i < yields; i++) {
                        Asyncio.sleep(0);
                    }
                    log.add(requestId + " logs with " + mdc.get().get("requestId"));
                }));
            }
            Asyncio.gather(requests).await();
            return log;
        });
        assertEquals(List.of("req-3 logs with req-3", "req-2 logs with req-2", "req-1 logs with req-1"), lines);
    }
}
