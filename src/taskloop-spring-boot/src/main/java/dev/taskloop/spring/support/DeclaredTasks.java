package dev.taskloop.spring.support;

import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.Leadership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every declared task and group of the application: their specs (collected at startup) and, once
 * the lifecycle has started them, their live {@link SupervisedTask} states. Thread-safe.
 */
public final class DeclaredTasks {

    /** Where a task or group was declared, for messages. */
    record Origin(String beanName, String method) {
        @Override
        public String toString() {
            return method + " (bean '" + beanName + "')";
        }
    }

    private final Map<String, Origin> names = new LinkedHashMap<>();
    private final List<TaskSpec> tasks = new ArrayList<>();
    private final List<GroupSpec> groups = new ArrayList<>();
    private final Map<String, SupervisedTask> running = new ConcurrentHashMap<>();
    private volatile Leadership leadership;

    synchronized void add(TaskSpec spec, Origin origin) {
        claim(spec.name(), origin, "task");
        tasks.add(spec);
    }

    synchronized void add(GroupSpec group, Origin origin, List<Origin> taskOrigins) {
        claim(group.name(), origin, "supervised group");
        for (int i = 0; i < group.tasks().size(); i++) {
            claim(group.tasks().get(i).name(), taskOrigins.get(i), "task");
        }
        groups.add(group);
    }

    private void claim(String name, Origin origin, String kind) {
        Origin previous = names.putIfAbsent(name, origin);
        if (previous != null) {
            throw new TaskDeclarationException("The name '" + name + "' is declared twice: by " + previous + " and by " + origin
                    + " (" + kind + ")", "give one of them another name with the 'name' attribute; names must be unique in the application");
        }
    }

    /** The standalone declared tasks, in the order they were found. */
    public synchronized List<TaskSpec> tasks() {
        return List.copyOf(tasks);
    }

    /** The declared groups. */
    public synchronized List<GroupSpec> groups() {
        return List.copyOf(groups);
    }

    void started(SupervisedTask t) {
        running.put(t.name(), t);
    }

    /** The live states of every started declared task (group members included), in no particular order. */
    public Collection<SupervisedTask> supervised() {
        return List.copyOf(running.values());
    }

    /** The names of the leader elections the declared singletons run under, in declaration order. */
    public synchronized Set<String> elections() {
        Set<String> names = new LinkedHashSet<>();
        for (TaskSpec t : tasks) {
            if (t.isSingleton()) {
                names.add(t.singleton());
            }
        }
        for (GroupSpec g : groups) {
            if (g.isSingleton()) {
                names.add(g.singleton());
            }
        }
        return names;
    }

    /** The leader elections of the singletons, once the lifecycle has started them. */
    public Optional<Leadership> leadership() {
        return Optional.ofNullable(leadership);
    }

    /** Whether this replica leads {@code election} now ({@code false} before the elections started). */
    public boolean isLeader(String election) {
        Leadership l = leadership;
        return l != null && l.isLeader(election);
    }

    void leadership(Leadership leadership) {
        this.leadership = leadership;
    }

    /** The live state of a declared task by name. */
    public Optional<SupervisedTask> find(String name) {
        return Optional.ofNullable(running.get(name));
    }
}
