package dev.taskloop.spring.support;

import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.ShardNames;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link BackgroundTask} methods and {@link SupervisedGroup} classes on beans, validates them
 * and records them in {@link DeclaredTaskRegistry}; the lifecycle starts them. Every misuse throws
 * {@link TaskDeclarationException} naming the bean, the method and the fix, so the application
 * does not start.
 *
 * @since 0.1.0
 */
public class BackgroundTaskBeanPostProcessor implements BeanPostProcessor, EnvironmentAware {

    private final DeclaredTaskRegistry declared;
    private @Nullable Environment environment;

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
            DeclarationAttributes in = new DeclarationAttributes("@SupervisedGroup on class " + type.getSimpleName() + " (bean '" + beanName
                    + "')", environment);
            String where = in.where();
            String name = group.name().isBlank() ? beanName : in.resolve("name", group.name());
            String singleton = singleton(in, "group", name, group.singleton());
            int shards = shards(in, "group", name, group.shards(), !singleton.isEmpty());
            if (shards > 0) {
                for (TaskSpec s : specs) {
                    if (s.awaitStarted()) {
                        throw new TaskDeclarationException("@BackgroundTask '" + s.name() + "' in " + where + " sets awaitStarted, but the group"
                                + " is sharded (shards = " + shards + "): each replica runs only the shards it holds, so readiness cannot wait"
                                + " for them", "remove awaitStarted, or make the group run on every replica");
                    }
                }
            }
            if (!singleton.isEmpty()) {
                for (TaskSpec s : specs) {
                    if (s.awaitStarted()) {
                        throw new TaskDeclarationException("@BackgroundTask '" + s.name() + "' in " + where + " sets awaitStarted, but the group"
                                + " is a singleton (election '" + singleton + "'): it runs on one replica only, so the others' readiness"
                                + " cannot wait for it", "remove awaitStarted, or make the group run on every replica");
                    }
                }
            }
            GroupSpec g = GroupSpec.builder(name)
                    .loop(in.resolve("loop", group.loop()))
                    .strategy(group.strategy())
                    .intensity(new RestartIntensity(in.restarts("maxRestarts", group.maxRestarts()),
                            in.positive("restartWindow", group.restartWindow())))
                    .tasks(specs)
                    .singleton(singleton)
                    .shards(shards)
                    .build();
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
        DeclarationAttributes in = new DeclarationAttributes("@BackgroundTask method " + type.getSimpleName() + "." + m.getName()
                + "() of bean '" + beanName + "'", environment);
        String where = in.where();
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
        String name = a.name().isBlank() ? beanName + "." + m.getName() : in.resolve("name", a.name());
        Backoff backoff = new Backoff(in.nonNegative("backoffInitial", a.backoffInitial()),
                in.nonNegative("backoffMax", a.backoffMax()), a.backoffMultiplier(), a.backoffJitter());
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
                : new RestartIntensity(in.restarts("maxRestarts", a.maxRestarts()), in.positive("restartWindow", a.restartWindow()));
        Schedule schedule = ScheduleParser.parse(a, in);
        if (a.drainOnShutdown() && schedule instanceof Schedule.Periodic) {
            throw new TaskDeclarationException(where + " sets drainOnShutdown on a periodic task",
                    "remove drainOnShutdown: a periodic task starts no new run once the application is stopping");
        }
        if (inGroup && !a.singleton().isBlank()) {
            throw new TaskDeclarationException(where + " sets singleton '" + a.singleton() + "', but it belongs to a @SupervisedGroup,"
                    + " whose tasks always run together", "remove singleton here, and set it on the @SupervisedGroup");
        }
        if (inGroup && !a.shards().isBlank()) {
            throw new TaskDeclarationException(where + " sets shards '" + a.shards() + "', but it belongs to a @SupervisedGroup,"
                    + " whose tasks always run together", "remove shards here, and set it on the @SupervisedGroup");
        }
        String singleton = singleton(in, "task", name, a.singleton());
        int shards = shards(in, "task", name, a.shards(), !singleton.isEmpty());
        if (shards > 0 && a.awaitStarted()) {
            throw new TaskDeclarationException(where + " sets both awaitStarted and shards = " + shards + ": each replica runs only the shards"
                    + " it holds, so readiness cannot wait for them", "remove awaitStarted, or shards");
        }
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
        return TaskSpec.builder(name)
                .loop(in.resolve("loop", a.loop()))
                .restart(a.restart())
                .backoff(backoff)
                .intensity(intensity)
                .schedule(schedule)
                .critical(a.critical())
                .awaitStarted(a.awaitStarted())
                .body(body)
                .drainOnShutdown(a.drainOnShutdown())
                .singleton(singleton)
                .shards(shards)
                .build();
    }

    /** An election name: 1 to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit. */
    private static final Pattern ELECTION = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");

    /** The election a singleton attribute names ({@code "*"}: the task's or group's own name), or empty. */
    private static String singleton(DeclarationAttributes in, String kind, String ownName, String value) {
        String where = in.where();
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
        String election = in.resolve("singleton", value);
        if (!ELECTION.matcher(election).matches()) {
            throw new TaskDeclarationException(where + " has singleton '" + election + "', which is not a valid election name (1 to 63"
                    + " lower-case letters, digits, '-' and '.', starting and ending with a letter or digit; it names a Kubernetes Lease)",
                    "use a name such as 'nightly-report', or '*' to name the election after the " + kind);
        }
        return election;
    }

    /**
     * The number of shards a {@code shards} attribute asks for, 0 when empty. A sharded task's (group's)
     * election is named after it, and so are its shards' Leases ({@code <name>-<index>}, and a membership
     * Lease per replica): the name must be a valid election name, and the longest Lease name, after
     * {@code taskloop.leader.kubernetes.lease-name-prefix}, must fit Kubernetes' limit.
     */
    private int shards(DeclarationAttributes in, String kind, String ownName, String value, boolean singleton) {
        if (value.isBlank()) {
            return 0;
        }
        String where = in.where();
        String resolved = in.resolve("shards", value).trim();
        int shards;
        try {
            shards = Integer.parseInt(resolved);
        } catch (NumberFormatException e) {
            throw new TaskDeclarationException(where + " has shards '" + resolved + "', which is not a whole number",
                    "use a number of shards from 1 to " + ShardNames.MAX_SHARDS + ", e.g. shards = \"16\"");
        }
        if (shards < 1 || shards > ShardNames.MAX_SHARDS) {
            throw new TaskDeclarationException(where + " has shards " + shards + ", outside 1 to " + ShardNames.MAX_SHARDS + " (each shard's"
                    + " lease is renewed every retry period)", "use a number of shards from 1 to " + ShardNames.MAX_SHARDS
                    + "; to split more keys, map them onto the shards: TaskContext.shard().owns(key)");
        }
        if (singleton) {
            throw new TaskDeclarationException(where + " sets both singleton and shards = " + shards + ": a sharded " + kind + " is spread over"
                    + " the replicas by an election of its own, named after it, while a singleton runs on one replica",
                    "remove singleton to spread the " + kind + " over the replicas, or shards to run it on one");
        }
        String first = ShardNames.shard(ownName, 0);
        String last = ShardNames.shard(ownName, shards - 1);
        if (!ELECTION.matcher(ownName).matches()) {
            throw new TaskDeclarationException(where + " has shards = " + shards + ", which names its election and its shards' Leases ('" + first
                    + "' to '" + last + "') after the " + kind + ", but its name '" + ownName + "' (" + ownName.length() + " characters) is not"
                    + " a valid election name (1 to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)",
                    "give the " + kind + " such a name with the 'name' attribute, e.g. name = \"tenant-poller\"");
        }
        String prefix = environment == null ? "" : environment.getProperty("taskloop.leader.kubernetes.lease-name-prefix", "");
        int longest = ShardNames.longest(prefix, ownName, shards);
        if (longest > ShardNames.LEASE_NAME_LIMIT) {
            throw new TaskDeclarationException(where + " has shards = " + shards + ": the longest Lease name of its election would be '"
                    + prefix + ShardNames.member(ownName, "replica") + "' (taskloop.leader.kubernetes.lease-name-prefix + name + '-member-'"
                    + " + 16 hex digits, " + longest + " characters), over Kubernetes' limit of " + ShardNames.LEASE_NAME_LIMIT,
                    "shorten the " + kind + "'s name or taskloop.leader.kubernetes.lease-name-prefix by " + (longest - ShardNames.LEASE_NAME_LIMIT)
                    + " characters");
        }
        return shards;
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
