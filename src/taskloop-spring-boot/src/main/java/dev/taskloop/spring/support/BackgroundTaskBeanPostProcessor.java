package dev.taskloop.spring.support;

import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.Overrun;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.TaskDeclarationException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link BackgroundTask} methods and {@link SupervisedGroup} classes on beans, validates them
 * and records them in {@link DeclaredTaskRegistry}; the lifecycle starts them. Every misuse throws
 * {@link TaskDeclarationException} naming the bean, the method and the fix, so the application
 * does not start.
 */
public class BackgroundTaskBeanPostProcessor implements BeanPostProcessor, EnvironmentAware {

    private final DeclaredTaskRegistry declared;
    private Environment environment;

    public BackgroundTaskBeanPostProcessor(DeclaredTaskRegistry declared) {
        this.declared = declared;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (type.getName().startsWith("org.springframework.") || type.getName().startsWith("java.")) {
            return bean;
        }
        Map<Method, BackgroundTask> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<BackgroundTask>) m -> AnnotatedElementUtils.findMergedAnnotation(m, BackgroundTask.class));
        SupervisedGroup group = AnnotatedElementUtils.findMergedAnnotation(type, SupervisedGroup.class);
        if (methods.isEmpty()) {
            if (group != null) {
                throw new TaskDeclarationException("Class " + type.getSimpleName() + " (bean '" + beanName
                        + "') is annotated @SupervisedGroup but has no @BackgroundTask methods",
                        "annotate the group's task methods with @BackgroundTask, or remove @SupervisedGroup");
            }
            return bean;
        }
        List<Method> ordered = inDeclarationOrder(type, methods.keySet());
        List<TaskSpec> specs = new ArrayList<>();
        List<DeclaredTaskRegistry.Origin> origins = new ArrayList<>();
        for (Method m : ordered) {
            DeclaredTaskRegistry.Origin origin = new DeclaredTaskRegistry.Origin(beanName, type.getSimpleName() + "." + m.getName() + "()");
            specs.add(spec(bean, beanName, type, m, methods.get(m), origin, group != null));
            origins.add(origin);
        }
        if (group == null) {
            for (int i = 0; i < specs.size(); i++) {
                declared.add(specs.get(i), origins.get(i));
            }
        } else {
            String where = "@SupervisedGroup on class " + type.getSimpleName() + " (bean '" + beanName + "')";
            String name = group.name().isBlank() ? beanName : resolve(where, "name", group.name());
            String singleton = singleton(where, "group", name, group.singleton());
            if (!singleton.isEmpty()) {
                for (TaskSpec s : specs) {
                    if (s.awaitStarted()) {
                        throw new TaskDeclarationException("@BackgroundTask '" + s.name() + "' in " + where + " sets awaitStarted, but the group"
                                + " is a singleton (election '" + singleton + "'): it runs on one replica only, so the others' readiness"
                                + " cannot wait for it", "remove awaitStarted, or make the group run on every replica");
                    }
                }
            }
            GroupSpec g = new GroupSpec(name, resolve(where, "loop", group.loop()), group.strategy(),
                    new RestartIntensity(nonNegative(where, "maxRestarts", group.maxRestarts()),
                            positive(where, "restartWindow", group.restartWindow())), specs, singleton);
            for (TaskSpec s : specs) {
                if (!s.loop().isEmpty() && !s.loop().equals(group.loop())) {
                    throw new TaskDeclarationException("@BackgroundTask '" + s.name() + "' in " + where + " names loop '"
                            + s.loop() + "', but a group's tasks all run on the group's loop ('"
                            + (group.loop().isEmpty() ? "the default loop" : group.loop()) + "')",
                            "remove the task's loop attribute, or set the loop on @SupervisedGroup");
                }
            }
            declared.add(g, new DeclaredTaskRegistry.Origin(beanName, "class " + type.getSimpleName()), origins);
        }
        return bean;
    }

    private TaskSpec spec(Object bean, String beanName, Class<?> type, Method m, BackgroundTask a,
                          DeclaredTaskRegistry.Origin origin, boolean inGroup) {
        String where = "@BackgroundTask method " + type.getSimpleName() + "." + m.getName() + "() of bean '" + beanName + "'";
        if (Modifier.isPrivate(m.getModifiers())) {
            throw new TaskDeclarationException(where + " is private", "make it package-private, protected or public");
        }
        if (Modifier.isStatic(m.getModifiers())) {
            throw new TaskDeclarationException(where + " is static", "make it an instance method: tasks run on the bean");
        }
        Class<?>[] params = m.getParameterTypes();
        if (params.length > 1 || (params.length == 1 && params[0] != TaskContext.class)) {
            throw new TaskDeclarationException(where + " takes parameters ("
                    + Arrays.stream(params).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")",
                    "declare no parameters, or a single TaskContext");
        }
        String name = a.name().isBlank() ? beanName + "." + m.getName() : resolve(where, "name", a.name());
        Backoff backoff = new Backoff(nonNegative(where, "backoffInitial", a.backoffInitial()),
                nonNegative(where, "backoffMax", a.backoffMax()), a.backoffMultiplier(), a.backoffJitter());
        if (backoff.max().compareTo(backoff.initial()) < 0) {
            throw new TaskDeclarationException(where + " has backoffMax '" + a.backoffMax() + "' shorter than backoffInitial '"
                    + a.backoffInitial() + "'", "make backoffMax at least backoffInitial");
        }
        if (!(a.backoffMultiplier() >= 1) || Double.isInfinite(a.backoffMultiplier())) {
            throw new TaskDeclarationException(where + " has backoffMultiplier " + a.backoffMultiplier(),
                    "use a finite factor of at least 1 (1 keeps the delay constant)");
        }
        if (!(a.backoffJitter() >= 0 && a.backoffJitter() <= 1)) {
            throw new TaskDeclarationException(where + " has backoffJitter " + a.backoffJitter(),
                    "use a fraction between 0 and 1 (0.1 spreads each delay by ± 10 %)");
        }
        RestartIntensity intensity = inGroup ? new RestartIntensity(0, Duration.ofSeconds(1))
                : new RestartIntensity(nonNegative(where, "maxRestarts", a.maxRestarts()), positive(where, "restartWindow", a.restartWindow()));
        Schedule schedule = schedule(where, a);
        if (a.drainOnShutdown() && !(schedule instanceof Schedule.Continuous)) {
            throw new TaskDeclarationException(where + " sets drainOnShutdown on a periodic task",
                    "remove drainOnShutdown: a periodic task starts no new run once the application is stopping");
        }
        if (inGroup && !a.singleton().isBlank()) {
            throw new TaskDeclarationException(where + " sets singleton '" + a.singleton() + "', but it belongs to a @SupervisedGroup,"
                    + " whose tasks always run together", "remove singleton here, and set it on the @SupervisedGroup");
        }
        String singleton = singleton(where, "task", name, a.singleton());
        if (!singleton.isEmpty() && a.awaitStarted()) {
            throw new TaskDeclarationException(where + " sets both awaitStarted and singleton '" + a.singleton() + "': a singleton runs on"
                    + " one replica only, so the others' readiness cannot wait for it", "remove awaitStarted, or singleton");
        }
        Method invocable = AopUtils.selectInvocableMethod(m, bean.getClass());
        ReflectionUtils.makeAccessible(invocable);
        boolean wantsContext = params.length == 1;
        TaskSpec.Body body = ctx -> {
            try {
                invocable.invoke(bean, wantsContext ? new Object[] {ctx} : new Object[0]);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) cause;
            }
        };
        return new TaskSpec(name, resolve(where, "loop", a.loop()), a.restart(), backoff, intensity, schedule,
                a.critical(), a.awaitStarted(), body, a.drainOnShutdown(), singleton);
    }

    /** An election name: 1 to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit. */
    static final java.util.regex.Pattern ELECTION = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");

    /** The election a singleton attribute names ({@code "*"}: the task's or group's own name), or empty. */
    private String singleton(String where, String kind, String ownName, String value) {
        if (value.isBlank()) {
            return "";
        }
        if (value.trim().equals(BackgroundTask.OWN_NAME)) {
            if (!ELECTION.matcher(ownName).matches()) {
                throw new TaskDeclarationException(where + " has singleton '*', which names the election after the " + kind + ", but its name '"
                        + ownName + "' is not a valid election name (1 to 63 lower-case letters, digits, '-' and '.', starting and ending"
                        + " with a letter or digit; it names a Kubernetes Lease)", "give the " + kind + " such a name, or name the election: singleton = \"nightly-report\"");
            }
            return ownName;
        }
        String election = resolve(where, "singleton", value);
        if (!ELECTION.matcher(election).matches()) {
            throw new TaskDeclarationException(where + " has singleton '" + election + "', which is not a valid election name (1 to 63"
                    + " lower-case letters, digits, '-' and '.', starting and ending with a letter or digit; it names a Kubernetes Lease)",
                    "use a name such as 'nightly-report', or '*' to name the election after the " + kind);
        }
        return election;
    }

    private Schedule schedule(String where, BackgroundTask a) {
        List<String> modes = new ArrayList<>();
        if (!a.fixedRate().isBlank()) {
            modes.add("fixedRate");
        }
        if (!a.fixedDelay().isBlank()) {
            modes.add("fixedDelay");
        }
        if (!a.cron().isBlank()) {
            modes.add("cron");
        }
        if (modes.size() > 1) {
            throw new TaskDeclarationException(where + " sets " + String.join(" and ", modes), "choose one of fixedRate, fixedDelay and cron");
        }
        if (!a.zone().isBlank() && a.cron().isBlank()) {
            throw new TaskDeclarationException(where + " sets zone '" + a.zone() + "' without cron", "remove zone, or add a cron expression");
        }
        if (!a.initialDelay().isBlank() && (modes.isEmpty() || !a.cron().isBlank())) {
            throw new TaskDeclarationException(where + " sets initialDelay '" + a.initialDelay() + "' without fixedRate or fixedDelay",
                    "remove initialDelay, or make the task periodic with fixedRate or fixedDelay");
        }
        Duration initial = a.initialDelay().isBlank() ? Duration.ZERO : nonNegative(where, "initialDelay", a.initialDelay());
        if (!a.fixedRate().isBlank()) {
            return new Schedule.FixedRate(positive(where, "fixedRate", a.fixedRate()), initial, a.overrun());
        }
        if (!a.fixedDelay().isBlank()) {
            return new Schedule.FixedDelay(nonNegative(where, "fixedDelay", a.fixedDelay()), initial);
        }
        if (!a.cron().isBlank()) {
            String cron = resolve(where, "cron", a.cron());
            CronExpression expression;
            try {
                expression = CronExpression.parse(cron);
            } catch (IllegalArgumentException e) {
                throw new TaskDeclarationException(where + " has an invalid cron '" + cron + "' (" + e.getMessage() + ")",
                        "use six fields, seconds first, such as '0 */5 * * * *', or a macro such as '@hourly'");
            }
            ZoneId zone;
            try {
                zone = a.zone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(resolve(where, "zone", a.zone()));
            } catch (DateTimeException e) {
                throw new TaskDeclarationException(where + " has an unknown zone '" + a.zone() + "'", "use a zone id such as 'UTC' or 'Europe/Paris'");
            }
            return new Schedule.Cron(expression, cron, zone, a.overrun());
        }
        if (a.overrun() != Overrun.SKIP) {
            throw new TaskDeclarationException(where + " sets overrun " + a.overrun() + " but is not periodic",
                    "remove overrun, or add fixedRate or cron");
        }
        return new Schedule.Continuous();
    }

    private String resolve(String where, String attribute, String value) {
        try {
            return environment == null ? value : environment.resolveRequiredPlaceholders(value);
        } catch (IllegalArgumentException e) {
            throw new TaskDeclarationException(where + " has " + attribute + " '" + value + "' with a placeholder that cannot be resolved ("
                    + e.getMessage() + ")", "define the property, or give the placeholder a default: ${name:default}");
        }
    }

    private Duration duration(String where, String attribute, String value) {
        String resolved = resolve(where, attribute, value);
        try {
            return DurationStyle.detectAndParse(resolved);
        } catch (IllegalArgumentException e) {
            throw new TaskDeclarationException(where + " has an invalid " + attribute + " '" + resolved + "'",
                    "use a duration such as 500ms, 30s, 5m or PT1M");
        }
    }

    private Duration nonNegative(String where, String attribute, String value) {
        Duration d = duration(where, attribute, value);
        if (d.isNegative()) {
            throw new TaskDeclarationException(where + " has a negative " + attribute + " '" + value + "'", "use a duration of zero or more");
        }
        return d;
    }

    private Duration positive(String where, String attribute, String value) {
        Duration d = duration(where, attribute, value);
        if (d.isNegative() || d.isZero()) {
            throw new TaskDeclarationException(where + " has " + attribute + " '" + value + "', which is not positive",
                    "use a duration greater than zero");
        }
        return d;
    }

    private static int nonNegative(String where, String attribute, int value) {
        if (value < 0) {
            throw new TaskDeclarationException(where + " has " + attribute + " " + value, "use 0 (no restarts) or more");
        }
        return value;
    }

    /** The methods in the order the class file declares them, so that a group's start order is the source order. */
    private static List<Method> inDeclarationOrder(Class<?> type, java.util.Set<Method> methods) {
        List<String> order = new ArrayList<>();
        try {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                var reader = new SimpleMetadataReaderFactory(type.getClassLoader()).getMetadataReader(c.getName());
                for (MethodMetadata mm : reader.getAnnotationMetadata().getDeclaredMethods()) {
                    order.add(mm.getMethodName());
                }
            }
        } catch (IOException e) {
            // no class file to read (generated class): fall back to name order
        }
        List<Method> result = new ArrayList<>(methods);
        result.sort(Comparator.comparingInt((Method m) -> {
            int i = order.indexOf(m.getName());
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(Method::getName));
        return result;
    }
}
