/**
 * Strands, what a task's coroutine runs on: a {@code jdk.internal.vm.Continuation} resumed
 * on the loop thread (the default), or a virtual thread handed control one at a time (the
 * fallback). The only code that knows how to suspend a stack; the loop reaches it through
 * {@code org.jasyncio.Suspension}. Not exported by the module.
 */
package org.jasyncio.internal.strand;
