package dev.taskloop.actuate.endpoint;

import static dev.taskloop.actuate.Units.millis;
import static dev.taskloop.actuate.Units.ratio;

import dev.taskloop.actuate.EndCause;
import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.spi.Awaiting;
import dev.taskloop.core.spi.Describe;
import dev.taskloop.core.spi.LatencySnapshot;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.ShutdownProgress;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.TaskControlException;
import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.LoopAssessment;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import dev.taskloop.spring.support.ScheduleParser;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;

/**
 * The {@code taskloop} Actuator endpoint: the application's loops and tasks, one task in detail
 * with its live stack, and cancelling a task.
 *
 * <ul>
 *   <li>{@code GET /actuator/taskloop}: every loop (queue depth, utilization and lag percentiles over
 *       the recent window and since start, slow and blocked steps, the task holding the baton, for
 *       how long, and its stack), every declared task (supervisor status, restarts, last failure),
 *       the live tasks (at most {@code taskloop.endpoint.max-tasks}, declared ones first), the
 *       recently ended tasks with why they ended, and per sharded task the shards this replica holds.</li>
 *   <li>{@code GET /actuator/taskloop/{task}}: one task by id, or a declared task by name: the same
 *       figures plus its live stack and, when it waits on a lock, queue or semaphore, the task that
 *       holds it. A task that ended recently is still found, from the history. {@code 404} when
 *       unknown; {@code 400} for a selector that cannot name a task (blank, control characters,
 *       longer than 256 characters, or a number that is not a valid task id).</li>
 *   <li>{@code DELETE /actuator/taskloop/{task}}: cancels the task at its await point, with the reason
 *       {@code cancelled by operator '<principal>' through the Actuator endpoint 'taskloop'}; a
 *       declared task cancelled this way is stopped, not restarted. Over HTTP: {@code 204}, {@code 404}
 *       when unknown, {@code 409} when it has already ended (see {@link TaskloopEndpointWebExtension}).
 *       Write access is off by default: {@code management.endpoint.taskloop.access=unrestricted}
 *       turns it on. Every cancel request is published as an Actuator audit event of type
 *       {@value #AUDIT_CANCEL} (recorded when the application has an {@code AuditEventRepository}); who
 *       may send one is the application's security configuration's to decide (see the README).</li>
 *   <li>{@code POST /actuator/taskloop/{task}} with a JSON body {@code {"action": ...}}: operates a
 *       declared task (by name, or the id of its current attempt) through its {@link DeclaredTask}
 *       handle: {@code pause}, {@code resume}, {@code trigger} (one run now), {@code reschedule} (with
 *       {@code fixedRate}, {@code fixedDelay} or {@code cron}, and {@code zone}, {@code initialDelay},
 *       {@code overrun}, checked as {@code @BackgroundTask}'s attributes are, with the same messages) and
 *       {@code restart}. Over HTTP: {@code 202} with the declared task as it is now, {@code 400} for a
 *       missing or unknown action or field or a bad schedule, {@code 404} when no declared task has that
 *       name or attempt id, {@code 409} when its state does not allow the action (a run under way, a
 *       singleton this replica does not lead...); every answer carries its {@code message}. Write
 *       access only, like {@code DELETE}; each request is an audit event of type
 *       {@code TASKLOOP_<ACTION>} ({@value #AUDIT_CONTROL} when the action is missing or unknown).</li>
 * </ul>
 *
 * <p>Reading never creates, starts or changes anything. Times are milliseconds (loop time for task
 * totals and lag, wall time for how long the baton has been held).
 *
 * @since 0.1.0
 */
@Endpoint(id = "taskloop", defaultAccess = Access.READ_ONLY)
public class TaskloopEndpoint implements ApplicationEventPublisherAware {

    private static final Log log = LogFactory.getLog(TaskloopEndpoint.class);
    private static final int MAX_SELECTOR_LENGTH = 256;

    /** The type of the audit event of every cancel request ({@code DELETE /actuator/taskloop/{task}}). */
    public static final String AUDIT_CANCEL = "TASKLOOP_CANCEL";

    /** The audit principal of a cancel request made without one (no Spring Security). */
    public static final String ANONYMOUS = "anonymous";

    /** The type of the audit event of a control request ({@code POST}) whose action is missing or unknown; known actions have their own ({@link ControlAction#auditType()}). */
    public static final String AUDIT_CONTROL = "TASKLOOP_CONTROL";

    /** The fields of a control request besides {@code action}, which only {@code reschedule} takes. */
    static final List<String> SCHEDULE_FIELDS = List.of("fixedRate", "fixedDelay", "cron", "zone", "initialDelay", "overrun");

    private volatile @Nullable ApplicationEventPublisher publisher;

    private final LoopDirectory loops;
    private final DeclaredTaskRegistry declared;
    private final LoopMonitor monitor;
    private final RecentEvents events;
    private final int maxTasks;

