package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jasyncio.sync.Event;
import org.jasyncio.sync.Lock;
import org.jasyncio.sync.Queue;
import org.junit.jupiter.api.Test;

/** EventLoop.dumpTasks() and dumpTaskTree(): asyncio 3.14's ps and pstree (test_tools.py). */
class TaskDumpTest {

    private static void settle() {
        for (int i = 0; i < 5; i++) {
            Asyncio.sleep(0);
        }
    }

    /** The table row of the task named {@code name}. */
    private static String row(String table, String name) {
        return table.lines().filter(l -> l.matches("0x[0-9a-f]+\\s+" + java.util.regex.Pattern.quote(name) + "\\s.*"))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + table));
    }

    @Test
    void eachWaitIsNamedPrecisely() {
        Asyncio.run(() -> {
            Queue<String> queue = new Queue<>();
            Lock lock = new Lock();
            Event event = new Event();
            Future<Void> gate = new Future<>();
            Task<String> consumer = Asyncio.createTask(() -> queue.get(), "consumer");
            Asyncio.createTask(() -> Asyncio.sleep(2.5), "sleeper");
            Task<Void> holder = Asyncio.createTask(() -> {
                lock.acquire();
                gate.await();
            });
            Asyncio.createTask(() -> lock.acquire(), "contender");
            Asyncio.createTask(() -> event.await(), "eventWaiter");
            Asyncio.createTask(() -> consumer.await(), "joiner");
            settle();

            String table = Asyncio.getRunningLoop().dumpTasks();
            List<String> lines = table.lines().toList();
            assertTrue(lines.get(0).matches("event loop \\d+ on thread \".+\" \\((continuation|virtual) strand\\): 7 tasks"),
                    lines.get(0));
            assertTrue(lines.get(1).matches("id\\s+name\\s+state\\s+waits at\\s+on\\s+awaited by"), lines.get(1));
            String consumerRow = row(table, "consumer");
            assertTrue(consumerRow.matches(".*waiting\\s+TaskDumpTest\\.lambda\\$\\S+\\(TaskDumpTest\\.java:\\d+\\)\\s+Queue\\.get\\s+joiner"),
                    consumerRow);
            assertTrue(row(table, "sleeper").contains(" sleep 2.5 s"), table);
            assertTrue(row(table, "contender").contains(" Lock held by " + holder.getName()), table);
            assertTrue(row(table, "eventWaiter").contains(" Event.await"), table);
            assertTrue(row(table, "joiner").matches(".*\\s+consumer\\s+-"), table);
            assertTrue(row(table, holder.getName()).contains(" Future 0x"), "a plain future: kind and id\n" + table);
            assertTrue(row(table, Asyncio.currentTask().getName()).matches(".*\\srunning\\s+TaskDumpTest\\.lambda.*"), table);
            gate.setResult(null);
        });
    }

    @Test
    void compositesAreNamedWithWhatTheyWaitFor() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            Task<Void> a = Asyncio.createTask(() -> {
                gate.await();
            }, "a");
            Task<Void> b = Asyncio.createTask(() -> {
                gate.await();
            }, "b");
            Asyncio.createTask(() -> Asyncio.gather(a, b).await(), "gathering");
            Asyncio.createTask(() -> Asyncio.shield(a).await(), "shielding");
            Asyncio.createTask(() -> Asyncio.wait(List.of(a, b)), "waiting");
            Asyncio.createTask(() -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    gate.await();
                }, "child");
            }), "grouping");
            settle();
            String table = Asyncio.getRunningLoop().dumpTasks();
            assertTrue(row(table, "gathering").contains(" gather of a, b "), table);
            assertTrue(row(table, "shielding").contains(" shield of a "), table);
            assertTrue(row(table, "waiting").contains(" wait(ALL_COMPLETED) for a, b "), table);
            assertTrue(row(table, "grouping").contains(" TaskGroup exit, waiting for child "), table);
            assertTrue(row(table, "a").endsWith(" gathering, shielding, waiting"), table);
            assertTrue(row(table, "child").endsWith(" grouping"), table);
            gate.setResult(null);
        });
    }

    @Test
    void treeHangsTasksUnderTheirAwaiters() {
        Asyncio.run(() -> {
            Future<Void> gate = new Future<>();
            Task<Void> a = Asyncio.createTask(() -> {
                gate.await();
            }, "a");
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(60);
            }, "b");
            Task<?> parent = Asyncio.createTask(() -> Asyncio.gather(a, b).await(), "parent");
            settle();
            String tree = Asyncio.getRunningLoop().dumpTaskTree();
            List<String> lines = tree.lines().toList();
            // One tree per task nobody awaits, oldest first: this task, then parent.
            assertTrue(lines.get(1).startsWith("└── (T) " + Asyncio.currentTask().getName() + "  running at TaskDumpTest"),
                    tree);
            assertTrue(lines.get(2).startsWith("└── (T) parent  waiting at TaskDumpTest.lambda$"), tree);
            assertTrue(lines.get(2).endsWith(" on gather of a, b"), tree);
            assertTrue(lines.get(3).startsWith("    ├── (T) a  waiting at TaskDumpTest.lambda$"), tree);
            assertTrue(lines.get(4).startsWith("    └── (T) b  waiting at TaskDumpTest.lambda$"), tree);
            assertTrue(lines.get(4).endsWith(" on sleep 60 s"), tree);
            assertEquals(5, lines.size(), tree);
            gate.setResult(null);
            parent.cancel();
        });
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void anAwaitCycleIsDrawnAsACycle() {
        Asyncio.run(() -> {
            AtomicReference<Task<?>> second = new AtomicReference<>();
            Task<?> first = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return second.get().await();
            }, "first");
            // Through a shield, so that cancelling second can end the test.
            second.set(Asyncio.createTask(() -> Asyncio.shield(first).await(), "second"));
            Task<?> third = Asyncio.createTask(() -> first.await(), "third");
            settle();
            String tree = Asyncio.getRunningLoop().dumpTaskTree();
            List<String> lines = tree.lines().toList();
            assertEquals("await cycles (each task waits for the next, so none of them can finish):", lines.get(1), tree);
            assertEquals("  first -> second -> first (cycle)", lines.get(2), tree);
            int f = indexOfPrefix(lines, "└── (T) third");
            assertTrue(f > 0, tree);
            assertTrue(lines.get(f + 1).startsWith("    └── (T) first  waiting at TaskDumpTest.lambda$"), tree);
            assertTrue(lines.get(f + 2).startsWith("        └── (T) second  waiting at TaskDumpTest.lambda$"), tree);
            assertTrue(lines.get(f + 2).endsWith(" on shield of first"), tree);
            assertEquals("            └── (T) first (cycle)", lines.get(f + 3), tree);
            assertEquals(f + 4, lines.size(), "the cycle is drawn once, below third\n" + tree);
            second.get().cancel();
            third.cancel();
        });
    }

    @Test
    void aCycleWithNothingAboveItIsStillDrawn() {
        Asyncio.run(() -> {
            AtomicReference<Task<?>> second = new AtomicReference<>();
            Task<?> first = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return second.get().await();
            }, "first");
            second.set(Asyncio.createTask(() -> Asyncio.shield(first).await(), "second"));
            settle();
            String tree = Asyncio.getRunningLoop().dumpTaskTree();
            assertTrue(tree.contains("\n└── (T) first  waiting"), tree);
            assertTrue(tree.contains("\n    └── (T) second  waiting"), tree);
            assertTrue(tree.contains("\n        └── (T) first (cycle)\n"), tree);
            second.get().cancel();
        });
    }

    @Test
    void fromAnotherThreadTheDumpIsMadeOnTheLoop() {
        Asyncio.run(() -> {
            Asyncio.createTask(() -> Asyncio.sleep(60), "sleeper");
            settle();
            EventLoop loop = Asyncio.getRunningLoop();
            CompletableFuture<String> dump = CompletableFuture.supplyAsync(loop::dumpTasks);
            String table = Future.fromCompletionStage(dump).await();
            assertTrue(row(table, "sleeper").contains(" sleep 60 s"), table);
            assertTrue(!table.contains("did not answer"), table);
        });
    }

    @Test
    void aStuckLoopIsReadFromOutside() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.createTask(() -> Asyncio.sleep(60), "sleeper");
            settle();
            CompletableFuture<String> dump = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> dump.complete(loop.dumpTasks()));
            Task<Void> blocker = Asyncio.createTask(() -> {
                Thread.sleep(TaskDump.LOOP_ANSWER_MILLIS + 500); // blocks the loop, as a bug would
            }, "blocker");
            blocker.await();
            String table = dump.join();
            assertTrue(table.startsWith("!! the loop did not answer within 1000 ms"), table);
            assertTrue(row(table, "blocker").matches(".*\\srunning\\s+TaskDumpTest\\.lambda\\$.*"), table);
            assertTrue(row(table, "sleeper").contains(" sleep 60 s"), table);
            assertTrue(table.contains("running task: blocker, stack:\n"), table);
            assertTrue(table.contains("\n    at java.base/java.lang.Thread.sleep("), table);
            assertTrue(table.contains("\n    at org.jasyncio.TaskDumpTest.lambda$aStuckLoopIsReadFromOutside$"), table);
        });
    }

    @Test
    void inDebugModeVirtualStrandThreadsAreNamedAfterTheirTask() {
        try (Runner runner = Runner.builder().debug(true).build()) {
            runner.run(() -> {
                String loopThread = Asyncio.strandName().equals("virtual") ? null : Thread.currentThread().getName();
                Task<String> t = Asyncio.createTask(() -> Thread.currentThread().getName(), "worker-7");
                String name = t.await();
                if (loopThread == null) {
                    assertEquals("jasyncio-strand worker-7", name);
                    Task<String> renamed = Asyncio.createTask(() -> {
                        Asyncio.currentTask().setName("renamed");
                        return Thread.currentThread().getName();
                    });
                    assertEquals("jasyncio-strand renamed", renamed.await());
                } else {
                    assertEquals(loopThread, name, "the continuation strand runs on the loop thread");
                }
            });
        }
    }

    @Test
    void outOfDebugModeStrandThreadsKeepOneNameUnlessATaskIsRenamed() {
        Asyncio.run(() -> {
            if (!Asyncio.strandName().equals("virtual")) {
                return;
            }
            assertEquals("jasyncio-strand", Asyncio.createTask(() -> Thread.currentThread().getName(), "w").await());
            Task<String> renamed = Asyncio.createTask(() -> {
                Asyncio.currentTask().setName("renamed");
                return Thread.currentThread().getName();
            });
            assertEquals("jasyncio-strand renamed", renamed.await());
        });
    }
}
