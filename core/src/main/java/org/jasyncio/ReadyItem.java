package org.jasyncio;

/**
 * What the loop's ready queue holds: the {@link Handle} of a callback to call, a {@link Task}
 * whose next step is due, or a due {@link Sleep.SleepFuture} (a sleep's timer and future in one
 * object). asyncio's ready queue holds only handles (a task schedules its step as a
 * bound-method handle, a sleep is a timer handle completing a future); a task queued as itself
 * costs no allocation per step, and a sleep one object instead of two.
 */
sealed interface ReadyItem permits Handle, Task, Sleep.SleepFuture {
}