    /**
     * @param maxTasks the most live tasks one {@link #taskloop()} lists
     */
    public TaskloopEndpoint(LoopDirectory loops, DeclaredTaskRegistry declared, LoopMonitor monitor, RecentEvents events, int maxTasks) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("maxTasks must be at least 1, was " + maxTasks);
        }
        this.loops = loops;
        this.declared = declared;
        this.monitor = monitor;
        this.events = events;
        this.maxTasks = maxTasks;
    }

    // ------------------------------------------------------------------ operations

    /** Every loop, declared task, live task (bounded) and recently ended task. */
    @ReadOperation
    public TaskloopDescriptor taskloop() {
        // Proportional to what it returns, not to the live tasks (there may be 100,000): the declared
        // tasks by their handles, then at most maxTasks others through the loops' bounded views.
        List<LoopDescriptor> loopDescriptors = new ArrayList<>();
        long alive = 0;
        java.util.Collection<EventLoop> all = loops.all();
        for (EventLoop loop : all) {
            LoopSnapshot snap = loop.snapshot();
            alive += snap.liveTasks();
            loopDescriptors.add(describe(loop, snap));
        }
        List<Task<?>> first = new ArrayList<>();
        java.util.Set<Long> listed = new java.util.HashSet<>();
        for (DeclaredTask d : declared.all()) {
            Task<?> t = d.task();
            if (t != null && !t.isDone() && first.size() < maxTasks && listed.add(t.id())) {
                first.add(t);
            }
        }
        first.sort(Comparator.comparingLong(Task::id));
        List<Task<?>> rest = new ArrayList<>();
        for (EventLoop loop : all) {
            for (Task<?> t : loop.tasks(maxTasks + listed.size())) {
                if (!t.isDone() && !listed.contains(t.id())) {
                    (declared.findByTask(t.id()).isPresent() ? first : rest).add(t);
                }
            }
        }
        rest.sort(Comparator.comparingLong(Task::id));
        List<Task<?>> live = new ArrayList<>(first);
        live.addAll(rest);
        List<TaskDescriptor> tasks = new ArrayList<>();
        for (Task<?> t : live.subList(0, Math.min(maxTasks, live.size()))) {
            TaskSnapshot s = t.snapshot();
            if (!s.state().isDone()) {
                tasks.add(TaskDescriptor.of(s, loopTime(t), declared.findByTask(t.id()).orElse(null)));
            }
        }
        List<DeclaredDescriptor> declaredTasks = declared.all().stream()
                .sorted(Comparator.comparing(DeclaredTask::name)).map(DeclaredDescriptor::of).toList();
        List<EndedDescriptor> ended = events.ended().stream().map(EndedDescriptor::of).toList();
        return new TaskloopDescriptor(loopDescriptors, declaredTasks, tasks, (int) Math.max(0, alive - tasks.size()), ended,
                ShutdownDescriptor.of(monitor.shutdownProgress()), sharded());
    }

    /** Each sharded election: which of its shards this replica holds, and what changed hands here. */
    private List<ShardedDescriptor> sharded() {
        Leadership l = declared.leadership().orElse(null);
        List<ShardedDescriptor> sharded = new ArrayList<>();
        for (Map.Entry<String, Integer> e : declared.shardedElections().entrySet()) {
            List<Integer> owned = l == null ? List.of() : l.ownedShards(e.getKey());
            Leadership.Handovers h = l == null ? new Leadership.Handovers(0, 0, 0) : l.handovers(e.getKey());
            sharded.add(new ShardedDescriptor(e.getKey(), e.getValue(), owned, h.acquired(), h.released(), h.lost()));
        }
        return sharded;
    }

    /**
     * One task by id, or a declared task by name; {@code null} (404) when there is none.
     *
     * @throws InvalidEndpointRequestException (400) for a selector that cannot name a task
     */
    @ReadOperation
    public @Nullable TaskDetailDescriptor task(@Selector String task) {
        Found f = find(task);
        if (f == null) {
            return null;
        }
        if (f.live != null) {
            TaskSnapshot s = f.live.snapshot();
            if (!s.state().isDone()) {
                return TaskDetailDescriptor.live(s, loopTime(f.live), f.supervised, f.live.stackTrace(), batonHeldFor(f.live));
            }
            Optional<RecentEvents.Ended> e = events.ended(s.id());
            return TaskDetailDescriptor.ended(s, e.map(RecentEvents.Ended::endedAt).orElse(null), f.supervised);
        }
        if (f.ended != null) {
            return TaskDetailDescriptor.ended(f.ended.task(), f.ended.endedAt(), f.supervised);
        }
        return TaskDetailDescriptor.notRunning(f.supervised);
    }

    /**
     * Cancels a task (by id, or a declared task by name) at its await point.
     *
     * @return what happened; {@link CancelOutcome#UNKNOWN} when there is no such task
     * @throws InvalidEndpointRequestException (400) for a selector that cannot name a task
     */
    @DeleteOperation
    public CancelDescriptor cancel(@Selector String task, @Nullable SecurityContext security) {
        Principal principal = security == null ? null : security.getPrincipal();
        CancelDescriptor result = cancel(task, principal);
        audit(principal, result);
        return result;
    }

    /** What a request for {@code task} that names no task (live, or ended recently) is told. */
    static String unknownTask(String task) {
        return "no task has the id or declared name '" + task
                + "'; use the id or declared name of a live task, as GET /actuator/taskloop lists them";
    }

    private CancelDescriptor cancel(String task, @Nullable Principal principal) {
        Found f = find(task);
        if (f == null) {
            return new CancelDescriptor(CancelOutcome.UNKNOWN, task, null, null, unknownTask(task));
        }
        Task<?> target = f.live;
        if (target == null || target.isDone()) {
            String state = target != null ? target.state().name()
                    : f.ended != null ? f.ended.task().state().name() : f.supervised.status().name();
            return new CancelDescriptor(CancelOutcome.ALREADY_ENDED, task, target != null ? target.id() : f.ended != null ? f.ended.task().id() : null,
                    state, "task '" + task + "' is not running (" + state + "); there is nothing to cancel");
        }
        CancelReason reason = CancelReason.of(CancelOrigins.OPERATOR, "cancelled by "
                + (principal == null ? "an operator" : "operator '" + principal.getName() + "'") + " through the Actuator endpoint 'taskloop'");
        if (!target.cancel(reason)) {
            return new CancelDescriptor(CancelOutcome.ALREADY_ENDED, task, target.id(), target.state().name(),
                    "the task ended before it could be cancelled");
        }
        log.info("Cancelling " + Describe.task(target) + " on loop '" + target.loop().name() + "': " + reason);
        return new CancelDescriptor(CancelOutcome.CANCELLED, task, target.id(), target.state().name(),
                "cancellation requested: the task sees it at its next await point");
    }

    /**
     * Operates a declared task (by name, or the id of its current attempt): pauses, resumes, triggers a
     * run of, reschedules or restarts it. What a request may carry is the parameters' names (the
     * {@link ControlFieldsAdvisor} refuses others before this is called).
     *
     * @param action {@code pause}, {@code resume}, {@code trigger}, {@code reschedule} or {@code restart} (any case)
     * @return what happened; never throws for bad input
     */
    @WriteOperation
    public ControlDescriptor control(@Selector String task, @Nullable String action, @Nullable String fixedRate, @Nullable String fixedDelay,
                                     @Nullable String cron, @Nullable String zone, @Nullable String initialDelay, @Nullable String overrun,
                                     @Nullable SecurityContext security) {
        Principal principal = security == null ? null : security.getPrincipal();
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        fields.put("fixedRate", fixedRate);
        fields.put("fixedDelay", fixedDelay);
        fields.put("cron", cron);
        fields.put("zone", zone);
        fields.put("initialDelay", initialDelay);
        fields.put("overrun", overrun);
        fields.values().removeIf(v -> v == null);
        ControlDescriptor result = control(task, action, fields, principal);
        audit(principal, result, fields);
        return result;
    }

    private ControlDescriptor control(String task, @Nullable String action, Map<String, @Nullable String> fields, @Nullable Principal principal) {
        if (action == null || action.isBlank()) {
            return refused(null, task, "a control request names its action: send a JSON body such as {\"action\":\"pause\"}; the actions"
                    + " are " + ControlAction.names());
        }
        ControlAction a = ControlAction.parse(action);
        if (a == null) {
            return refused(action, task, "unknown action '" + action + "'; the actions are " + ControlAction.names());
        }
        if (a != ControlAction.RESCHEDULE && !fields.isEmpty()) {
            return refused(a.label(), task, "action '" + a.label() + "' takes no other field than action, but the request has "
                    + String.join(", ", fields.keySet()) + "; " + String.join(", ", SCHEDULE_FIELDS) + " are for reschedule");
        }
        Found f;
        try {
            f = find(task);
        } catch (InvalidEndpointRequestException e) {
            return refused(a.label(), task, e.getMessage());
        }
        if (f == null) {
            return new ControlDescriptor(a.label(), ControlOutcome.UNKNOWN, task, "no declared task has the name or attempt id '" + task
                    + "'; use a declared task's name, as GET /actuator/taskloop lists them under 'declared'", null);
        }
        DeclaredTask st = f.supervised;
        if (st == null) {
            return new ControlDescriptor(a.label(), ControlOutcome.CONFLICT, task, "task '" + task + "' is not a declared task (it was spawned"
                    + " ad hoc): only a @BackgroundTask can be paused, resumed, triggered, rescheduled or restarted; DELETE cancels it", null);
        }
        String message;
        try {
            message = switch (a) {
                case PAUSE -> {
                    st.pause("paused by " + (principal == null ? "an operator" : "operator '" + principal.getName() + "'")
                            + " through the Actuator endpoint 'taskloop'");
                    yield st.schedule() instanceof Schedule.Periodic
                            ? "pause requested: task '" + st.name() + "' starts no new run until it is resumed (a run under way finishes)"
                            : "pause requested: task '" + st.name() + "' is cancelled at its next await point and not restarted until it is resumed";
                }
                case RESUME -> {
                    st.resume();
                    yield st.schedule() instanceof Schedule.Periodic
                            ? "resume requested: task '" + st.name() + "' goes back to its schedule"
                            : "resume requested: task '" + st.name() + "' starts again as attempt 1";
                }
                case TRIGGER -> {
                    st.trigger();
                    yield "one run of task '" + st.name() + "' starts now";
                }
                case RESCHEDULE -> {
                    Schedule.Periodic s = ScheduleParser.reschedule(st.name(), fields.get("fixedRate"), fields.get("fixedDelay"), fields.get("cron"),
                            fields.get("zone"), fields.get("initialDelay"), fields.get("overrun"));
                    st.reschedule(s);
                    yield "task '" + st.name() + "' runs on its new schedule from its next run, on this replica until the application stops";
                }
                case RESTART -> {
                    st.restart();
                    yield "task '" + st.name() + "' starts again as attempt 1, its restart intensity afresh";
                }
            };
        } catch (TaskDeclarationException | IllegalArgumentException e) {
            return refused(a.label(), task, e.getMessage());
        } catch (TaskControlException e) {
            return new ControlDescriptor(a.label(), ControlOutcome.CONFLICT, task, e.getMessage(), DeclaredDescriptor.of(st));
        }
        log.info("Task '" + st.name() + "': " + a.label() + " by " + (principal == null ? "an operator" : "operator '" + principal.getName() + "'")
                + (fields.isEmpty() ? "" : " " + fields) + " through the Actuator endpoint 'taskloop'");
        return new ControlDescriptor(a.label(), ControlOutcome.ACCEPTED, task, message, DeclaredDescriptor.of(st));
    }

    private static ControlDescriptor refused(@Nullable String action, String task, String message) {
        return new ControlDescriptor(action, ControlOutcome.BAD_REQUEST, task, message, null);
    }

    /** A control request that carries fields no action takes, refused before {@link #control} runs; audited as the others. */
    ControlDescriptor refuseFields(String task, @Nullable Object action, List<String> unknown, @Nullable SecurityContext security) {
        ControlAction a = action == null ? null : ControlAction.parse(action.toString());
        ControlDescriptor result = refused(a == null ? (action == null ? null : action.toString()) : a.label(), task,
                (unknown.size() == 1 ? "unknown field '" + unknown.getFirst() + "'" : "unknown fields " + unknown.stream().map(u -> "'" + u + "'")
                        .collect(Collectors.joining(", "))) + "; a control request takes action, and for reschedule "
                        + String.join(", ", SCHEDULE_FIELDS));
        audit(security == null ? null : security.getPrincipal(), result, Map.of());
        return result;
    }

    /**
     * Publishes a control request as an Actuator audit event of type {@code TASKLOOP_<ACTION>} (or
     * {@value #AUDIT_CONTROL}), with {@code task} (the selector), {@code action}, {@code outcome},
     * {@code message}, the schedule fields it carried, and the declared task's {@code status} after it.
     */
    private void audit(@Nullable Principal principal, ControlDescriptor result, Map<String, @Nullable String> fields) {
        ApplicationEventPublisher p = publisher;
        if (p == null) {
            return;
        }
        ControlAction a = result.action() == null ? null : ControlAction.parse(result.action());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", result.task());
        if (result.action() != null) {
            data.put("action", result.action());
        }
        data.put("outcome", result.outcome().name());
        fields.forEach((k, v) -> {
            if (v != null) {
                data.put(k, v);
            }
        });
        if (result.declared() != null) {
            data.put("status", result.declared().status());
        }
        data.put("message", result.message());
        p.publishEvent(new AuditApplicationEvent(principal == null ? ANONYMOUS : principal.getName(), a == null ? AUDIT_CONTROL : a.auditType(),
                data));
    }

    /**
     * Publishes the operator's cancel request as an Actuator audit event ({@value #AUDIT_CANCEL}), which
     * the application's {@code AuditEventRepository}, when it has one, records (Spring Boot's
     * {@code AuditListener}). Its data: {@code task} (the selector), {@code outcome}, {@code message},
     * and when a task was found {@code taskId} and {@code state}.
     */
    private void audit(@Nullable Principal principal, CancelDescriptor result) {
        ApplicationEventPublisher p = publisher;
        if (p == null) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", result.selector());
        data.put("outcome", result.outcome().name());
        if (result.taskId() != null) {
            data.put("taskId", result.taskId());
        }
        if (result.state() != null) {
            data.put("state", result.state());
        }
        data.put("message", result.message());
        p.publishEvent(new AuditApplicationEvent(principal == null ? ANONYMOUS : principal.getName(), AUDIT_CANCEL, data));
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    // ------------------------------------------------------------------ lookup

    /** What a selector names: a live task, an ended one from the history, and/or a declared task. */
    private record Found(@Nullable Task<?> live, RecentEvents.@Nullable Ended ended, @Nullable DeclaredTask supervised) {
    }

    private @Nullable Found find(String selector) {
        validate(selector);
        if (isDigits(selector)) {
            long id = parseId(selector);
            for (EventLoop loop : loops.all()) {
                Optional<Task<?>> t = loop.task(id);
                if (t.isPresent()) {
                    return new Found(t.get(), null, declared.findByTask(id).orElse(null));
                }
            }
            Optional<RecentEvents.Ended> e = events.ended(id);
            if (e.isPresent()) {
                return new Found(null, e.get(), declared.findByTask(id).orElse(null));
            }
        }
        Optional<DeclaredTask> st = declared.find(selector);
        if (st.isEmpty()) {
            return null;
        }
        Task<?> current = st.get().task();
        RecentEvents.Ended ended = current == null || !current.isDone() ? null : events.ended(current.id()).orElse(null);
        return new Found(current, ended, st.get());
    }

    private static void validate(String selector) {
        if (selector == null || selector.isBlank()) {
            throw new InvalidEndpointRequestException("A task selector must be a task id or a declared task name; it was blank",
                    "blank task selector");
        }
        if (selector.length() > MAX_SELECTOR_LENGTH) {
            throw new InvalidEndpointRequestException("A task selector is at most " + MAX_SELECTOR_LENGTH + " characters; this one has "
                    + selector.length() + " ('" + selector.substring(0, 20) + "...'); use a task id or a declared task name",
                    "task selector too long");
        }
        for (int i = 0; i < selector.length(); i++) {
            if (Character.isISOControl(selector.charAt(i))) {
                throw new InvalidEndpointRequestException(String.format("A task selector must not contain control characters; this one has"
                        + " U+%04X at index %d; use a task id or a declared task name", (int) selector.charAt(i), i),
                        "control characters in task selector");
            }
        }
    }

    private static boolean isDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long parseId(String s) {
        long id;
        try {
            id = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidEndpointRequestException("Task id " + s + " is out of range: ids are positive 64-bit integers",
                    "task id out of range");
        }
        if (id < 1) {
            throw new InvalidEndpointRequestException("Task id " + s + " is not valid: ids start at 1", "task id out of range");
        }
        return id;
    }

    private static long loopTime(Task<?> t) {
        return t.loop().time();
    }

    /** How long {@code t} has held its loop's baton, or {@code null} if it does not hold it. */
    private static @Nullable Double batonHeldFor(Task<?> t) {
        LoopSnapshot s = t.loop().snapshot();
        return s.holderId() == t.id() ? millis(s.heldForNanos()) : null;
    }

    // ------------------------------------------------------------------ loops

    private LoopDescriptor describe(EventLoop loop, LoopSnapshot s) {
        LoopAssessment.LoopHealth h = monitor.assess(s);
        BatonHolderDescriptor holder = null;
        if (s.holderName() != null) {
            Boolean blocked = null;
            String threadState = null;
            Optional<RecentEvents.StuckReport> r = events.stuckReport(s);
            if (r.isPresent()) {
                blocked = r.get().step().blocked();
                threadState = r.get().step().threadState() == null ? null : r.get().step().threadState().name();
            }
            List<String> stack = s.holderId() < 0 ? List.of()
                    : loop.task(s.holderId()).map(t -> stack(t.stackTrace())).orElse(List.of());
            holder = new BatonHolderDescriptor(s.holderId() < 0 ? null : s.holderId(), s.holderName(), millis(s.heldForNanos()),
                    s.heldForNanos() >= s.slowStepThresholdNanos(), blocked, threadState, stack);
        }
        return new LoopDescriptor(s.name(), h.condition().name(), s.closed(), s.readyDepth(), s.liveTasks(), s.offloads(),
                s.spawned(), s.completed(), s.failed(), s.cancelled(), s.steps(), s.slowSteps(), s.blockedSteps(),
                ratio(h.recent().utilization()), ratio(s.utilization()),
                new LagDescriptors(LagDescriptor.of(h.recent().lag(), h.recent().windowNanos()), LagDescriptor.of(s.lag(), s.elapsedNanos())),
                holder, millis(s.slowStepThresholdNanos()), millis(monitor.settings().stuckThreshold().toNanos()),
                millis(monitor.settings().lagThreshold().toNanos()), AdmissionDescriptor.of(s.admission()));
    }

    // ------------------------------------------------------------------ helpers

    static List<String> stack(StackTraceElement[] stack) {
        return Describe.stack(stack); // bounded: Describe.MAX_STACK_FRAMES frames, then "... N more frames"
    }

    // ------------------------------------------------------------------ descriptors

    /** Outcome of a cancel request. */
    public enum CancelOutcome {
        /** Cancellation was requested; the task sees it at its next await point. */
        CANCELLED,
        /** The task had already ended. */
        ALREADY_ENDED,
        /** No task has that id or declared name. */
        UNKNOWN
    }

    /** The actions of a control request ({@code POST /actuator/taskloop/{task}}). */
    public enum ControlAction {
        PAUSE, RESUME, TRIGGER, RESCHEDULE, RESTART;

        /** As a request names it: {@code pause}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type of its audit event: {@code TASKLOOP_PAUSE}. */
        public String auditType() {
            return "TASKLOOP_" + name();
        }

        static @Nullable ControlAction parse(String s) {
            for (ControlAction a : values()) {
                if (a.name().equalsIgnoreCase(s.trim())) {
                    return a;
                }
            }
            return null;
        }

        static String names() {
            return "pause, resume, trigger, reschedule and restart";
        }
    }

    /** Outcome of a control request. */
    public enum ControlOutcome {
        /** Done: the task acts on it at its next await point ({@code 202}). */
        ACCEPTED,
        /** The request is malformed: no or an unknown action or field, or a bad schedule ({@code 400}). */
        BAD_REQUEST,
        /** No declared task has that name or attempt id ({@code 404}). */
        UNKNOWN,
        /** The task's state does not allow it ({@code 409}). */
        CONFLICT
    }

    /**
     * The whole picture.
     *
     * @param loops every loop
     * @param declared every started declared task ({@code @BackgroundTask}), by name
     * @param tasks the live tasks, declared ones first, then by id; at most {@code taskloop.endpoint.max-tasks}
     * @param tasksOmitted how many live tasks were left out of {@code tasks}
     * @param recentlyEnded the recently ended tasks, newest first
     * @param shutdown the orderly shutdown: its phase, budgets and the phases done so far
     * @param sharded every sharded task or group ({@code shards = ...}): the shards this replica holds
     */
    public record TaskloopDescriptor(List<LoopDescriptor> loops, List<DeclaredDescriptor> declared, List<TaskDescriptor> tasks,
                                     int tasksOmitted, List<EndedDescriptor> recentlyEnded, ShutdownDescriptor shutdown,
                                     List<ShardedDescriptor> sharded)
            implements OperationResponseBody {

        public TaskloopDescriptor {
            loops = List.copyOf(loops);
            declared = List.copyOf(declared);
            tasks = List.copyOf(tasks);
            recentlyEnded = List.copyOf(recentlyEnded);
            sharded = List.copyOf(sharded);
        }
    }

    /**
     * A sharded task or group, on this replica.
     *
     * @param election its sharded election (its name); shard {@code i} runs as the declared task {@code <election>-<i>}
     * @param shards how many shards it has
     * @param owned the shards this replica holds now, in index order
     * @param acquired shards this replica took, since it started
     * @param released shards it gave up (rebalancing, stopping), since it started
     * @param lost shards it lost (renew deadline passed, or taken over), since it started
     */
    public record ShardedDescriptor(String election, int shards, List<Integer> owned, long acquired, long released, long lost) {

        public ShardedDescriptor {
            owned = List.copyOf(owned);
        }
    }

    /**
     * The orderly shutdown (see {@code TaskloopLifecycle}).
     *
     * @param phase {@code RUNNING}, {@code INTAKE}, {@code DRAIN}, {@code CANCEL}, {@code HAND_BACK} or {@code STOPPED}
     * @param elapsedMs time since it began, 0 while running
     * @param drainBudgetMs {@code taskloop.shutdown.drain-timeout}
     * @param cancelBudgetMs {@code taskloop.shutdown.timeout}
     * @param steps what each finished phase did, with its duration
     */
    public record ShutdownDescriptor(String phase, long elapsedMs, long drainBudgetMs, long cancelBudgetMs, List<String> steps) {

        public ShutdownDescriptor {
            steps = List.copyOf(steps);
        }

        static ShutdownDescriptor of(ShutdownProgress p) {
            return new ShutdownDescriptor(p.phase().name(), p.elapsed().toMillis(), p.drainBudget().toMillis(),
                    p.cancelBudget().toMillis(), p.steps());
        }
    }

    /**
     * A loop.
     *
     * @param name its name
     * @param status {@code OK}, {@code SATURATED}, {@code OVERLOADED}, {@code STUCK} or {@code CLOSED} (see {@code LoopMonitor})
     * @param closed whether it is closing or closed
     * @param queueDepth tasks and callbacks ready, queued for the baton
     * @param liveTasks tasks alive
     * @param offloads tasks running a blocking call through {@code offload}
     * @param spawned tasks spawned since start
     * @param completed tasks that completed since start
     * @param failed tasks that failed since start
     * @param cancelled tasks that ended cancelled since start
     * @param steps times the baton was taken
     * @param slowSteps steps that held the baton at least the slow-step threshold
     * @param blockedSteps slow steps whose holder was blocked in a non-Taskloop wait
     * @param utilization share of the recent window the baton was held
     * @param utilizationSinceStart share of the time since start the baton was held
     * @param lag ready-to-running delay percentiles
     * @param batonHolder the task holding the baton now, or {@code null}
     * @param slowStepThresholdMs the slow-step threshold
     * @param stuckThresholdMs {@code taskloop.health.stuck-threshold}
     * @param lagThresholdMs {@code taskloop.health.lag-threshold}
     * @param admission its admission control: the policy, whether it is overloaded, and what it did
     */
    public record LoopDescriptor(String name, String status, boolean closed, int queueDepth, int liveTasks, int offloads,
                                 long spawned, long completed, long failed, long cancelled, long steps, long slowSteps,
                                 long blockedSteps, double utilization, double utilizationSinceStart, LagDescriptors lag,
                                 @Nullable BatonHolderDescriptor batonHolder, double slowStepThresholdMs, double stuckThresholdMs,
                                 double lagThresholdMs, @Nullable AdmissionDescriptor admission) {
    }

    /**
     * A loop's admission control ({@code taskloop.admission.*}).
     *
     * @param maxTasks the live-task limit
     * @param lagSloMs the lag SLO, 0 for none
     * @param mode {@code WAIT}, {@code FAIL} or {@code SHED}
     * @param overloaded whether the recent lag p99 is over the SLO now
     * @param waiting spawns waiting for room now
     * @param waited spawns that had to wait, since start
     * @param rejected spawns rejected (mode {@code FAIL}), since start
     * @param shed spawns shed (mode {@code SHED}), since start
     */
    public record AdmissionDescriptor(int maxTasks, double lagSloMs, String mode, boolean overloaded, int waiting, long waited,
                                      long rejected, long shed) {
        static @Nullable AdmissionDescriptor of(@Nullable AdmissionSnapshot a) {
            return a == null ? null : new AdmissionDescriptor(a.maxTasks(), millis(a.lagSloNanos()), a.mode(), a.overloaded(), a.waiting(),
                    a.waited(), a.rejected(), a.shed());
        }
    }

    /**
     * Lag over two spans.
     *
     * @param recent over the recent window ({@code taskloop.health.lag-window})
     * @param sinceStart since the loop started
     */
    public record LagDescriptors(LagDescriptor recent, LagDescriptor sinceStart) {
    }

    /**
     * A lag distribution (log-linear buckets: percentiles are within 12.5 %).
     *
     * @param spanMs the span of loop time it covers
     * @param count steps in it
     * @param meanMs mean
     * @param p50Ms median
     * @param p90Ms 90th percentile
     * @param p99Ms 99th percentile
     * @param p999Ms 99.9th percentile
     * @param maxMs largest (for the recent window: the upper bound of its highest bucket)
     */
    public record LagDescriptor(double spanMs, long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                                double maxMs) {
        static LagDescriptor of(LatencySnapshot l, long spanNanos) {
            return new LagDescriptor(millis(spanNanos), l.count(), millis(Math.round(l.mean())), millis(l.p50()), millis(l.p90()), millis(l.p99()),
                    millis(l.p999()), millis(l.maxNanos()));
        }
    }

    /**
     * The task holding a loop's baton.
     *
     * @param taskId its id ({@code null} for the loop's callbacks)
     * @param taskName its name ({@code <callbacks>} for the loop's callbacks)
     * @param heldForMs how long it has held the baton (wall time)
     * @param slow whether that is at least the slow-step threshold
     * @param blocked whether the watchdog saw it blocked in a non-Taskloop wait ({@code Thread.sleep}, JDBC,
     *     a monitor); {@code null} until the watchdog has looked (after the slow-step threshold)
     * @param threadState its thread's state when the watchdog looked, or {@code null}
     * @param stack its live stack, sampled now (empty for callbacks)
     */
    public record BatonHolderDescriptor(@Nullable Long taskId, String taskName, double heldForMs, boolean slow, @Nullable Boolean blocked,
                                        @Nullable String threadState, List<String> stack) {

        public BatonHolderDescriptor {
            stack = List.copyOf(stack);
        }
    }

    /**
     * A declared task, as its supervisor sees it.
     *
     * @param name declared name
     * @param group its supervised group, or {@code null}
     * @param loop its loop
     * @param status {@code STARTING}, {@code RUNNING}, {@code BACKING_OFF}, {@code COMPLETED}, {@code FAILED}, {@code STOPPED},
     *     {@code STANDBY} (a singleton whose election another replica leads) or {@code PAUSED}
     * @param critical whether its failure for good makes health DOWN
     * @param started whether it has started (always true without awaitStarted)
     * @param restarts restarts so far
     * @param lastFailure the last exception an attempt ended with, or {@code null}
     * @param taskId the Taskloop task of the current (or last) attempt, or {@code null}
     * @param singleton the leader election it runs under (for a shard: the sharded election), or {@code null} if it runs on
     *     every replica
     * @param leader for a singleton, whether this replica leads its election now (for a shard: holds the shard); else {@code null}
     * @param schedule when it runs
     * @param paused whether an operator paused it (its status is {@code PAUSED} once it stopped)
     * @param nextExecution when its next run starts, or {@code null} while none is planned
     * @param lastExecution its last execution (the one under way included), or {@code null}
     * @param executionCounts how its executions ended
     * @param recentExecutions its last executions, newest first (at most {@value DeclaredTask#RECENT_EXECUTIONS})
     * @param shard for a shard of a sharded task: which, of how many; else {@code null}
     * @param fencingToken for a singleton or a shard, the fencing token of this replica's current (or last) term, or {@code null}
     */
    public record DeclaredDescriptor(String name, @Nullable String group, String loop, String status, boolean critical, boolean started,
                                     int restarts, @Nullable FailureDescriptor lastFailure, @Nullable Long taskId, @Nullable String singleton,
                                     @Nullable Boolean leader,
                                     ScheduleDescriptor schedule, boolean paused, @Nullable NextExecutionDescriptor nextExecution,
                                     @Nullable ExecutionDescriptor lastExecution, ExecutionCountsDescriptor executionCounts,
                                     List<ExecutionDescriptor> recentExecutions, @Nullable ShardDescriptor shard, @Nullable Long fencingToken) {

        public DeclaredDescriptor {
            recentExecutions = List.copyOf(recentExecutions);
        }

        static DeclaredDescriptor of(DeclaredTask st) {
            Task<?> t = st.task();
            Instant next = st.nextExecution();
            DeclaredTask.ExecutionCounts c = st.executionCounts();
            return new DeclaredDescriptor(st.name(), st.group(), st.loop(), st.status().name(), st.isCritical(), st.isStarted(),
                    st.restarts(), FailureDescriptor.of(st.lastFailure()), t == null ? null : t.id(), st.election(), st.isLeader(),
                    ScheduleDescriptor.of(st.schedule(), st.isRescheduled()), st.isPaused(), next == null ? null : new NextExecutionDescriptor(next),
                    ExecutionDescriptor.of(st.lastExecution()), new ExecutionCountsDescriptor(c.total(), c.succeeded(), c.failed(), c.cancelled()),
                    st.recentExecutions().stream().map(ExecutionDescriptor::of).toList(), ShardDescriptor.of(st.shard()), st.fencingToken());
        }
    }

    /**
     * One shard of a sharded task.
     *
     * @param index from 0
     * @param count how many shards the task has
     */
    public record ShardDescriptor(int index, int count) {
        static @Nullable ShardDescriptor of(TaskContext.@Nullable Shard s) {
            return s == null ? null : new ShardDescriptor(s.index(), s.count());
        }
    }

    /**
     * When a declared task runs, with the field names of Spring Boot's {@code scheduledtasks} endpoint
     * ({@code interval}, {@code initialDelay} in milliseconds, {@code expression}).
     *
     * @param kind {@code continuous} (once per attempt), {@code fixedRate}, {@code fixedDelay} or {@code cron}
     * @param interval the rate or the delay in milliseconds, or {@code null}
     * @param initialDelay the delay before the first run in milliseconds, or {@code null}
     * @param expression the cron expression as written, or {@code null}
     * @param zone the cron expression's time zone, or {@code null}
     * @param overrun {@code SKIP} or {@code CATCH_UP} for a fixed rate or a cron expression, else {@code null}
     * @param rescheduled whether an operator gave it this schedule, in place of its declaration's (until the application stops)
     */
    public record ScheduleDescriptor(String kind, @Nullable Long interval, @Nullable Long initialDelay, @Nullable String expression,
                                     @Nullable String zone, @Nullable String overrun, boolean rescheduled) {
        static ScheduleDescriptor of(Schedule s, boolean rescheduled) {
            return switch (s) {
                case Schedule.Continuous c -> new ScheduleDescriptor("continuous", null, null, null, null, null, rescheduled);
                case Schedule.FixedRate r -> new ScheduleDescriptor("fixedRate", r.period().toMillis(), r.initialDelay().toMillis(), null, null,
                        r.overrun().name(), rescheduled);
                case Schedule.FixedDelay d -> new ScheduleDescriptor("fixedDelay", d.delay().toMillis(), d.initialDelay().toMillis(), null, null,
                        null, rescheduled);
                case Schedule.Cron c -> new ScheduleDescriptor("cron", null, null, c.source(), c.zone().getId(), c.overrun().name(), rescheduled);
            };
        }
    }

    /**
     * The next run of a periodic task, as planned now (Spring Boot's {@code nextExecution}).
     *
     * @param time when it starts (wall clock)
     */
    public record NextExecutionDescriptor(Instant time) {
    }

    /**
     * An execution: a run of a periodic task, or an attempt of a task that runs once per attempt
     * (Spring Boot's {@code lastExecution}, plus its duration and number).
     *
     * @param number the run number in its attempt, or the attempt number
     * @param status {@code STARTED} (under way), {@code SUCCESS}, {@code ERROR} or {@code CANCELLED}
     * @param time when it started (wall clock)
     * @param durationMs how long it took (loop time), or {@code null} while under way
     * @param exception what it threw, or {@code null}
     * @param triggered whether an operator asked for it, rather than the schedule
     */
    public record ExecutionDescriptor(long number, String status, Instant time, @Nullable Double durationMs,
                                      @Nullable FailureDescriptor exception, boolean triggered) {
        static @Nullable ExecutionDescriptor of(DeclaredTask.@Nullable Execution e) {
            if (e == null) {
                return null;
            }
            Duration d = e.duration();
            return new ExecutionDescriptor(e.number(), e.status().name(), e.time(), d == null ? null : millis(d.toNanos()),
                    FailureDescriptor.of(e.exception()), e.triggered());
        }
    }

    /**
     * How a declared task's executions ended since the application started.
     *
     * @param total started
     * @param succeeded returned
     * @param failed threw
     * @param cancelled cancelled at an await point
     */
    public record ExecutionCountsDescriptor(long total, long succeeded, long failed, long cancelled) {
    }

    /**
     * An exception.
     *
     * @param type its class name
     * @param message its message, or {@code null}
     */
    public record FailureDescriptor(String type, @Nullable String message) {
        static @Nullable FailureDescriptor of(@Nullable Throwable t) {
            return t == null ? null : new FailureDescriptor(t.getClass().getName(), t.getMessage());
        }
    }

    /**
     * What a task waits on.
     *
     * @param kind the await point ({@code sleep}, {@code join}, {@code queue.get}, {@code lock}...)
     * @param target what it waits on (a duration, a task or primitive name), may be empty
     * @param forMs how long it has waited (loop time)
     * @param holder the task holding what it waits on (a lock's owner), or {@code null}
     */
    public record AwaitingDescriptor(String kind, String target, double forMs, @Nullable TaskRef holder) {
        static @Nullable AwaitingDescriptor of(@Nullable Awaiting a, long now) {
            return a == null ? null : new AwaitingDescriptor(a.kind(), a.target(), millis(Math.max(0, now - a.since())),
                    a.holderId() >= 0 ? new TaskRef(a.holderId(), a.holderName()) : null);
        }
    }

    /**
     * A reference to a task.
     *
     * @param id its id
     * @param name its name
     */
    public record TaskRef(long id, String name) {
    }

    /**
     * The supervision of a task that is the current attempt of a declared task.
     *
     * @param status the declared task's status
     * @param group its supervised group, or {@code null}
     * @param critical whether it is critical
     * @param restarts restarts so far
     * @param lastFailure the last exception an attempt ended with, or {@code null}
     */
    public record SupervisionDescriptor(String status, @Nullable String group, boolean critical, int restarts,
                                        @Nullable FailureDescriptor lastFailure) {
        static @Nullable SupervisionDescriptor of(@Nullable DeclaredTask st) {
            return st == null ? null : new SupervisionDescriptor(st.status().name(), st.group(), st.isCritical(), st.restarts(),
                    FailureDescriptor.of(st.lastFailure()));
        }
    }

    /**
     * A live task.
     *
     * @param id its id
     * @param name its name
     * @param loop its loop
     * @param group the {@code TaskGroup} it was spawned in, or {@code null}
     * @param state {@code READY}, {@code RUNNING} or {@code ASLEEP}
     * @param awakeMs time holding the baton
     * @param asleepMs time at await points (offloaded calls included)
     * @param waitingMs time ready but queued for the baton
     * @param steps times it got the baton
     * @param ageMs time since it was spawned
     * @param awaiting what it waits on now, or {@code null}
     * @param cancelRequested whether it has been asked to stop
     * @param cancelReason why, or {@code null}
     * @param cancelOrigin who asked ({@code operator}, {@code timeout}, {@code shutdown}...), or {@code null}
     * @param declared its supervision when it runs a declared task, else {@code null} (ad-hoc task)
     */
    public record TaskDescriptor(long id, String name, String loop, @Nullable String group, String state, double awakeMs,
                                 double asleepMs, double waitingMs, long steps, double ageMs, @Nullable AwaitingDescriptor awaiting,
                                 boolean cancelRequested, @Nullable String cancelReason, @Nullable String cancelOrigin,
                                 @Nullable SupervisionDescriptor declared) {
        static TaskDescriptor of(TaskSnapshot s, long now, @Nullable DeclaredTask st) {
            return new TaskDescriptor(s.id(), s.name(), s.loop(), s.group(), s.state().name(), millis(s.awakeNanos()), millis(s.asleepNanos()),
                    millis(s.waitingNanos()), s.steps(), millis(Math.max(0, now - s.spawnedAt())), AwaitingDescriptor.of(s.awaiting(), now),
                    s.cancelRequested(), s.cancelReason() == null ? null : s.cancelReason().message(),
                    s.cancelReason() == null ? null : s.cancelReason().origin().label(), SupervisionDescriptor.of(st));
        }
    }

    /**
     * A task that ended.
     *
     * @param id its id
     * @param name its name
     * @param loop its loop
     * @param group its {@code TaskGroup}, or {@code null}
     * @param outcome {@code COMPLETED}, {@code FAILED} or {@code CANCELLED}
     * @param cause why: {@code completed}, {@code failed}, or for a cancellation the label of its
     *     {@linkplain dev.taskloop.core.CancelOrigin origin}, who cancelled it: {@code operator}, {@code timeout},
     *     {@code sibling-failure}, {@code shutdown}, {@code supervisor}, {@code leadership}, {@code joiner-cancelled},
     *     {@code stream-closed}, {@code admission}, {@code application}, or an application's own
     * @param reason the cancellation's reason, or {@code null}
     * @param failure what it threw, or {@code null}
     * @param endedAt when it ended (wall clock), or {@code null} if unknown
     * @param awakeMs time holding the baton
     * @param asleepMs time at await points
     * @param waitingMs time queued for the baton
     * @param lifetimeMs time from spawn to end
     */
    public record EndedDescriptor(long id, String name, String loop, @Nullable String group, String outcome, @Nullable String cause,
                                  @Nullable String reason, @Nullable FailureDescriptor failure, @Nullable Instant endedAt, double awakeMs,
                                  double asleepMs, double waitingMs, double lifetimeMs) {
        static EndedDescriptor of(RecentEvents.Ended e) {
            return of(e.task(), e.endedAt());
        }

        static EndedDescriptor of(TaskSnapshot s, @Nullable Instant endedAt) {
            return new EndedDescriptor(s.id(), s.name(), s.loop(), s.group(), s.state().name(), EndCause.of(s),
                    s.state() == Task.State.CANCELLED && s.cancelReason() != null ? s.cancelReason().message() : null,
                    s.state() == Task.State.FAILED ? FailureDescriptor.of(s.failure()) : null, endedAt, millis(s.awakeNanos()),
                    millis(s.asleepNanos()), millis(s.waitingNanos()), s.endedAt() < 0 ? 0 : millis(s.endedAt() - s.spawnedAt()));
        }
    }

    /**
     * One task in detail. Exactly one of {@code task} and {@code ended} is set, or neither for a
     * declared task that has no attempt yet.
     *
     * @param task the live task, or {@code null}
     * @param ended the ended task (from the history), or {@code null}
     * @param declared its supervision when it is (or was) a declared task's attempt, else {@code null}
     * @param batonHeldForMs how long it has held its loop's baton, or {@code null} if it does not hold it
     * @param stack its live stack: where it waits, or what it runs (empty once ended)
     */
    public record TaskDetailDescriptor(@Nullable TaskDescriptor task, @Nullable EndedDescriptor ended, @Nullable DeclaredDescriptor declared,
                                       @Nullable Double batonHeldForMs, List<String> stack) implements OperationResponseBody {

        public TaskDetailDescriptor {
            stack = List.copyOf(stack);
        }

        static TaskDetailDescriptor live(TaskSnapshot s, long now, @Nullable DeclaredTask st, StackTraceElement[] stack,
                                         @Nullable Double heldFor) {
            return new TaskDetailDescriptor(TaskDescriptor.of(s, now, st), null, st == null ? null : DeclaredDescriptor.of(st), heldFor,
                    TaskloopEndpoint.stack(stack));
        }

        static TaskDetailDescriptor ended(TaskSnapshot s, @Nullable Instant endedAt, @Nullable DeclaredTask st) {
            return new TaskDetailDescriptor(null, EndedDescriptor.of(s, endedAt), st == null ? null : DeclaredDescriptor.of(st), null,
                    List.of());
        }

        static TaskDetailDescriptor notRunning(DeclaredTask st) {
            return new TaskDetailDescriptor(null, null, DeclaredDescriptor.of(st), null, List.of());
        }
    }

    /**
     * The result of a cancel request.
     *
     * @param outcome what happened
     * @param selector the id or name asked for
     * @param taskId the task it resolved to, or {@code null}
     * @param state the task's state after the request, or {@code null}
     * @param message what happened, in words
     */
    public record CancelDescriptor(CancelOutcome outcome, String selector, @Nullable Long taskId, @Nullable String state, String message)
            implements OperationResponseBody {
    }

    /**
     * The result of a control request.
     *
     * @param action the action, as the request named it ({@code pause}...), or {@code null} if it named none
     * @param outcome what happened
     * @param task the name or id asked for
     * @param message what happened, in words; for a refusal, why and what is allowed
     * @param declared the declared task as it is now, or {@code null} if none was found (or the request was malformed)
     */
    public record ControlDescriptor(@Nullable String action, ControlOutcome outcome, String task, String message,
                                    @Nullable DeclaredDescriptor declared) implements OperationResponseBody {
    }
}
