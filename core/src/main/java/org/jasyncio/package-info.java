/**
 * The event loop, futures, tasks and their composition: asyncio's {@code events},
 * {@code base_events}, {@code futures}, {@code tasks}, {@code timeouts}, {@code taskgroups},
 * {@code runners} and {@code threads} modules, and {@code contextvars}.
 *
 * <p>{@link org.jasyncio.Asyncio} holds asyncio's module-level functions ({@code run},
 * {@code sleep}, {@code createTask}, {@code gather}, {@code waitFor}, {@code timeout},
 * {@code shield}, {@code toThread}, ...). {@link org.jasyncio.EventLoop} is the scheduler:
 * callbacks, timers, I/O readiness, the life cycle and the exception handler.
 * {@link org.jasyncio.Future} and {@link org.jasyncio.Task} are the awaitables. The
 * scheduler's parts (the selector wrapper, the timer heap, the ready queue, the task list,
 * the one door through which tasks suspend) are package-private.
 *
 * <p>This package is the bottom layer: {@code sync}, {@code net}, {@code streams} and
 * {@code process} build on it, and it depends on none of them, except that the
 * {@code Asyncio.openConnection}/{@code startServer} façade methods return stream types.
 *
 * <p>Threads: a loop and everything bound to it belong to the loop's thread. The calls safe
 * from any thread are named in each type's Javadoc ({@code callSoonThreadsafe},
 * {@code runCoroutineThreadsafe}, {@code EventLoop.execute}, {@code stop}, and
 * {@code cancel} on futures and tasks).
 */
package org.jasyncio;
