package dev.taskloop.spring.support;

import dev.taskloop.core.Task;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.DeclaredTasks;
import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.Leadership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The one read model of the declared tasks: their specs (collected at startup by the annotation
 * processing) and, once the lifecycle has started them, their live {@link DeclaredTask} handles,
 * indexed by declared name and by the id of the task of each one's current (or last) attempt. The
 * meters, the endpoint and the health component read it and nothing else, so a task is a declared
 * task's attempt because its id says so, never because of its name: a task spawned ad hoc under a
 * declared task's name stays ad hoc.
 *
 * <h2>Life</h2>
 * <pre>
 *   declaring (add, by the bean post-processor) --lifecycle start--> started (handles registered;
 *   the id index follows every attempt as it starts)
 * </pre>
 *
 * <h2>Thread-safety</h2>
 * Lookups by name and by task id are O(1) and lock-free; nothing is rebuilt per read. An attempt that
 * starts replaces its declared task's previous task id in the index, under a lock of its own, so the
 * id of an attempt that ended stays found until the next attempt starts (the endpoint shows an ended
 * attempt from its history with its declared task).
 *
 * @since 0.1.0
 */
public final class DeclaredTaskRegistry implements DeclaredTasks {

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
    private final List<SupervisedTask> started = new CopyOnWriteArrayList<>();
    private final Map<String, SupervisedTask> byName = new ConcurrentHashMap<>();
    private final Map<Long, SupervisedTask> byTaskId = new ConcurrentHashMap<>();
    /** The task id each declared task is indexed under now; guarded by itself. */
    private final Map<String, Long> indexedIds = new HashMap<>();
    private volatile @Nullable Leadership leadership;

    // ------------------------------------------------------------------ declaring

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

    /** The names of the leader elections the declared singletons run under, in declaration order. */
    public synchronized Set<String> elections() {
        Set<String> elections = new LinkedHashSet<>();
        for (TaskSpec t : tasks) {
            if (t.isSingleton()) {
                elections.add(t.singleton());
            }
        }
        for (GroupSpec g : groups) {
            if (g.isSingleton()) {
                elections.add(g.singleton());
            }
        }
        return elections;
    }

    // ------------------------------------------------------------------ live

    /** The lifecycle started {@code t}: it is found by name from now on, and by the task id of each attempt. */
    void started(SupervisedTask t) {
        started.add(t);
        byName.put(t.name(), t);
        t.registerIn(this);
    }

    /** {@code t}'s current attempt runs in a (new) task: index it under that task's id, in place of the last one. */
    void attemptStarted(SupervisedTask t) {
        Task<?> task = t.task();
        if (task == null) {
            return;
        }
        synchronized (indexedIds) {
            Long previous = indexedIds.put(t.name(), task.id());
            if (previous != null && previous != task.id()) {
                byTaskId.remove(previous, t);
            }
            byTaskId.put(task.id(), t);
        }
    }

    /** Every started declared task (group members included), in the order the lifecycle started them. */
    @Override
    public List<DeclaredTask> all() {
        return List.copyOf(started);
    }

    /** A started declared task by its declared name. */
    @Override
    public Optional<DeclaredTask> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The declared task whose current (or last) attempt runs in the task with id {@code taskId}; empty
     * for any other task, whatever its name.
     */
    public Optional<DeclaredTask> findByTask(long taskId) {
        return Optional.ofNullable(byTaskId.get(taskId));
    }

    // ------------------------------------------------------------------ leadership

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
}
