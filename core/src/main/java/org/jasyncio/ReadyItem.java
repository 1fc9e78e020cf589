package org.jasyncio;

/**
 * What the loop's ready queue holds: the {@link Handle} of a callback to call, or a
 * {@link Task} whose next step is due. asyncio's ready queue holds only handles (a task
 * schedules its step as a bound-method handle); a task queued as itself costs no allocation
 * per step.
 */
sealed interface ReadyItem permits Handle, Task {
}
