package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.attribute.LocalVariableInfo;
import java.lang.classfile.attribute.LocalVariableTableAttribute;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jasyncio.sync.Acquirable;
import org.jasyncio.sync.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Null arguments of the public API of {@code org.jasyncio} and {@code org.jasyncio.sync}. asyncio
 * validates its arguments before it changes anything ({@code call_soon(cb, context=bad)} raises
 * and schedules nothing; {@code call_exception_handler(None)} raises instead of calling the
 * handler with nothing). Here every public method and constructor is called with {@code null}
 * for each of its reference parameters in turn, inside a task of a running loop, and must throw
 * a {@link NullPointerException} whose message names that parameter (not the JVM's generic
 * "Cannot invoke ... because ... is null"), before changing any state: the loop's ready queue,
 * timers, tasks and the receiver look the same afterwards. The parameters that accept null
 * (their Javadoc says what null means) are listed in {@link #NULLABLE}.
 */
class NullArgumentsTest {

    /** The parameters that accept null, as "Class.method(ParamTypes)#index", with what null means. */
    static final Map<String, String> NULLABLE = Map.ofEntries(
            Map.entry("AsyncTimeoutException.<init>(String)#0", "no message, as for any exception"),
            Map.entry("AsyncTimeoutException.<init>(String,Throwable)#0", "no message"),
            Map.entry("AsyncTimeoutException.<init>(String,Throwable)#1", "no cause"),
            Map.entry("CancelledError.<init>(String)#0", "no message (asyncio's CancelledError())"),
            Map.entry("InvalidStateException.<init>(String)#0", "no message"),
            Map.entry("TaskGroupException.<init>(String,List)#0", "no message"),
            Map.entry("BrokenBarrierException.<init>(String)#0", "no message"),
            Map.entry("QueueEmptyException.<init>(String)#0", "no message"),
            Map.entry("QueueFullException.<init>(String)#0", "no message"),
            Map.entry("QueueShutDownException.<init>(String)#0", "no message"),
            Map.entry("Asyncio.createTask(Coroutine,String)#1", "the default name Task-N"),
            Map.entry("Asyncio.createTask(AsyncRunnable,String)#1", "the default name Task-N"),
            Map.entry("EventLoop.createTask(Coroutine,String)#1", "the default name Task-N"),
            Map.entry("EventLoop.createTask(Coroutine,String,Context)#1", "the default name Task-N"),
            Map.entry("TaskGroup.createTask(Coroutine,String)#1", "the default name Task-N"),
            Map.entry("TaskGroup.createTask(AsyncRunnable,String)#1", "the default name Task-N"),
            Map.entry("Task.setName(String)#0", "asyncio's set_name(None) names the task \"None\"; here \"null\""),
            Map.entry("EventLoop.runInExecutor(Executor,Callable)#0", "the default executor (asyncio's executor=None)"),
            Map.entry("EventLoop.setExceptionHandler(ExceptionHandler)#0", "the default handler (asyncio's None)"),
            Map.entry("Future.cancel(String)#0", "no message (asyncio's msg=None)"),
            Map.entry("Task.cancel(String)#0", "no message (asyncio's msg=None)"),
            Map.entry("Future.setResult(Object)#0", "a null result (asyncio's None)"),
            Map.entry("Future.trySetResult(Object)#0", "a null result"),
            Map.entry("Task.setResult(Object)#0", "always refused: a task's result comes from its coroutine"),
            Map.entry("Task.setException(Throwable)#0", "always refused: a task's exception comes from its coroutine"),
            Map.entry("Future.removeDoneCallback(Consumer)#0", "nothing registered: removes nothing, returns 0"),
            Map.entry("ContextVar.<init>(String,Object)#1", "a null default (asyncio's default=None)"),
            Map.entry("ContextVar.get(Object)#0", "a null fallback (asyncio's get(None))"),
            Map.entry("ContextVar.set(Object)#0", "a null value (asyncio's set(None))"),
            Map.entry("Timeout.<init>(Double)#0", "no deadline (asyncio's Timeout(None))"),
            Map.entry("Timeout.after(Duration)#0", "no deadline (asyncio's timeout(None))"),
            Map.entry("Timeout.reschedule(Double)#0", "no deadline (asyncio's reschedule(None))"),
            Map.entry("Asyncio.timeout(Duration,Coroutine)#0", "no deadline (asyncio's timeout(None))"),
            Map.entry("Asyncio.timeout(Duration,AsyncRunnable)#0", "no deadline (asyncio's timeout(None))"),
            Map.entry("Asyncio.waitFor(Awaitable,Duration)#1", "no timeout (asyncio's wait_for(aw, None))"),
            Map.entry("Asyncio.wait(Collection,Duration,ReturnWhen)#1", "no timeout (asyncio's wait(fs, timeout=None))"),
            Map.entry("Asyncio.asCompleted(Collection,Duration)#1", "no timeout (asyncio's as_completed(fs, timeout=None))"),
            Map.entry("ExceptionContext.<init>(String,Throwable,Future,Task,Handle)#1", "no exception"),
            Map.entry("ExceptionContext.<init>(String,Throwable,Future,Task,Handle)#2", "no future"),
            Map.entry("ExceptionContext.<init>(String,Throwable,Future,Task,Handle)#3", "no task"),
            Map.entry("ExceptionContext.<init>(String,Throwable,Future,Task,Handle)#4", "no handle"),
            Map.entry("ExceptionContext.of(String,Throwable)#1", "no exception"),
            Map.entry("PriorityQueue.<init>(Comparator)#0", "natural order"),
            Map.entry("PriorityQueue.<init>(int,Comparator)#1", "natural order"),
            Map.entry("Asyncio.sleep(double,Object)#1", "a null result (asyncio's sleep(delay, result=None))"),
            Map.entry("Asyncio.sleep(Duration,Object)#1", "a null result (asyncio's sleep(delay, result=None))"),
            Map.entry("Asyncio.waitFor(Coroutine,Duration)#1", "no timeout (asyncio's wait_for(coro, None))"),
            Map.entry("GeneratorExit.<init>(String)#0", "no message, as for any exception"),
            Map.entry("KeyboardInterrupt.<init>(String,Throwable)#0", "no message, as for any exception"),
            Map.entry("KeyboardInterrupt.<init>(String,Throwable)#1", "no cause, as for any exception"),
            Map.entry("AsyncGenerator.asend(Object)#0", "sends None: the same as anext() (asyncio's asend(None))"),
            Map.entry("StopAsyncIterationException.<init>(String)#0", "no message, as for any exception"),
            Map.entry("Asyncio.formatCallGraph(Future)#0", "the current task (asyncio's format_call_graph(None))"),
            Map.entry("Asyncio.printCallGraph(Future)#0", "the current task (asyncio's print_call_graph(None))"),
            Map.entry("Asyncio.printCallGraph(Future,PrintStream)#0", "the current task"));

    /**
     * Methods not called here: equals(Object) takes null by contract, an enum's valueOf is the
     * compiler's, and the streams shortcuts of the façade check their arguments in
     * {@code org.jasyncio.streams}.
     */
    private static boolean excluded(Executable e) {
        String n = e.getName();
        return n.equals("equals") || (e.getDeclaringClass().isEnum() && n.equals("valueOf"))
                || (e.getDeclaringClass() == Asyncio.class && (n.equals("openConnection") || n.equals("startServer")));
    }

    // ---------------------------------------------------------------- the public API

    /** Every public class of the two packages, nested public ones included (main classes only). */
    static List<Class<?>> publicClasses() {
        List<Class<?>> result = new ArrayList<>();
        for (Class<?> anchor : List.of(EventLoop.class, Lock.class)) {
            String pkg = anchor.getPackageName();
            Path dir;
            try {
                dir = Path.of(anchor.getResource(anchor.getSimpleName() + ".class").toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String file = f.getFileName().toString();
                    if (!file.endsWith(".class") || file.equals("package-info.class")) {
                        continue;
                    }
                    String name = pkg + "." + file.substring(0, file.length() - ".class".length());
                    Class<?> c;
                    try {
                        c = Class.forName(name, false, anchor.getClassLoader());
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                    if (isPublicApi(c)) {
                        result.add(c);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }

    private static boolean isPublicApi(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isSynthetic();
    }

    /** One call: an executable with null for its reference parameter {@code index}. */
    record Case(Executable executable, int index, String parameterName) {
        String key() {
            return NullArgumentsTest.key(executable) + "#" + index;
        }

        @Override
        public String toString() {
            return key() + " (" + parameterName + ")";
        }
    }

    static String key(Executable e) {
        String owner = e.getDeclaringClass().getName();
        owner = owner.substring(owner.lastIndexOf('.') + 1);
        String name = e instanceof Constructor<?> ? "<init>" : e.getName();
        return owner + "." + name + "(" + Arrays.stream(e.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",")) + ")";
    }

    static List<Executable> publicExecutables() {
        List<Executable> all = new ArrayList<>();
        for (Class<?> c : publicClasses()) {
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers()) && !k.isSynthetic() && !c.isEnum()) {
                    all.add(k);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
                        && !Modifier.isAbstract(m.getModifiers())) {
                    all.add(m);
                }
            }
        }
        all.removeIf(NullArgumentsTest::excluded);
        return all;
    }

    static Stream<Case> nullableCases(boolean nullable) {
        List<Case> cases = new ArrayList<>();
        for (Executable e : publicExecutables()) {
            Class<?>[] types = e.getParameterTypes();
            String[] names = parameterNames(e);
            for (int i = 0; i < types.length; i++) {
                if (types[i].isPrimitive()) {
                    continue;
                }
                Case c = new Case(e, i, names[i]);
                if (NULLABLE.containsKey(c.key()) == nullable) {
                    cases.add(c);
                }
            }
        }
        return cases.stream();
    }

    static Stream<Case> cases() {
        return nullableCases(false);
    }

    // ---------------------------------------------------------------- parameter names

    /**
     * The parameter names, from the class file's local variable table (the classes are
     * compiled with debug information; {@code -parameters} is not used).
     */
    static String[] parameterNames(Executable e) {
        Class<?> owner = e.getDeclaringClass();
        String resource = "/" + owner.getName().replace('.', '/') + ".class";
        ClassModel model;
        try (InputStream in = owner.getResourceAsStream(resource)) {
            model = ClassFile.of().parse(in.readAllBytes());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String name = e instanceof Constructor<?> ? "<init>" : e.getName();
        MethodTypeDesc desc = MethodTypeDesc.of(
                e instanceof Method m ? m.getReturnType().describeConstable().orElseThrow()
                        : void.class.describeConstable().orElseThrow(),
                Arrays.stream(e.getParameterTypes()).map(t -> t.describeConstable().orElseThrow())
                        .toArray(java.lang.constant.ClassDesc[]::new));
        for (MethodModel mm : model.methods()) {
            if (!mm.methodName().equalsString(name) || !mm.methodTypeSymbol().equals(desc)) {
                continue;
            }
            String[] names = new String[e.getParameterCount()];
            CodeAttribute code = mm.findAttribute(Attributes.code()).orElseThrow(
                    () -> new IllegalStateException("no code for " + key(e)));
            int slot = Modifier.isStatic(e.getModifiers()) ? 0 : 1;
            int[] slots = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                slots[i] = slot;
                Class<?> t = e.getParameterTypes()[i];
                slot += t == long.class || t == double.class ? 2 : 1;
            }
            for (LocalVariableTableAttribute table : code.findAttributes(Attributes.localVariableTable())) {
                for (LocalVariableInfo v : table.localVariables()) {
                    if (v.startPc() != 0) {
                        continue;
                    }
                    for (int i = 0; i < names.length; i++) {
                        if (slots[i] == v.slot()) {
                            names[i] = v.name().stringValue();
                        }
                    }
                }
            }
            for (int i = 0; i < names.length; i++) {
                if (names[i] == null) {
                    names[i] = "arg" + i;
                }
            }
            return names;
        }
        throw new IllegalStateException("no method " + key(e) + " in the class file");
    }

    // ---------------------------------------------------------------- samples

    /** What a case needs around it: the running loop, and things to close afterwards. */
    private static final class Env {
        final EventLoop loop;
        final EventLoop idle = new EventLoop();
        final ContextVar<Object> var = new ContextVar<>("sample");
        final List<AutoCloseable> toClose = new ArrayList<>();

        Env(EventLoop loop) {
            this.loop = loop;
            toClose.add(idle);
        }

        Object receiver(Class<?> c) throws IOException {
            if (c == EventLoop.class) {
                return idle;
            }
            if (c == Task.class) {
                return loop.createTask(() -> null);
            }
            if (c == Future.class) {
                return loop.createFuture();
            }
            if (c == ContextVar.class) {
                return var;
            }
            if (c == ContextVar.Token.class) {
                return var.set("x");
            }
            if (c == LoopLocal.class) {
                return new LoopLocal<>(() -> 1);
            }
            if (c == Timeout.class) {
                return new Timeout(null);
            }
            if (c == Context.class) {
                return new Context();
            }
            if (c == TaskGroup.class) {
                return new TaskGroup();
            }
            if (c == Runner.Builder.class) {
                return Runner.builder();
            }
            if (c == Acquirable.class) {
                return new Lock();
            }
            if (c == AsyncGenerator.class) {
                return AsyncGenerator.of(out -> { });
            }
            try {
                return c.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no sample receiver for " + c, e);
            }
        }

        /** A future with a result: the calls that wait for their arguments return at once. */
        Future<Object> done() {
            Future<Object> f = loop.createFuture();
            f.setResult("done");
            return f;
        }

        Object sample(Class<?> t, Executable e) throws IOException {
            if (t == Runnable.class) {
                return (Runnable) () -> { };
            }
            if (t == Coroutine.class) {
                return (Coroutine<Object>) () -> null;
            }
            if (t == AsyncRunnable.class) {
                return (AsyncRunnable) () -> { };
            }
            if (t == Callable.class) {
                return (Callable<Object>) () -> null;
            }
            if (t == Context.class) {
                return new Context();
            }
            if (t == ContextVar.class) {
                return var;
            }
            if (t == ContextVar.Token.class) {
                return var.set("y");
            }
            if (t == Future.class || t == Awaitable.class) {
                return done();
            }
            if (t == Awaitable[].class) {
                return new Awaitable<?>[] {done()};
            }
            if (t == List.class || t == Collection.class) {
                return e.getDeclaringClass() == TaskGroupException.class
                        ? List.of(new RuntimeException("sample")) : List.of(done());
            }
            if (t == Set.class) {
                return Set.of();
            }
            if (t == Duration.class) {
                return Duration.ofSeconds(1);
            }
            if (t == ReturnWhen.class) {
                return ReturnWhen.ALL_COMPLETED;
            }
            if (t == CompletionStage.class) {
                return new CompletableFuture<>();
            }
            if (t == String.class) {
                return "sample";
            }
            if (t == Throwable.class) {
                return new RuntimeException("sample");
            }
            if (t == Object.class) {
                return "x";
            }
            if (t == Double.class) {
                return 1.0;
            }
            if (t == Consumer.class) {
                return (Consumer<Object>) f -> { };
            }
            if (t == Supplier.class) {
                return (Supplier<Object>) () -> 1;
            }
            if (t == BooleanSupplier.class) {
                return (BooleanSupplier) () -> true;
            }
            if (t == Comparator.class) {
                return Comparator.naturalOrder();
            }
            if (t == EventLoop.class) {
                return loop;
            }
            if (t == ExceptionContext.class) {
                return ExceptionContext.of("sample", null);
            }
            if (t == ExceptionHandler.class) {
                return (ExceptionHandler) (l, c) -> { };
            }
            if (t == Executor.class) {
                return (Executor) Runnable::run;
            }
            if (t == ExecutorService.class) {
                ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
                toClose.add(ex);
                return ex;
            }
            if (t == java.nio.channels.SelectableChannel.class) {
                Pipe p = Pipe.open();
                toClose.add(p.source());
                toClose.add(p.sink());
                return p.source();
            }
            if (t == Lock.class) {
                return new Lock();
            }
            if (t == Handle.class) {
                return loop.callSoon(() -> { });
            }
            if (t == Task.class) {
                return loop.createTask(() -> null);
            }
            if (t == TaskGroup.Body.class) {
                return (TaskGroup.Body<Object>) tg -> null;
            }
            if (t == TaskGroup.VoidBody.class) {
                return (TaskGroup.VoidBody) tg -> { };
            }
            if (t == Lock.Statistics.class) {
                return new Lock.Statistics(false, 0);
            }
            if (t == java.io.PrintStream.class) {
                return new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            }
            throw new IllegalStateException("no sample of " + t + " for " + key(e));
        }

        void close() {
            for (AutoCloseable c : toClose) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    /** What a case observed: the exception thrown (or null) and the state before and after. */
    record Outcome(Throwable thrown, String before, String after) {
    }

    /** Runs one case in a task of a fresh loop. */
    private static Outcome run(Case c) {
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, ctx) -> { });
        try {
            Task<Outcome> task = loop.createTask(() -> {
                Env env = new Env(loop);
                try {
                    Executable e = c.executable();
                    Object receiver = Modifier.isStatic(e.getModifiers()) || e instanceof Constructor<?>
                            ? null : env.receiver(e.getDeclaringClass());
                    Class<?>[] types = e.getParameterTypes();
                    Object[] args = new Object[types.length];
                    for (int i = 0; i < types.length; i++) {
                        args[i] = i == c.index() ? null : types[i].isPrimitive() ? primitive(types[i]) : env.sample(types[i], e);
                    }
                    String before = state(loop, env, receiver);
                    Throwable thrown = null;
                    try {
                        if (e instanceof Method m) {
                            m.invoke(receiver, args);
                        } else {
                            ((Constructor<?>) e).newInstance(args);
                        }
                    } catch (InvocationTargetException ite) {
                        thrown = ite.getCause();
                    }
                    return new Outcome(thrown, before, state(loop, env, receiver));
                } finally {
                    env.close();
                }
            });
            TimerHandle safety = loop.callLater(10, loop::stop); // a call that suspended for good fails the case
            Outcome o = loop.runUntilComplete(task);
            safety.cancel();
            return o;
        } finally {
            loop.close();
        }
    }

    private static String state(EventLoop loop, Env env, Object receiver) {
        return loop + " / " + env.idle + " / " + (receiver instanceof EventLoop ? "" : String.valueOf(receiver));
    }

    private static Object primitive(Class<?> t) {
        if (t == int.class) {
            return 1;
        }
        if (t == long.class) {
            return 1L;
        }
        if (t == double.class) {
            return 1.0;
        }
        if (t == boolean.class) {
            return false;
        }
        throw new IllegalStateException("no sample of " + t);
    }

    // ---------------------------------------------------------------- the tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aNullArgumentIsRejectedByNameBeforeAnythingChanges(Case c) {
        Outcome o = run(c);
        NullPointerException npe = assertInstanceOf(NullPointerException.class, o.thrown(),
                c + " accepted null or threw something else");
        String message = npe.getMessage();
        assertNotNull(message, c + ": no message");
        assertFalse(message.startsWith("Cannot "), c + ": the JVM's generic message: " + message);
        assertTrue(Arrays.asList(message.split("[^A-Za-z0-9_]+")).contains(c.parameterName()),
                c + ": the message does not name the parameter '" + c.parameterName() + "': " + message);
        assertEquals(o.before(), o.after(), c + ": state changed before the argument was rejected");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullableCasesList")
    void aParameterDocumentedAsNullableAcceptsNull(Case c) {
        Throwable t = run(c).thrown();
        if (t instanceof NullPointerException npe) {
            fail(c + " is listed as accepting null (" + NULLABLE.get(c.key()) + ") but threw " + npe);
        }
    }

    static Stream<Case> nullableCasesList() {
        return nullableCases(true);
    }

    @Test
    void everyNullableEntryStillExists() {
        Set<String> keys = Stream.concat(nullableCases(true), nullableCases(false)).map(Case::key)
                .collect(Collectors.toSet());
        for (String k : NULLABLE.keySet()) {
            assertTrue(keys.contains(k), "stale NULLABLE entry: " + k);
        }
    }

    // ---------------------------------------------------------------- the faults, one by one

    @Test
    void callSoonWithANullContextSchedulesNothing() {
        // asyncio's call_soon(cb, context=bad) raises before it queues a handle.
        EventLoop loop = new EventLoop();
        try {
            List<String> ran = new ArrayList<>();
            assertThrows(NullPointerException.class, () -> loop.callSoon(() -> ran.add("callSoon"), null));
            assertThrows(NullPointerException.class, () -> loop.callLater(0, () -> ran.add("callLater"), null));
            assertThrows(NullPointerException.class, () -> loop.callSoonThreadsafe(() -> ran.add("threadsafe"), null));
            assertThrows(NullPointerException.class, () -> loop.createTask(() -> ran.add("task"), "t", null));
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of(), ran);
            assertEquals(Set.of(), loop.allTasks());
        } finally {
            loop.close();
        }
    }

    @Test
    void callExceptionHandlerRejectsNullWithoutCallingTheHandler() {
        // asyncio's handlers always get a context dict with a message; null is not one.
        EventLoop loop = new EventLoop();
        try {
            List<ExceptionContext> seen = new ArrayList<>();
            loop.setExceptionHandler((l, c) -> seen.add(c));
            NullPointerException e = assertThrows(NullPointerException.class, () -> loop.callExceptionHandler(null));
            assertEquals("context", e.getMessage());
            assertEquals(List.of(), seen);
            assertEquals("message", assertThrows(NullPointerException.class,
                    () -> ExceptionContext.of(null, new RuntimeException())).getMessage());
        } finally {
            loop.close();
        }
    }

    @Test
    void gatherOfANullArrayOrElementNamesIt() {
        // asyncio.gather(*None) is a TypeError; here an NPE naming aws, never one without a message.
        Asyncio.run(() -> {
            assertEquals("aws", assertThrows(NullPointerException.class,
                    () -> Asyncio.gather((Awaitable<?>[]) null)).getMessage());
            assertEquals("aws", assertThrows(NullPointerException.class,
                    () -> Asyncio.gatherReturnExceptions((List<Awaitable<?>>) null)).getMessage());
            Future<String> f = new Future<>();
            String m = assertThrows(NullPointerException.class, () -> Asyncio.gather(f, null)).getMessage();
            assertTrue(m.startsWith("aws[1]"), m);
            f.setResult("unused");
            return null;
        });
    }

    @Test
    void withLockOfANullBodyAcquiresNothing() {
        // async with lock: None() fails before the lock is taken.
        Asyncio.run(() -> {
            Lock lock = new Lock();
            assertThrows(NullPointerException.class, () -> lock.withLock((Coroutine<Object>) null));
            assertFalse(lock.locked());
            return null;
        });
    }

    @Test
    void theApiIsReallyEnumerated() {
        // Guards the enumeration itself: a broken class scan would make every test above vacuous.
        List<String> keys = publicExecutables().stream().map(NullArgumentsTest::key).toList();
        assertTrue(keys.contains("EventLoop.callSoon(Runnable,Context)"), keys.toString());
        assertTrue(keys.contains("Asyncio.gather(Awaitable[])"), keys.toString());
        assertTrue(keys.contains("Queue.put(Object)"), keys.toString());
        assertEquals(List.of("callback", "context"), List.of(parameterNames(method(EventLoop.class, "callSoon",
                Runnable.class, Context.class))));
    }

    private static Method method(Class<?> c, String name, Class<?>... types) {
        try {
            return c.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
