package org.jasyncio.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * The JUnit 5 extension behind {@link AsyncTest}, registered by the annotation itself.
 *
 * <p>Alone on a method, {@code @AsyncTest} is the method's test template and this extension
 * provides its invocations, one per schedule seed, each carrying a {@link SeededRun} that runs
 * the invocation on a fresh runner. Next to another template annotation
 * ({@code @ParameterizedTest}, {@code @RepeatedTest}, ...) it declines to provide invocations
 * and intercepts each of the other's instead, running it on a fresh runner (or, with several
 * schedules, skipping JUnit's call and calling the method once per seed itself). It also
 * rewrites a parameter-resolution failure of an {@code @AsyncTest} method into a message that
 * says which parameter nobody supplies, and fails the plain-test run of a method that also
 * carries {@code @Test} without calling it.
 */
final class AsyncTestExtension implements TestTemplateInvocationContextProvider, InvocationInterceptor,
        TestExecutionExceptionHandler {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(AsyncTest.class) && !hasOtherTemplate(m))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        AsyncTest a = method.getAnnotation(AsyncTest.class);
        List<Long> seeds = seeds(a, method);
        AsyncTestRun.Options options = options(a);
        String name = context.getDisplayName();
        return seeds.stream().map(seed -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return seed == null ? name : "seed " + seed;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new SeededRun(options, seed));
            }
        });
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        Method method = call.getExecutable();
        if (!hasOtherTemplate(method)) {
            invocation.proceed(); // our own invocation: its SeededRun runs it
            return;
        }
        AsyncTest a = method.getAnnotation(AsyncTest.class);
        List<Long> seeds = seeds(a, method);
        AsyncTestRun.Options options = options(a);
        String name = method.getName();
        if (seeds.size() == 1) {
            AsyncTestRun.run(options, seeds.get(0), name, invocation::proceed);
            return;
        }
        // JUnit's invocation can proceed only once: call the method ourselves, once per seed.
        invocation.skip();
        method.setAccessible(true);
        Object target = call.getTarget().orElse(null);
        Object[] args = call.getArguments().toArray();
        for (Long seed : seeds) {
            AsyncTestRun.run(options, seed, name, () -> invokeUnwrapped(method, target, args));
        }
    }

    /**
     * A method with both {@code @Test} and {@code @AsyncTest} is found by JUnit as a plain test,
     * whose body would run outside any loop: fail it with the fix instead.
     */
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        invocation.skip();
        throw new ExtensionConfigurationException(describe(call.getExecutable()) + " has both @Test and @AsyncTest: "
                + "remove @Test (@AsyncTest is the test annotation; as @Test, the body would run outside any loop)");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Method method = context.getTestMethod().orElse(null);
        if (!(throwable instanceof ParameterResolutionException) || method == null
                || !method.isAnnotationPresent(AsyncTest.class)) {
            throw throwable;
        }
        throw new ParameterResolutionException("@AsyncTest method " + describe(method) + ": "
                + throwable.getMessage() + " The parameters of an @AsyncTest method are resolved by JUnit before "
                + "the test runs (by @ParameterizedTest arguments or a ParameterResolver); the loop is not one of "
                + "them: call Asyncio.getRunningLoop() in the body. Parameters: " + describeParameters(method),
                throwable);
    }

    /** The seeds to run: null alone for no seed; else one or {@code schedules} of them. */
    static List<Long> seeds(AsyncTest a, Method method) {
        if (a.schedules() < 1) {
            throw new ExtensionConfigurationException("@AsyncTest(schedules = " + a.schedules() + ") on "
                    + describe(method) + ": schedules must be at least 1 (the number of schedule seeds to run)");
        }
        if (a.seed() != AsyncTest.NO_SEED) {
            if (a.schedules() != 1) {
                throw new ExtensionConfigurationException("@AsyncTest(seed = " + a.seed() + ", schedules = "
                        + a.schedules() + ") on " + describe(method) + ": give either seed (replay one schedule) "
                        + "or schedules (explore seeds 0 to schedules - 1), not both");
            }
            return List.of(a.seed());
        }
        if (a.schedules() == 1) {
            return java.util.Collections.singletonList(null);
        }
        List<Long> seeds = new ArrayList<>(a.schedules());
        for (long s = 0; s < a.schedules(); s++) {
            seeds.add(s);
        }
        return seeds;
    }

    private static AsyncTestRun.Options options(AsyncTest a) {
        return new AsyncTestRun.Options(a.virtualTime(), a.debug(), a.strategy());
    }

    /** Whether another annotation of {@code m} than {@code @AsyncTest} is, or carries, {@code @TestTemplate}. */
    static boolean hasOtherTemplate(Method m) {
        for (Annotation a : m.getAnnotations()) {
            if (a.annotationType() != AsyncTest.class && isTemplate(a.annotationType(), new HashSet<>())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTemplate(Class<? extends Annotation> type, Set<Class<?>> seen) {
        if (type == TestTemplate.class) {
            return true;
        }
        if (!seen.add(type) || type.getName().startsWith("java.lang.annotation.")) {
            return false;
        }
        for (Annotation meta : type.getAnnotations()) {
            if (isTemplate(meta.annotationType(), seen)) {
                return true;
            }
        }
        return false;
    }

    private static void invokeUnwrapped(Method method, Object target, Object[] args) throws Throwable {
        try {
            method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + Arrays.stream(m.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String describeParameters(Method m) {
        Parameter[] ps = m.getParameters();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ps.length; i++) {
            out.add("#" + i + " " + ps[i].getType().getSimpleName() + " " + ps[i].getName());
        }
        return String.join(", ", out);
    }

    /** The interceptor of one invocation that {@link AsyncTestExtension} provided: one seed. */
    static final class SeededRun implements InvocationInterceptor {
        private final AsyncTestRun.Options options;
        private final Long seed;

        SeededRun(AsyncTestRun.Options options, Long seed) {
            this.options = options;
            this.seed = seed;
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                ExtensionContext context) throws Throwable {
            AsyncTestRun.run(options, seed, call.getExecutable().getName(), invocation::proceed);
        }
    }
}
