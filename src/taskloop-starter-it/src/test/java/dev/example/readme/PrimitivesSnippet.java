package dev.example.readme;

import dev.taskloop.core.*;
import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.stream.AsyncStream;
import dev.taskloop.core.sync.*;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

class PrimitivesSnippet {

    record Job(int id) {}

    record Row(int id) {
        boolean valid() {
            return id >= 0;
        }
    }

    interface Cursor extends AutoCloseable {
        boolean hasMore();

        Row next();

        @Override
        void close();
    }

    Job job = new Job(1);
    ArrayDeque<String> buf = new ArrayDeque<>();

    void update() {
    }

    void query() {
    }

    void load() {
    }

    void compute() {
    }

    void work() {
    }

    void use(Row row) {
    }

    Cursor open() {
        throw new UnsupportedOperationException();
    }

    void primitives() throws Exception {
        // readme:snippet primitives
        Queue<Job> jobs = Queue.fifo("jobs", 100);          // also Queue.lifo, Queue.priority; Queue.UNBOUNDED
        jobs.put(job);  Job j = jobs.get();  jobs.taskDone();  jobs.join();
        jobs.offer(job);  jobs.poll();                       // never wait: false when full, null when empty
        List<Job> unhandled = jobs.shutdown(true);           // asyncio 3.13 shutdown(immediate): nothing vanishes

        Lock lock = new Lock("ledger");  lock.withLock(() -> update());   // owner-checked, not reentrant
        new Semaphore("db", 10).withPermit(() -> query());                // a void query() too; BoundedSemaphore rejects over-release
        Event ready = new Event("ready");  ready.set();  ready.await();
        Condition c = new Condition("nonEmpty");  c.withLock(() -> { c.awaitUntil(() -> !buf.isEmpty()); return buf.poll(); });
        Barrier phase = new Barrier("phase", 3);           // three parties: the third await releases all three
        for (int i = 0; i < 3; i++) {
            Async.spawn("worker-" + i, () -> { load(); phase.await(); compute(); });
        }

        try (AsyncStream<Row> rows = AsyncStream.generate("rows", out -> {
                try (Cursor cur = open()) { while (cur.hasMore()) out.emit(cur.next()); }
             })) {
            for (Row r : rows.filter(Row::valid).take(100)) { use(r); }
        }                                                    // the producer's finally has run here

        try (EventLoopGroup group = EventLoopGroup.create("workers", 4)) {  // workers-0 .. workers-3
            group.spawn("job", () -> work());               // round-robin; group.loop(i).spawn(...) to place
        }
        // readme:end
    }

    void haggle() throws Exception {
        // readme:snippet stream-send
        record Offer(int price, CompletableFuture<String> answer) {}
        AsyncStream<Offer> offers = AsyncStream.generate("haggle", out -> {
            for (int price = 100; ; price -= 10) {
                Offer o = new Offer(price, new CompletableFuture<>());
                out.emit(o);                                         // back when the consumer asks again
                if ("deal".equals(o.answer().getNow(null))) return;  // its answer (asend), or its exception (athrow)
            }
        });
        try (offers) {
            for (Offer o : offers) o.answer().complete(o.price() <= 80 ? "deal" : "too much");
        }
        // readme:end
    }
}
