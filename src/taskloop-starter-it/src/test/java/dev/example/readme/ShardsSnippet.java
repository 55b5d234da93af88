package dev.example.readme;

import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskContext;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

class ShardsSnippet {

    record Tenant(String id) {}

    interface Tenants {
        List<Tenant> all();
    }

    Tenants tenants;

    void pollMailbox(Tenant tenant, long fencingToken) {
    }

    void produce() {
    }

    void consume() {
    }

    // readme:snippet shards
    @BackgroundTask(name = "tenant-poller", shards = "16", fixedDelay = "5s")   // or shards = "${tenants.shards}"
    void poll(TaskContext ctx) {
        for (Tenant t : tenants.all()) {
            if (ctx.shard().owns(t.id())) {               // Math.floorMod(id.hashCode(), 16) == ctx.shard().index()
                pollMailbox(t, ctx.fencingToken());
            }
        }
    }

    @Component
    @SupervisedGroup(name = "ingest", shards = "4")        // a copy of the whole group per shard: ingest-0..3
    class Ingest { @BackgroundTask void producer() { produce(); }  @BackgroundTask void consumer() { consume(); } }
    // readme:end

    static final String SQL = "update positions set position = ?, token = ? where tenant = ? and token <= ?";

    JdbcTemplate jdbc;

    void savePosition(TaskContext ctx, String tenant, long position) {
        // readme:snippet fencing
        long token = ctx.fencingToken();
        if (jdbc.update(SQL, position, token, tenant, token) == 0) {
            throw new IllegalStateException("fenced off: shard " + ctx.shard() + " has a newer holder");   // the term is over
        }
        // readme:end
    }
}
