package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** asyncio.Task: scheduling, names, introspection and results (CPython's test_tasks). */
class TaskTest {

    private final Steps steps = new Steps();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    // ------------------------------------------------------------------ scheduling

    @Test
    void firstStepRunsOnTheNextIterationAfterCreateTask() {
        Asyncio.run(() -> {
            steps.expect(1);
            Task<Void> t = Asyncio.createTask(() -> steps.expect(3));
            steps.expect(2); // createTask never runs the coroutine inline
            assertFalse(t.done());
            t.await();
            steps.expect(4);
        });
        steps.assertFinished(4);
    }

    @Test
    void aTaskStepIsScheduledLikeCallSoon() {
        // create_task schedules the first step with call_soon: FIFO with other callbacks.
        try (EventLoop loop = new EventLoop()) {
            loop.callSoon(() -> log.add("callback before"));
            loop.createTask(() -> log.add("task"));
            loop.callSoon(() -> log.add("callback after"));
            loop.stop();
            loop.runForever();
        }
        assertEquals(List.of("callback before", "task", "callback after"), log);
    }

    @Test
    void seedTaskOrdering() {
        // The seed's section 6: main creates T1 and awaits it; T1 creates T2, calls T3
        // directly (a plain call: no task, no yield), then sleeps; T2 runs while T1 sleeps.
        Asyncio.run(() -> {
            log.add("main start");
            Task<Void> t1 = Asyncio.createTask(() -> {
                log.add("T1 start");
                Asyncio.createTask(() -> {
                    log.add("T2 start");
                    log.add("T2 end");
                });
                t3();
                Asyncio.sleep(0.02);
                log.add("T1 end");
            });
            log.add("main middle");
            t1.await();
            log.add("main end");
        });
        assertEquals(List.of("main start", "main middle", "T1 start", "T3 start", "T3 end", "T2 start", "T2 end",
                "T1 end", "main end"), log);
    }

    private void t3() {
        log.add("T3 start");
        log.add("T3 end");
    }

    @Test
    void tasksInterleaveAtEachSleepZero() {
        Asyncio.run(() -> {
            Task<Void> a = Asyncio.createTask(() -> {
                steps.expect(1);
                Asyncio.sleep(0);
                steps.expect(3);
                Asyncio.sleep(0);
                steps.expect(5);
            });
            Task<Void> b = Asyncio.createTask(() -> {
                steps.expect(2);
                Asyncio.sleep(0);
                steps.expect(4);
                Asyncio.sleep(0);
                steps.expect(6);
            });
            a.await();
            b.await();
        });
        steps.assertFinished(6);
    }

    @Test
    void awaitingADoneTaskContinuesWithoutYielding() {
        Asyncio.run(() -> {
            Task<String> done = Asyncio.createTask(() -> "early");
            Asyncio.sleep(0);
            assertTrue(done.done());
            steps.expect(1);
            Asyncio.createTask(() -> steps.expect(3));
            assertEquals("early", done.await());
            steps.expect(2);
            Asyncio.sleep(0);
            steps.expect(4);
        });
        steps.assertFinished(4);
    }

    @Test
    void anUnreferencedTaskStillRunsToCompletion() {
        Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                log.add("finished");
            });
            System.gc();
            Asyncio.sleep(0.03);
        });
        assertEquals(List.of("finished"), log);
    }

    @Test
    void aTasksInterruptStatusIsItsOwn() {
        // Same on both strands: a task that interrupts itself keeps the status across its
        // awaits, other tasks do not see it, and the loop does not take it for an interrupt
        // from outside (which would cancel the main task).
        String r = Asyncio.run(() -> {
            Task<String> self = Asyncio.createTask(() -> {
                Thread.currentThread().interrupt();
                Asyncio.sleep(0.02);
                Asyncio.sleep(0);
                return "kept=" + Thread.interrupted() + ", after clearing=" + Thread.currentThread().isInterrupted();
            });
            Task<Boolean> other = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                return Thread.currentThread().isInterrupted();
            });
            assertEquals("kept=true, after clearing=false", self.await());
            assertFalse(other.await(), "another task saw the interrupt");
            assertFalse(Thread.currentThread().isInterrupted(), "main saw the interrupt");
            return "main not cancelled";
        });
        assertEquals("main not cancelled", r);
        assertFalse(Thread.interrupted(), "the interrupt leaked out of Asyncio.run");
    }

    // ------------------------------------------------------------------ names

    @Test
    void defaultNamesAreTaskN() {
        Asyncio.run(() -> {
            Task<Integer> a = Asyncio.createTask(() -> 1);
            Task<Integer> b = Asyncio.createTask(() -> 2);
            assertTrue(a.getName().matches("Task-\\d+"), a.getName());
            assertTrue(b.getName().matches("Task-\\d+"), b.getName());
            assertFalse(a.getName().equals(b.getName()));
            assertEquals(a.getName(), a.getName(), "a name is stable");
            Asyncio.gather(a, b).await();
        });
    }

    @Test
    void defaultNameNumbersFollowCreationOrder() {
        // CPython test_task_repr_autogenerated: autogenerated names increase monotonically,
        // whichever task is asked for its name first.
        Asyncio.run(() -> {
            Task<Integer> first = Asyncio.createTask(() -> 1);
            Task<Integer> named = Asyncio.createTask(() -> 2, "named");
            Task<Integer> second = Asyncio.createTask(() -> 3);
            String secondName = second.getName();
            String firstName = first.getName();
            long n1 = Long.parseLong(firstName.substring("Task-".length()));
            long n2 = Long.parseLong(secondName.substring("Task-".length()));
            assertTrue(n1 < n2, firstName + " was created before " + secondName);
            assertEquals("named", named.getName());
            Asyncio.gather(first, named, second).await();
        });
    }

    @Test
    void customNamesAndSetName() {
        Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 1, "worker");
            assertEquals("worker", t.getName());
            t.setName("renamed");
            assertEquals("renamed", t.getName());
            assertTrue(t.toString().contains("renamed"), t.toString());
            Task<Void> r = Asyncio.createTask(() -> { }, "runnable");
            assertEquals("runnable", r.getName());
            t.await();
            r.await();
        });
    }

    // ------------------------------------------------------------------ introspection

    @Test
    void currentTaskInsideIsTheTaskAndOutsideIsNull() {
        assertNull(Asyncio.currentTask());
        Asyncio.run(() -> {
            Task<?> main = Asyncio.currentTask();
            assertNotNull(main);
            Task<?>[] inner = new Task<?>[2];
            Task<Void> t = Asyncio.createTask(() -> {
                inner[0] = Asyncio.currentTask();
                Asyncio.sleep(0);
                inner[1] = Asyncio.currentTask(); // still itself after a suspension
            });
            t.await();
            assertSame(t, inner[0]);
            assertSame(t, inner[1]);
            assertSame(main, Asyncio.currentTask());
            assertSame(main, Asyncio.getRunningLoop().currentTask());
        });
        assertNull(Asyncio.currentTask());
    }

    @Test
    void currentTaskInAPlainCallbackIsNull() {
        Asyncio.run(() -> {
            Future<Task<?>> seen = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> seen.setResult(Asyncio.currentTask()));
            assertNull(seen.await());
        });
    }

    @Test
    void allTasksHoldsThePendingTasksOnly() {
        Asyncio.run(() -> {
            Task<?> main = Asyncio.currentTask();
            Future<Void> release = new Future<>();
            Task<Integer> quick = Asyncio.createTask(() -> 1);
            Task<Void> slow = Asyncio.createTask(() -> release.await());
            assertEquals(Set.of(main, quick, slow), Asyncio.allTasks());
            quick.await();
            assertEquals(Set.of(main, slow), Asyncio.allTasks());
            release.setResult(null);
            slow.await();
            assertEquals(Set.of(main), Asyncio.allTasks());
            assertEquals(Set.of(main), Asyncio.getRunningLoop().allTasks());
        });
    }

    @Test
    void allTasksIsInCreationOrder() {
        Asyncio.run(() -> {
            Task<?> main = Asyncio.currentTask();
            List<Task<?>> expected = new ArrayList<>(List.of(main));
            for (int i = 0; i < 5; i++) {
                expected.add(Asyncio.createTask(() -> Asyncio.sleep(0.01)));
            }
            assertEquals(expected, new ArrayList<>(Asyncio.allTasks()));
            Asyncio.sleep(0.02);
        });
    }

    @Test
    void allTasksOutsideALoopIsRejected() {
        assertThrows(IllegalStateException.class, Asyncio::allTasks);
    }

    @Test
    void getStackOfASuspendedTaskNamesWhereItWaits() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(TaskTest::waitHere);
            Asyncio.sleep(0);
            boolean found = false;
            for (StackTraceElement e : t.getStack()) {
                found |= e.getMethodName().equals("waitHere");
            }
            assertTrue(found, "stack should name waitHere");
            t.cancel();
        });
    }

    private static void waitHere() {
        Asyncio.sleep(10);
    }

    // ------------------------------------------------------------------ results

    @Test
    void taskResultIsTheCoroutinesValue() {
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> "value");
            assertEquals("value", t.await());
            assertTrue(t.done());
            assertFalse(t.cancelled());
            assertEquals("value", t.result());
            assertNull(t.exception());
            assertNull(t.getCoro(), "a done task drops its coroutine");
        });
    }

    @Test
    void taskExceptionIsTheCoroutinesExceptionUnchanged() {
        IOException boom = new IOException("boom");
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                throw boom;
            });
            try {
                t.await();
            } catch (Exception e) {
                assertSame(boom, e);
            }
            assertTrue(t.done());
            assertFalse(t.cancelled());
            assertSame(boom, t.exception());
        });
    }

    @Test
    void anErrorInATaskIsItsExceptionToo() {
        AssertionError boom = new AssertionError("boom");
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(AssertionError.class, t::await));
        });
    }

    @Test
    void aTaskWaitingOnAnotherReturnsItsResult() {
        int r = Asyncio.run(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                return 20;
            });
            Task<Integer> outer = Asyncio.createTask(() -> inner.await() + 1);
            return outer.await() * 2;
        });
        assertEquals(42, r);
    }

    @Test
    void aTaskAwaitingItselfIsRejected() {
        Asyncio.run(() -> {
            Future<Task<?>> self = new Future<>();
            Task<Object> t = Asyncio.createTask(() -> self.await().await());
            self.setResult(t);
            IllegalStateException e = assertThrows(IllegalStateException.class, t::await);
            assertTrue(e.getMessage().contains("itself"), e.getMessage());
        });
    }

    @Test
    void tasksCannotBeCompletedFromOutside() {
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> "own result");
            assertThrows(UnsupportedOperationException.class, () -> t.setResult("forced"));
            assertThrows(UnsupportedOperationException.class, () -> t.setException(new RuntimeException()));
            assertEquals("own result", t.await());
        });
    }

    @Test
    void createTaskOutsideALoopIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.createTask(() -> 1));
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    @Test
    void createTaskRejectsNull() {
        Asyncio.run(() -> {
            assertThrows(NullPointerException.class, () -> Asyncio.createTask((Coroutine<Object>) null));
            assertThrows(NullPointerException.class, () -> Asyncio.createTask((AsyncRunnable) null));
        });
    }

    @Test
    void aTaskStartsWithAClearInterruptStatusEvenOnAReusedStrand() {
        // Strands are pooled; an interrupt a finished task left set must not reach the next task.
        boolean[] seen = new boolean[1];
        Asyncio.run(() -> {
            Asyncio.createTask(() -> Thread.currentThread().interrupt()).await();
            seen[0] = Asyncio.createTask(() -> Thread.currentThread().isInterrupted()).await();
        });
        assertFalse(seen[0]);
    }
}
