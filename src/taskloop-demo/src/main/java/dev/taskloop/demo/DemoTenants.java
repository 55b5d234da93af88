package dev.taskloop.demo;

import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The demo's sharded task, only with {@code demo.tenants.shards} set (the chart's leader-election
 * example sets 12): {@code tenant-poller} polls 100 tenants, spread over the replicas in that many
 * shards, each replica polling only the tenants of the shards it holds
 * ({@code TaskContext.shard().owns(tenant)}), every 5 s. Each poll is stamped with the shard's fencing
 * token, as a write to a shared store would be ({@link #lastPolls()}). Sharded tasks need a leader
 * election backend ({@code taskloop.leader.backend}: {@code kubernetes} in the chart, {@code none} on
 * one machine).
 */
@Component
@ConditionalOnProperty("demo.tenants.shards")
public class DemoTenants {

    private static final Logger log = LoggerFactory.getLogger(DemoTenants.class);

    /** The tenants, {@code tenant-000} to {@code tenant-099}. */
    static final List<String> TENANTS = IntStream.range(0, 100).mapToObj(i -> String.format("tenant-%03d", i)).toList();

    /** Per tenant, the fencing token of its last poll on this replica. */
    private final Map<String, Long> lastPolls = new ConcurrentHashMap<>();

    @BackgroundTask(name = "tenant-poller", shards = "${demo.tenants.shards}", fixedDelay = "5s")
    void poll(TaskContext ctx) throws InterruptedException {
        List<String> mine = TENANTS.stream().filter(ctx.shard()::owns).toList();
        long token = ctx.fencingToken();
        for (String tenant : mine) {
            Async.offload(() -> blockingPoll(tenant));
            lastPolls.put(tenant, token);
        }
        log.info("shard {} of {} (fencing token {}): polled {} tenants", ctx.shard().index(), ctx.shard().count(), token, mine.size());
    }

    /** Stands for the call to the tenant's mailbox, or API: it blocks, so it is offloaded. */
    private static int blockingPoll(String tenant) throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
        return tenant.length();
    }

    /** The tenants this replica has polled, with the fencing token of the shard's term that last did. */
    public Map<String, Long> lastPolls() {
        return Map.copyOf(lastPolls);
    }
}
