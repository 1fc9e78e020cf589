package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task.cancel / uncancel / cancelling: CPython test_tasks' cancellation facts. */
class TaskCancellationTest {

    @Test
    void cancellingATaskInACycleOfAwaitsCancelsEveryTaskOfTheCycle() {
        // asyncio forwards cancel() to the awaited task, which forwards it back round the cycle
        // until RecursionError; here the cancellation comes back to the first task, which stops
        // waiting and ends cancelled, and the others see it done (a deliberate difference).
        Asyncio.run(() -> {
            Task<?>[] t = new Task<?>[3];
            t[0] = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return t[1].await();
            }, "A");
            t[1] = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return t[2].await();
            }, "B");
            t[2] = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return t[0].await();
            }, "C");
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(t[1].cancel("stop"));
            for (Task<?> task : t) {
                assertThrows(CancelledError.class, task::await);
            }
            for (Task<?> task : t) {
                assertTrue(task.cancelled(), task.toString());
            }
        });
    }

    private final Steps steps = new Steps();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void cancelBeforeTheFirstStepMeansTheCoroutineNeverRuns() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                log.add("ran");
            });
            assertTrue(t.cancel());
            assertFalse(t.done(), "cancellation is delivered by the next step, not inline");
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
        assertEquals(List.of(), log);
    }

    @Test
    void cancelBeforeTheFirstStepCarriesTheMessage() {
        Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 1);
            t.cancel("before start");
            assertEquals("before start", assertThrows(CancelledError.class, t::await).getMessage());
        });
    }

    @Test
    void aSecondCancelBeforeTheTaskResumesDeliversTheLatestMessage() {
        // CPython: the first cancel cancels the awaited future; the second cannot, so it sets
        // _must_cancel with its own message, which the next step throws.
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(0);
            assertTrue(t.cancel("first"));
            assertTrue(t.cancel("second"));
            assertEquals(2, t.cancelling());
            assertEquals("second", assertThrows(CancelledError.class, t::await).getMessage());
        });
    }

    @Test
    void cancelWhileSleepingThrowsAtTheSuspensionPointWithTheMessage() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    log.add("slept");
                } catch (CancelledError e) {
                    log.add("cancelled: " + e.getMessage());
                    throw e;
                }
            });
            Asyncio.sleep(0);
            assertTrue(t.cancel("go away"));
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertEquals("go away", e.getMessage());
            assertTrue(t.cancelled());
            assertEquals("go away", assertThrows(CancelledError.class, t::result).getMessage());
        });
        assertEquals(List.of("cancelled: go away"), log);
    }

    @Test
    void cancelWhileYieldingThrowsAtTheSleepZero() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                steps.expect(2);
                try {
                    Asyncio.sleep(0);
                } finally {
                    steps.expect(4);
                }
                steps.expect(99); // never reached
            });
            steps.expect(1);
            Asyncio.sleep(0);
            steps.expect(3);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            steps.expect(5);
        });
        steps.assertFinished(5);
    }

    @Test
    void aTaskThatCatchesCancellationAndReturnsIsNotCancelled() {
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    return "slept";
                } catch (CancelledError e) {
                    return "caught";
                }
            });
            Asyncio.sleep(0);
            assertTrue(t.cancel());
            assertEquals("caught", t.await());
            assertFalse(t.cancelled());
            // The request is still counted until uncancel() (asyncio 3.11+).
            assertEquals(1, t.cancelling());
        });
    }

    @Test
    void cancellingCountsRequestsAndUncancelWithdrawsThem() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            assertEquals(0, t.cancelling());
            assertTrue(t.cancel());
            assertTrue(t.cancel());
            assertEquals(2, t.cancelling());
            assertEquals(1, t.uncancel());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.uncancel(), "uncancel never goes below zero");
            t.cancel();
            assertThrows(CancelledError.class, t::await);
        });
    }

    @Test
    void uncancelToZeroBeforeTheFirstStepWithdrawsTheCancellation() {
        // asyncio 3.13: uncancel() reaching zero clears a cancellation not yet delivered.
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> "ran normally");
            t.cancel();
            assertEquals(0, t.uncancel());
            assertEquals("ran normally", t.await());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void aTaskCanUncancelItselfAndCarryOn() {
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.currentTask().uncancel();
                }
                Asyncio.sleep(0); // suspends normally again
                return "carried on, cancelling=" + Asyncio.currentTask().cancelling();
            });
            Asyncio.sleep(0);
            t.cancel();
            assertEquals("carried on, cancelling=0", t.await());
        });
    }

    @Test
    void cancelOfADoneTaskReturnsFalse() {
        Asyncio.run(() -> {
            Task<Integer> t = Asyncio.createTask(() -> 1);
            t.await();
            assertFalse(t.cancel());
            assertFalse(t.cancelled());
            assertEquals(0, t.cancelling());
            assertEquals(1, t.result());

            Task<Integer> c = Asyncio.createTask(() -> 1);
            c.cancel();
            assertThrows(CancelledError.class, c::await);
            assertFalse(c.cancel(), "a cancelled task is done");
        });
    }

    @Test
    void aTaskThatCancelsItselfAndReturnsEndsCancelled() {
        // asyncio test_cancel_current_task: the request made during the step wins at its end.
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                assertTrue(Asyncio.currentTask().cancel("self"));
                log.add("still running");
                return "ignored";
            });
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            assertEquals("self", e.getMessage());
        });
        assertEquals(List.of("still running"), log);
    }

    @Test
    void aTaskThatCancelsItselfGetsCancelledErrorAtItsNextSuspension() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                try {
                    Asyncio.sleep(10);
                    log.add("slept");
                } catch (CancelledError e) {
                    log.add("cancelled at sleep");
                    throw e;
                }
            });
            long start = System.nanoTime();
            assertThrows(CancelledError.class, t::await);
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "the sleep was not cut short");
        });
        assertEquals(List.of("cancelled at sleep"), log);
    }

    @Test
    void cancellingATaskThatAwaitsAnotherTaskCancelsThatTaskToo() {
        Asyncio.run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    log.add("inner cancelled: " + e.getMessage());
                    throw e;
                }
            });
            Task<Void> outer = Asyncio.createTask(() -> {
                try {
                    inner.await();
                } catch (CancelledError e) {
                    log.add("outer cancelled: " + e.getMessage());
                    throw e;
                }
            });
            Asyncio.sleep(0);
            assertTrue(outer.cancel("stop"));
            assertThrows(CancelledError.class, outer::await);
            assertTrue(inner.cancelled());
            assertTrue(outer.cancelled());
        });
        assertEquals(List.of("inner cancelled: stop", "outer cancelled: stop"), log);
    }

    @Test
    void cancellingATaskWaitingOnAFutureCancelsTheFuture() {
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            Task<String> t = Asyncio.createTask(f::await);
            Asyncio.sleep(0);
            assertTrue(t.cancel("msg"));
            assertTrue(f.cancelled(), "the future the task waits on is cancelled at once");
            assertEquals("msg", assertThrows(CancelledError.class, f::result).getMessage());
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
    }

    @Test
    void aTaskIgnoringCancellationOfTheFutureItAwaitsIsNotCancelled() {
        // The future was cancelled, the task caught that and returned: asyncio's
        // test_cancel_task_ignoring.
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    return f.await();
                } catch (CancelledError e) {
                    Asyncio.sleep(0);
                    return "survived";
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            assertEquals("survived", t.await());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void cancellingTheInnerFutureOnlyFailsTheAwaitWithCancelledError() {
        // The task itself was not cancelled: its await throws, and it may carry on.
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    return f.await();
                } catch (CancelledError e) {
                    return "future was cancelled; task cancelling=" + Asyncio.currentTask().cancelling();
                }
            });
            Asyncio.sleep(0);
            f.cancel();
            assertEquals("future was cancelled; task cancelling=0", t.await());
        });
    }

    @Test
    void cancelAfterTheAwaitedFutureCompletedButBeforeTheTaskResumedStillCancels() {
        // The wakeup is already scheduled, so the future cannot be cancelled: the task gets
        // CancelledError instead of the result when it resumes (asyncio's _must_cancel).
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            Task<String> t = Asyncio.createTask(f::await);
            Asyncio.sleep(0);
            f.setResult("too late");
            assertTrue(t.cancel("wins"));
            assertEquals("wins", assertThrows(CancelledError.class, t::await).getMessage());
            assertTrue(t.cancelled());
            assertEquals("too late", f.result());
        });
    }

    @Test
    void cancellingBothTheInnerFutureAndTheTaskCancelsTheTask() {
        // CPython test_cancel_both_task_and_inner_future.
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            Task<String> t = Asyncio.createTask(() -> {
                f.await();
                return "not cancelled";
            });
            Asyncio.sleep(0);
            f.cancel();
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(f.cancelled());
            assertTrue(t.cancelled());
        });
    }

    @Test
    void finallyBlocksRunOnCancellation() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    log.add("finally");
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
        });
        assertEquals(List.of("finally"), log);
    }

    @Test
    void theAwaiterSeesTheSameCancelledErrorTheTaskEndedWith() {
        Asyncio.run(() -> {
            CancelledError[] thrownInside = new CancelledError[1];
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    thrownInside[0] = e;
                    throw e;
                }
            });
            Asyncio.sleep(0);
            t.cancel("why");
            CancelledError seen = assertThrows(CancelledError.class, t::await);
            assertSame(thrownInside[0], seen);
        });
    }

    @Test
    void cancelledErrorIsNotCaughtByCatchException() {
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    return "slept";
                } catch (Exception e) {
                    return "swallowed";
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
        });
    }

    @Test
    void cancelOfATaskThatNeverRanLeavesNoPendingTask() {
        Asyncio.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> { });
            t.cancel();
            Asyncio.sleep(0);
            assertTrue(t.done());
            assertFalse(Asyncio.allTasks().contains(t));
            assertNull(t.getCoro());
        });
    }
    // ------------------------------------------------ the message, through composition

    /** A task that sleeps until cancelled and records the CancelledError it ends with. */
    private static Task<Void> sleeperRecording(CancelledError[] thrownInside) {
        return Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                thrownInside[0] = e;
                throw e;
            }
        });
    }

    @Test
    void theCancelMessageReachesTheAwaiterThroughWaitFor() {
        // bpo-45390 (3.11): the message is propagated from the cancelled task to its awaiter;
        // CPython test_tasks' test_cancel_with_message_then_future_result. The awaiter gets
        // the very exception the inner task ended with (asyncio's _make_cancelled_error hands
        // the saved _cancelled_exc to its first retriever).
        Asyncio.run(() -> {
            CancelledError[] thrownInside = new CancelledError[1];
            Task<Void> inner = sleeperRecording(thrownInside);
            Task<Void> outer = Asyncio.createTask(() -> Asyncio.waitFor(inner, 10));
            Asyncio.sleep(0);
            outer.cancel("stop");
            CancelledError seen = assertThrows(CancelledError.class, outer::await);
            assertSame(thrownInside[0], seen);
            assertEquals("stop", seen.getMessage());
            assertTrue(inner.cancelled());
        });
    }

    @Test
    void theCancelMessageReachesTheAwaiterThroughGather() {
        // CPython test_tasks' test_cancel_gather_2: cancelling a task that awaits gather()
        // cancels the children with the message, and the awaiter's CancelledError carries it
        // (it is the child's own exception, taken by gather's done callback).
        Asyncio.run(() -> {
            CancelledError[] thrownInside = new CancelledError[1];
            Task<Void> child = sleeperRecording(thrownInside);
            Task<List<Object>> outer = Asyncio.createTask(() -> Asyncio.gather(child).await());
            Asyncio.sleep(0);
            outer.cancel("stop");
            CancelledError seen = assertThrows(CancelledError.class, outer::await);
            assertSame(thrownInside[0], seen);
            assertEquals("stop", seen.getMessage());
        });
    }

    @Test
    void theCancelMessageReachesTheAwaiterThroughATaskGroup() {
        // A task cancelled from outside while its TaskGroup body waits: the group cancels its
        // children, waits for them, and the body's CancelledError (with the message) leaves
        // the group unchanged, as it leaves asyncio's async with.
        Asyncio.run(() -> {
            CancelledError[] inBody = new CancelledError[1];
            Task<Void> outer = Asyncio.createTask(() -> TaskGroup.run(tg -> {
                tg.createTask(() -> Asyncio.sleep(10));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    inBody[0] = e;
                    throw e;
                }
            }));
            Asyncio.sleep(0);
            outer.cancel("stop");
            CancelledError seen = assertThrows(CancelledError.class, outer::await);
            assertSame(inBody[0], seen);
            assertEquals("stop", seen.getMessage());
        });
    }

    @Test
    void laterRetrieversOfACancelledTaskGetAFreshErrorWithTheSameMessage() {
        // Deliberate difference (docs/asyncio-mapping.md): asyncio's Task ends with
        // Future.cancel() without the message and keeps the original error only for its first
        // retriever, so a second await of the task raises a CancelledError with no message
        // (and gather's return_exceptions list holds CancelledError('')); here every later
        // retriever gets a new CancelledError that still carries the message.
        Asyncio.run(() -> {
            CancelledError[] thrownInside = new CancelledError[1];
            Task<Void> t = sleeperRecording(thrownInside);
            Asyncio.sleep(0);
            t.cancel("why");
            CancelledError first = assertThrows(CancelledError.class, t::await);
            CancelledError second = assertThrows(CancelledError.class, t::await);
            CancelledError third = assertThrows(CancelledError.class, t::result);
            assertSame(thrownInside[0], first);
            assertNotSame(first, second);
            assertNotSame(second, third);
            assertEquals("why", second.getMessage());
            assertEquals("why", third.getMessage());
            List<Object> gathered = Asyncio.gatherReturnExceptions(t).await();
            assertEquals("why", ((CancelledError) gathered.get(0)).getMessage());
        });
    }
}
