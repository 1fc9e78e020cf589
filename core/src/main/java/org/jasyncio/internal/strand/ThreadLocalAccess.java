package org.jasyncio.internal.strand;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Method handles onto a thread's two {@code ThreadLocal} maps ({@code Thread.threadLocals} and
 * {@code Thread.inheritableThreadLocals}) and onto {@code ThreadLocal.createInheritedMap}, looked
 * up once at class initialisation. They let a strand give each task a {@code ThreadLocal} map of
 * its own: the continuation strand swaps the task's maps onto the loop thread for each step, the
 * virtual strand gives each body on a pooled thread fresh maps.
 *
 * <p>How this works: the fields and the factory are package-private members of
 * {@code java.lang}, reachable only through {@link MethodHandles#privateLookupIn}, which succeeds
 * only when {@code java.base} opens {@code java.lang} to this library: the JVM flag
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} ({@code =org.jasyncio} on the module
 * path), or {@code Add-Opens: java.base/java.lang} in the manifest of an executable jar started
 * with {@code java -jar}. JDK 25 offers no other way without a warning: {@code JavaLangAccess}
 * has no accessor for these maps, and {@code sun.misc.Unsafe}'s field access prints a
 * deprecation warning. A map is handled as an opaque {@code Object}. The handles are
 * {@code static final}, so the JIT inlines them into plain field loads and stores.
 */
final class ThreadLocalAccess {

    /**
     * The flag that gives tasks ThreadLocals of their own, for jasyncio as this JVM loaded it:
     * {@code ...=ALL-UNNAMED} from the class path, {@code ...=org.jasyncio} from the module path.
     */
    static final String OPENS_FLAG = opensFlag(ThreadLocalAccess.class.getModule());

    private static final MethodHandle GET_LOCALS;
    private static final MethodHandle SET_LOCALS;
    private static final MethodHandle GET_INHERITABLE;
    private static final MethodHandle SET_INHERITABLE;
    private static final MethodHandle INHERIT;
    private static final Throwable UNAVAILABLE;
    /** Whether the handles resolved; a constant the JIT folds. */
    static final boolean AVAILABLE;

    static {
        MethodHandle getLocals = null, setLocals = null, getInheritable = null, setInheritable = null, inherit = null;
        Throwable failure = null;
        try {
            Class<?> mapClass = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            MethodHandles.Lookup thread = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            MethodType getter = MethodType.methodType(Object.class, Thread.class);
            MethodType setter = MethodType.methodType(void.class, Thread.class, Object.class);
            getLocals = thread.findGetter(Thread.class, "threadLocals", mapClass).asType(getter);
            setLocals = thread.findSetter(Thread.class, "threadLocals", mapClass).asType(setter);
            getInheritable = thread.findGetter(Thread.class, "inheritableThreadLocals", mapClass).asType(getter);
            setInheritable = thread.findSetter(Thread.class, "inheritableThreadLocals", mapClass).asType(setter);
            inherit = MethodHandles.privateLookupIn(ThreadLocal.class, MethodHandles.lookup())
                    .findStatic(ThreadLocal.class, "createInheritedMap", MethodType.methodType(mapClass, mapClass))
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (Throwable t) {
            failure = t;
        }
        GET_LOCALS = getLocals;
        SET_LOCALS = setLocals;
        GET_INHERITABLE = getInheritable;
        SET_INHERITABLE = setInheritable;
        INHERIT = inherit;
        UNAVAILABLE = failure;
        AVAILABLE = failure == null;
    }

    private ThreadLocalAccess() {
    }

    /** The {@code --add-opens} flag that opens {@code java.lang} to code of {@code module}. */
    static String opensFlag(Module module) {
        return "--add-opens java.base/java.lang=" + Strands.flagTarget(module);
    }

    /** Null when the maps are reachable, else why not. */
    static Throwable unavailability() {
        return UNAVAILABLE;
    }

    /** {@code t}'s ThreadLocal map, or null if it has none yet. Only when {@link #AVAILABLE}. */
    static Object locals(Thread t) {
        try {
            return (Object) GET_LOCALS.invokeExact(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Installs {@code map} (null: none) as {@code t}'s ThreadLocal map. Only when {@link #AVAILABLE}. */
    static void setLocals(Thread t, Object map) {
        try {
            SET_LOCALS.invokeExact(t, map);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code t}'s InheritableThreadLocal map, or null. Only when {@link #AVAILABLE}. */
    static Object inheritable(Thread t) {
        try {
            return (Object) GET_INHERITABLE.invokeExact(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Installs {@code map} (null: none) as {@code t}'s InheritableThreadLocal map. Only when {@link #AVAILABLE}. */
    static void setInheritable(Thread t, Object map) {
        try {
            SET_INHERITABLE.invokeExact(t, map);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a thread started now by the current thread would inherit: a copy of the current
     * thread's InheritableThreadLocal map with each value passed through
     * {@code InheritableThreadLocal.childValue}, as {@code Thread}'s constructor makes it; null
     * if there is nothing to inherit or the maps are not reachable.
     */
    static ThreadLocalMaps inheritFromCurrentThread() {
        if (!AVAILABLE) {
            return null;
        }
        Object parent = inheritable(Thread.currentThread());
        if (parent == null) {
            return null;
        }
        try {
            return new ThreadLocalMaps(null, (Object) INHERIT.invokeExact(parent));
        } catch (RuntimeException | Error e) {
            throw e; // a childValue that threw, as it would from Thread's constructor
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
