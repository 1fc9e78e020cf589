package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Eager tasks: asyncio's eager_task_factory (test_eager_task_factory.py behaviours). */
class EagerTaskTest {

    @Test
    void offByDefault() {
        Asyncio.run(() -> {
            assertFalse(Asyncio.getRunningLoop().isEagerTasks());
            Task<Integer> t = Asyncio.createTask(() -> 1);
            assertFalse(t.done()); // first step on the next iteration
            assertEquals(1, t.await());
        });
    }

    @Test
    void aTaskThatNeverSuspendsIsDoneWhenCreateTaskReturns() {
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Task<Integer> t = Asyncio.createTask(() -> 42);
            assertTrue(t.done());
            assertEquals(42, t.result());
            assertFalse(Asyncio.allTasks().contains(t));
        });
    }

    @Test
    void runsSynchronouslyUntilTheFirstSuspension() {
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Steps steps = new Steps();
            Task<?> creator = Asyncio.currentTask();
            steps.expect(1);
            Task<Void> t = Asyncio.createTask(() -> {
                steps.expect(2);
                assertEquals("child", Asyncio.currentTask().getName());
                Asyncio.sleep(0);
                steps.expect(4);
            }, "child");
            steps.expect(3);
            assertSame(creator, Asyncio.currentTask());
            assertFalse(t.done());
            t.await();
            steps.finish(5);
        });
    }

    @Test
    void anImmediateFailureIsRecorded() {
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            IOException boom = new IOException("boom");
            Task<Void> t = Asyncio.createTask(() -> {
                throw boom;
            });
            assertTrue(t.done());
            assertSame(boom, t.exception());
        });
    }

    @Test
    void eagerTasksNest() {
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Task<Integer> outer = Asyncio.createTask(() -> {
                Task<Integer> inner = Asyncio.createTask(() -> 2);
                assertTrue(inner.done());
                return inner.result() + 1;
            });
            assertTrue(outer.done());
            assertEquals(3, outer.result());
        });
    }

    @Test
    void gatherOfEagerTasks() {
        assertEquals(List.of(1, 2), Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Task<Integer> a = Asyncio.createTask(() -> 1);
            Task<Integer> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                return 2;
            });
            return Asyncio.gather(List.of(a, b)).await();
        }));
    }

    @Test
    void taskGroupCountsAChildThatFinishedEagerly() {
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            IOException boom = new IOException("eager");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                Task<Void> t = tg.createTask(() -> {
                    throw boom;
                });
                assertTrue(t.done());
                Asyncio.sleep(10); // cancelled by the group
            }));
            assertEquals(List.of(boom), e.exceptions());
        });
    }

    @Test
    void anEagerChildFailureCancelsTheBodyOnlyAtItsNextSuspension() {
        // CPython gh-128550: the group learns of the failure through the done callback.
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Steps steps = new Steps();
            assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    throw new IOException("eager");
                });
                steps.expect(1);
                assertEquals(0, Asyncio.currentTask().cancelling()); // not yet
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    steps.expect(2);
                    throw e;
                }
            }));
            steps.finish(3);
        });
    }

    @Test
    void aTaskCreatedBeforeTheLoopRunsIsNotEager() {
        EventLoop loop = new EventLoop();
        try {
            loop.setEagerTasks(true);
            Task<Integer> t = loop.createTask(() -> 1);
            assertFalse(t.done());
            assertEquals(1, loop.runUntilComplete(t));
        } finally {
            loop.close();
        }
    }

    @Test
    void eagerTaskCancelledAtItsFirstSuspension() {
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            assertFalse(t.done());
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
    }
}
