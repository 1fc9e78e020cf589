package org.jasyncio.internal.strand;

/**
 * A task's two ThreadLocal maps (opaque {@code ThreadLocal.ThreadLocalMap}s, either may be
 * null) while they are not on a thread: what {@link Strands#inheritLocals()} hands a new task,
 * and what {@link ContinuationStrand} keeps for it between its steps. The task holds it as an
 * opaque {@code Object}; a task that never touches a ThreadLocal holds none at all.
 *
 * @param locals      the {@code Thread.threadLocals} map, or null
 * @param inheritable the {@code Thread.inheritableThreadLocals} map, or null
 */
record ThreadLocalMaps(Object locals, Object inheritable) {

    /**
     * The maps as a task keeps them: null when both are null, {@code m} itself when it holds
     * these very maps (the common case, so that a step allocates nothing), else a new record.
     */
    static ThreadLocalMaps of(ThreadLocalMaps m, Object locals, Object inheritable) {
        if (locals == null && inheritable == null) {
            return null;
        }
        return m != null && m.locals == locals && m.inheritable == inheritable ? m
                : new ThreadLocalMaps(locals, inheritable);
    }
}
