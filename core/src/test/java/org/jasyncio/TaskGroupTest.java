package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio.TaskGroup: test_taskgroups.py behaviours, in the lambda and try forms. */
class TaskGroupTest {

    private static Coroutine<Integer> after(double seconds, int value) {
        return () -> {
            Asyncio.sleep(seconds);
            return value;
        };
    }

    private static Coroutine<Integer> failAfter(double seconds, Exception e) {
        return () -> {
            Asyncio.sleep(seconds);
            throw e;
        };
    }

    // ------------------------------------------------------------------ lambda form

    @Test
    void waitsForEveryChild() {
        Asyncio.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            TaskGroup.run(tg -> {
                tasks.add(tg.createTask(after(0.02, 1)));
                tasks.add(tg.createTask(after(0.01, 2)));
            });
            assertEquals(1, tasks.get(0).result());
            assertEquals(2, tasks.get(1).result());
        });
    }

    @Test
    void callReturnsTheBodyValueAfterTheChildren() {
        assertEquals("body", Asyncio.run(() -> TaskGroup.call(tg -> {
            tg.createTask(after(0.01, 1));
            return "body";
        })));
    }

    @Test
    void firstFailureCancelsSiblingsAndTheBody() {
        Asyncio.run(() -> {
            IOException boom = new IOException("boom");
            Task<?>[] sibling = new Task<?>[1];
            Steps steps = new Steps();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                sibling[0] = tg.createTask(after(10, 1));
                tg.createTask(failAfter(0.01, boom));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError c) {
                    steps.expect(1); // the body is cancelled too
                    throw c;
                }
            }));
            steps.finish(2);
            assertEquals(List.of(boom), e.exceptions());
            assertTrue(sibling[0].cancelled());
            assertEquals(0, Asyncio.currentTask().cancelling()); // the group withdrew its cancel
        });
    }

    @Test
    void allFailuresAreCollected() {
        Asyncio.run(() -> {
            IOException a = new IOException("a");
            IllegalStateException b = new IllegalStateException("b");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(failAfter(0.01, a));
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        throw b; // fails while being cancelled
                    }
                });
            }));
            assertEquals(List.of(a, b), e.exceptions());
            assertEquals(2, e.getSuppressed().length);
        });
    }

    @Test
    void bodyExceptionCancelsChildrenAndJoinsTheGroup() {
        Asyncio.run(() -> {
            IOException boom = new IOException("body");
            Task<?>[] child = new Task<?>[1];
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                child[0] = tg.createTask(after(10, 1));
                Asyncio.sleep(0.01);
                throw boom;
            }));
            assertEquals(List.of(boom), e.exceptions());
            assertTrue(child[0].cancelled());
        });
    }

    @Test
    void outerCancellationPropagatesAndCancelsChildren() {
        Asyncio.run(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<Void> t = Asyncio.createTask(() -> TaskGroup.run(tg -> {
                child[0] = tg.createTask(after(10, 1));
                Asyncio.sleep(10);
            }));
            Asyncio.sleep(0.01);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            assertTrue(child[0].cancelled());
        });
    }

    @Test
    void cancellationWhileWaitingForChildrenPropagates() {
        // The body is done; the parent is cancelled while the group waits: children are
        // cancelled, waited for, and the CancelledError is not swallowed.
        Asyncio.run(() -> {
            Steps steps = new Steps();
            Task<Void> t = Asyncio.createTask(() -> TaskGroup.run(tg -> tg.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } finally {
                    Asyncio.sleep(0.01); // slow cleanup, still waited for
                    steps.expect(1);
                }
            })));
            Asyncio.sleep(0.01);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            steps.finish(2);
        });
    }

    @Test
    void failuresWinOverAnOuterCancellationWhichStaysPending() {
        Asyncio.run(() -> {
            IOException boom = new IOException("cleanup");
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    TaskGroup.run(tg -> tg.createTask(() -> {
                        try {
                            Asyncio.sleep(10);
                        } finally {
                            throw boom;
                        }
                    }));
                    fail("no exception");
                } catch (TaskGroupException e) {
                    assertEquals(List.of(boom), e.exceptions());
                    assertEquals(1, Asyncio.currentTask().cancelling()); // still being cancelled
                }
                Asyncio.sleep(10); // the pending cancellation lands here
            });
            Asyncio.sleep(0.01);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
        });
    }

    @Test
    void parentCatchesTheGroupErrorAndCarriesOn() {
        // test_taskgroup_07-style: the group's own cancellation of the parent is withdrawn.
        assertEquals("after", Asyncio.run(() -> {
            try {
                TaskGroup.run(tg -> {
                    tg.createTask(failAfter(0.01, new IOException("x")));
                    Asyncio.sleep(10);
                });
            } catch (TaskGroupException e) {
                // ignored
            }
            Asyncio.sleep(0.01); // not cancelled
            return "after";
        }));
    }

    @Test
    void childCancellationAloneIsNotAnError() {
        Asyncio.run(() -> TaskGroup.run(tg -> {
            Task<Integer> t = tg.createTask(after(10, 1));
            tg.createTask(() -> {
                Asyncio.sleep(0.01);
                t.cancel();
            });
        }));
    }

    @Test
    void createTaskOnAFinishedGroupIsAnError() {
        Asyncio.run(() -> {
            TaskGroup[] saved = new TaskGroup[1];
            TaskGroup.run(tg -> saved[0] = tg);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> saved[0].createTask(after(0, 1)));
            assertTrue(e.getMessage().contains("finished"));
        });
    }

    @Test
    void createTaskOnAnAbortingGroupIsAnError() {
        Asyncio.run(() -> {
            IllegalStateException[] seen = new IllegalStateException[1];
            assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(failAfter(0, new IOException("x")));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError c) {
                    seen[0] = assertThrows(IllegalStateException.class, () -> tg.createTask(after(0, 1)));
                    throw c;
                }
            }));
            assertTrue(seen[0].getMessage().contains("shutting down"));
        });
    }

    @Test
    void childrenMayAddTasksWhileTheGroupWaits() {
        Asyncio.run(() -> {
            List<Integer> order = new ArrayList<>();
            TaskGroup.run(tg -> tg.createTask(() -> {
                Asyncio.sleep(0.01);
                tg.createTask(() -> {
                    Asyncio.sleep(0.01);
                    order.add(2);
                });
                order.add(1);
            }));
            assertEquals(List.of(1, 2), order);
        });
    }

    @Test
    void namedAndRunnableOverloads() {
        Asyncio.run(() -> TaskGroup.run(tg -> {
            Task<Void> t = tg.createTask(() -> Asyncio.sleep(0), "worker");
            assertEquals("worker", t.getName());
            Task<Integer> c = tg.createTask(after(0, 3), "three");
            assertEquals("three", c.getName());
        }));
    }

    @Test
    void underATimeoutTheGroupBecomesATimeout() {
        Asyncio.run(() -> {
            Task<?>[] child = new Task<?>[1];
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.timeout(Duration.ofMillis(10),
                    () -> TaskGroup.run(tg -> child[0] = tg.createTask(after(10, 1)))));
            assertTrue(child[0].cancelled());
        });
    }

    @Test
    void checkedExceptionsAreKeptUnchanged() {
        Asyncio.run(() -> {
            Exception checked = new Exception("checked");
            TaskGroupException e = assertThrows(TaskGroupException.class,
                    () -> TaskGroup.run(tg -> tg.createTask(failAfter(0, checked))));
            assertSame(checked, e.exceptions().get(0));
        });
    }

    @Test
    void aFatalErrorIsRethrownUnwrapped() {
        // asyncio lets SystemExit/KeyboardInterrupt through unwrapped (test_taskgroup_20: the
        // body raises it); here, VirtualMachineError. A child raising one stops the loop
        // itself, as in asyncio (its _test_taskgroup_21): see FatalErrorTest.
        Asyncio.run(() -> {
            StackOverflowError fatal = new StackOverflowError("fatal");
            Task<?>[] sibling = new Task<?>[1];
            assertSame(fatal, assertThrows(StackOverflowError.class, () -> TaskGroup.run(tg -> {
                sibling[0] = tg.createTask(after(10, 1));
                Asyncio.sleep(0);
                throw fatal;
            })));
            assertTrue(sibling[0].cancelled());
        });
    }

    @Test
    void aChildsFatalErrorStopsTheLoop() {
        // asyncio's _test_taskgroup_21: a child's KeyboardInterrupt crashes the event loop.
        StackOverflowError fatal = new StackOverflowError("fatal");
        assertSame(fatal, assertThrows(StackOverflowError.class, () -> Asyncio.run(() -> {
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    throw fatal;
                });
            });
        })));
    }

    @Test
    void outsideATaskIsAnError() {
        assertThrows(IllegalStateException.class, TaskGroup::new);
        assertThrows(IllegalStateException.class, () -> TaskGroup.run(tg -> { }));
    }

    // ------------------------------------------------------------------ cancel() (asyncio 3.15, gh-108951)

    @Test
    void cancelCancelsTheChildrenAndTheBodyAndTheGroupEndsWithoutError() {
        // TaskGroup.cancel(): "cancel() will be called on any tasks in the group that aren't
        // yet done, as well as the parent (body) of the group. This will cause the task group
        // context manager to exit *without* asyncio.CancelledError being raised."
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Task<?>[] children = new Task<?>[2];
            TaskGroup.run(tg -> {
                children[0] = tg.createTask(after(10, 1));
                children[1] = tg.createTask(() -> {
                    Asyncio.sleep(0.01);
                    tg.cancel();
                    log.add("child called cancel");
                });
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    log.add("body cancelled");
                    throw e;
                }
            });
            log.add("after the group");
            assertTrue(children[0].cancelled());
            // The child that called cancel() is a child too: it returns without suspending
            // again, and ends cancelled all the same (asyncio's __step: _must_cancel wins).
            assertTrue(children[1].cancelled());
            Task<?> self = Asyncio.currentTask();
            assertEquals(0, self.cancelling());
            Asyncio.sleep(0); // no cancellation left pending in the enclosing task
            log.add("carried on");
        });
        assertEquals(List.of("child called cancel", "body cancelled", "after the group", "carried on"), log);
    }

    @Test
    void callOfACancelledGroupReturnsNullOrTheBodysValue() {
        Asyncio.run(() -> {
            Integer interrupted = TaskGroup.call(tg -> {
                tg.createTask(() -> {
                    Asyncio.sleep(0);
                    tg.cancel();
                });
                Asyncio.sleep(10);
                return 1;
            });
            assertEquals(null, interrupted);
            // The body cancels the group and returns before suspending again: it keeps its value.
            Task<?>[] child = new Task<?>[1];
            Integer finished = TaskGroup.call(tg -> {
                child[0] = tg.createTask(after(10, 1));
                tg.cancel();
                return 2;
            });
            assertEquals(2, finished);
            assertTrue(child[0].cancelled());
            assertEquals(0, Asyncio.currentTask().cancelling());
            Asyncio.sleep(0);
        });
    }

    @Test
    void aChildFailingAfterCancelStillFailsTheGroup() {
        IOException boom = new IOException("cleanup failed");
        Asyncio.run(() -> {
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError c) {
                        throw boom;
                    }
                });
                Asyncio.sleep(0);
                tg.cancel();
                Asyncio.sleep(10);
            }));
            assertEquals(List.of(boom), e.exceptions());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void aCancellationFromOutsideStillPropagatesAfterCancel() {
        // CPython gh-155433: after tg.cancel(), a timeout that expires while the group waits
        // for its children must still end as a timeout, not be swallowed with the group's own.
        Asyncio.run(() -> {
            assertThrows(AsyncTimeoutException.class, () -> Asyncio.timeout(0.05, () -> {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        try {
                            Asyncio.sleep(3600);
                        } finally {
                            Asyncio.sleep(0.2); // slow clean-up: the timeout expires meanwhile
                        }
                    });
                    Asyncio.sleep(0.01);
                    tg.cancel();
                });
                fail("the body of the timeout must not carry on");
            }));
        });
    }

    @Test
    void cancelIsIdempotentAndDoesNothingOnceTheGroupFinished() {
        Asyncio.run(() -> {
            TaskGroup[] group = new TaskGroup[1];
            TaskGroup.run(tg -> {
                group[0] = tg;
                tg.createTask(after(0, 1));
            });
            group[0].cancel();
            assertEquals(0, Asyncio.currentTask().cancelling(), "a finished group cancels nobody");
            TaskGroup.run(tg -> {
                tg.createTask(after(10, 1));
                tg.cancel();
                tg.cancel();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> tg.createTask(after(0, 2)));
                assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
                assertEquals(1, Asyncio.currentTask().cancelling(), "one request for the body, however many calls");
            });
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void anEagerChildThatCancelsTheGroupInItsFirstStepIsCancelledToo() {
        // CPython gh-155418: with eager tasks, the child runs tg.cancel() inside createTask,
        // before it joined the group; it must still be cancelled, or the group waits forever.
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().setEagerTasks(true);
            Future<Void> never = new Future<>();
            Task<?>[] child = new Task<?>[1];
            Asyncio.waitFor(Asyncio.createTask(() -> {
                TaskGroup.run(tg -> child[0] = tg.createTask(() -> {
                    tg.cancel();
                    never.await();
                }));
                return null;
            }), 5);
            assertTrue(child[0].cancelled());
        });
    }

    @Test
    void tryFormCancelCancelsTheChildrenButNotTheBody() {
        // Documented difference: in the try form the body is not cancelled (close() could not
        // swallow its CancelledError); close() waits for the cancelled children and returns.
        Asyncio.run(() -> {
            Steps steps = new Steps();
            Task<Integer> child;
            try (TaskGroup tg = new TaskGroup()) {
                child = tg.createTask(after(10, 1));
                tg.createTask(() -> {
                    Asyncio.sleep(0);
                    tg.cancel();
                });
                Asyncio.sleep(0.02);
                steps.expect(1);
                assertThrows(IllegalStateException.class, () -> tg.createTask(after(0, 2)));
            }
            steps.finish(2);
            assertTrue(child.cancelled());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    // ------------------------------------------------------------------ try form

    @Test
    void tryFormWaitsForEveryChild() {
        Asyncio.run(() -> {
            Task<Integer> a;
            try (TaskGroup tg = new TaskGroup()) {
                a = tg.createTask(after(0.01, 1));
            }
            assertEquals(1, a.result());
        });
    }

    @Test
    void tryFormFailureCancelsSiblingsAndCloseThrows() {
        Asyncio.run(() -> {
            IOException boom = new IOException("boom");
            Task<Integer> sibling = null;
            try (TaskGroup tg = new TaskGroup()) {
                sibling = tg.createTask(after(10, 1));
                tg.createTask(failAfter(0.01, boom));
            } catch (TaskGroupException e) {
                assertEquals(List.of(boom), e.exceptions());
            }
            assertTrue(sibling.cancelled());
        });
    }

    @Test
    void tryFormDoesNotCancelTheBodyOnAChildFailure() {
        // Documented difference: Java's close() could not replace the body's CancelledError.
        Asyncio.run(() -> {
            Steps steps = new Steps();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(failAfter(0, new IOException("x")));
                    Asyncio.sleep(0.02);
                    steps.expect(1);
                }
            });
            steps.finish(2);
            assertEquals(1, e.exceptions().size());
        });
    }

    @Test
    void tryFormCloseCancelsChildrenWhenTheTaskIsCancelled() {
        Asyncio.run(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<Void> t = Asyncio.createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    child[0] = tg.createTask(after(10, 1));
                    Asyncio.sleep(10);
                }
            });
            Asyncio.sleep(0.01);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(child[0].cancelled());
        });
    }

    @Test
    void tryFormCancellationDuringCloseIsPropagated() {
        Asyncio.run(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<Void> t = Asyncio.createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    child[0] = tg.createTask(after(10, 1));
                }
            });
            Asyncio.sleep(0.01);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            assertTrue(child[0].cancelled());
        });
    }

    @Test
    void tryFormBodyExceptionKeepsCloseFailuresAsSuppressed() {
        Asyncio.run(() -> {
            IOException child = new IOException("child");
            IllegalStateException body = new IllegalStateException("body");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(failAfter(0.01, child));
                    throw body;
                }
            });
            assertSame(body, e);
            TaskGroupException group = assertInstanceOf(TaskGroupException.class, e.getSuppressed()[0]);
            assertEquals(List.of(child), group.exceptions());
        });
    }

    @Test
    void tryFormCreateTaskAfterCloseIsAnError() {
        Asyncio.run(() -> {
            TaskGroup tg = new TaskGroup();
            tg.close();
            assertThrows(IllegalStateException.class, () -> tg.createTask(after(0, 1)));
            tg.close(); // idempotent
        });
    }

    @Test
    void toStringShowsTheState() {
        Asyncio.run(() -> {
            TaskGroup tg = new TaskGroup();
            tg.createTask(after(0.01, 1));
            assertEquals("TaskGroup[entered tasks=1]", tg.toString());
            tg.close();
            assertEquals("TaskGroup[finished]", tg.toString());
            assertFalse(tg.toString().contains("errors"));
        });
    }
}
