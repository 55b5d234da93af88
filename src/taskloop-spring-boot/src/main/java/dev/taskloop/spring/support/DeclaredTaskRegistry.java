package dev.taskloop.spring.support;

import dev.taskloop.core.Task;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.DeclaredTasks;
import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.ShardNames;
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
    /** The singleton elections declared, and who declared each first. */
    private final Map<String, Origin> elections = new HashMap<>();
    /** The sharded elections and their shards' lease names, and who declared them. */
    private final Map<String, Origin> leaseNames = new HashMap<>();
    private final List<TaskSpec> tasks = new ArrayList<>();
    private final List<GroupSpec> groups = new ArrayList<>();
    private final List<SupervisedTask> started = new CopyOnWriteArrayList<>();
    private final Map<String, SupervisedTask> byName = new ConcurrentHashMap<>();
    /** The shards started, by the name they were declared under, in the order started (index order). */
    private final Map<String, List<SupervisedTask>> shardsByName = new ConcurrentHashMap<>();
    private final Map<Long, SupervisedTask> byTaskId = new ConcurrentHashMap<>();
    /** The task id each declared task is indexed under now; guarded by itself. */
    private final Map<String, Long> indexedIds = new HashMap<>();
    private volatile @Nullable Leadership leadership;

    // ------------------------------------------------------------------ declaring

    synchronized void add(TaskSpec spec, Origin origin) {
        claim(spec.name(), origin, "task");
        for (int i = 0; i < spec.shards(); i++) {
            claim(ShardNames.shard(spec.name(), i), origin, "shard " + i + " of task '" + spec.name() + "'");
        }
        checkElection(spec.name(), spec.singleton(), spec.shards(), origin);
        tasks.add(spec);
    }

    synchronized void add(GroupSpec group, Origin origin, List<Origin> taskOrigins) {
        claim(group.name(), origin, "supervised group");
        for (int s = 0; s < group.shards(); s++) {
            claim(ShardNames.shard(group.name(), s), origin, "shard " + s + " of supervised group '" + group.name() + "'");
        }
        for (int i = 0; i < group.tasks().size(); i++) {
            claim(group.tasks().get(i).name(), taskOrigins.get(i), "task");
            for (int s = 0; s < group.shards(); s++) {
                claim(ShardNames.shard(group.tasks().get(i).name(), s), taskOrigins.get(i), "shard " + s + " of task '"
                        + group.tasks().get(i).name() + "'");
            }
        }
        checkElection(group.name(), group.singleton(), group.shards(), origin);
        groups.add(group);
    }

    /**
     * A singleton election and a shard's lease of the same name would be one Lease (one lock row):
     * refused, whichever was declared first.
     */
    private void checkElection(String name, String singleton, int shards, Origin origin) {
        if (!singleton.isEmpty()) {
            Origin sharded = leaseNames.get(singleton);
            if (sharded != null) {
                throw new TaskDeclarationException("The singleton election '" + singleton + "' of " + origin + " has the name of a shard's lease"
                        + " of the sharded task or group declared by " + sharded, "give the election another name");
            }
            elections.putIfAbsent(singleton, origin);
        }
        for (int i = 0; i < shards; i++) {
            String lease = ShardNames.shard(name, i);
            Origin singletonOrigin = elections.get(lease);
            if (singletonOrigin != null) {
                throw new TaskDeclarationException("Shard " + i + " of " + origin + " has a lease named '" + lease + "', the name of the"
                        + " singleton election of " + singletonOrigin, "give the election or the sharded task another name");
            }
            leaseNames.put(lease, origin);
        }
        if (shards > 0) {
            Origin singletonOrigin = elections.get(name);
            if (singletonOrigin != null) {
                throw new TaskDeclarationException("The sharded election '" + name + "' of " + origin + " has the name of the singleton"
                        + " election of " + singletonOrigin, "give the election or the sharded task another name");
            }
            leaseNames.put(name, origin);
        }
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

    /** The sharded elections (named after their task or group), with their number of shards, in declaration order. */
    public synchronized Map<String, Integer> shardedElections() {
        Map<String, Integer> sharded = new LinkedHashMap<>();
        for (TaskSpec t : tasks) {
            if (t.isSharded()) {
                sharded.put(t.name(), t.shards());
            }
        }
        for (GroupSpec g : groups) {
            if (g.isSharded()) {
                sharded.put(g.name(), g.shards());
            }
        }
        return sharded;
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

    /**
     * The lifecycle started {@code t}: it is found by name from now on, and by the task id of each
     * attempt; a shard also among the shards of its declared name (set before it is started).
     */
    void started(SupervisedTask t) {
        started.add(t);
        byName.put(t.name(), t);
        if (t.shard() != null) {
            shardsByName.computeIfAbsent(t.declaredName(), n -> new CopyOnWriteArrayList<>()).add(t);
        }
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

    /**
     * The started shards of the declared task {@code name} (a sharded task's, or a task's of a sharded
     * group: {@code <name>-<index>}), in index order; empty for a task that is not sharded.
     */
    public List<DeclaredTask> shardsOf(String name) {
        List<SupervisedTask> shards = shardsByName.get(name);
        return shards == null ? List.of() : List.copyOf(shards);
    }

    /** A started declared task by its declared name. */
    @Override
    public Optional<DeclaredTask> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The name a started declared task was declared under: its own, or for a shard the sharded task's
     * ({@code tenant-poller} for {@code tenant-poller-3}, {@code producer} for {@code producer-3} of a
     * sharded group); {@code name} itself when there is no such task.
     */
    public String declaredName(String name) {
        SupervisedTask t = byName.get(name);
        return t == null ? name : t.declaredName();
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
