package dev.example.readme;

// readme:snippet overview-imports
import dev.taskloop.core.Async;
import dev.taskloop.spring.*;             // BackgroundTask, Restart, SupervisedGroup, Strategy, TaskContext, DeclaredTasks, Schedule...
import java.util.List;
import org.springframework.stereotype.Component;
// readme:end

// The README's components are inner (non-static) classes here: compiled, never picked up by a component scan
// (RootPackageApplicationTest scans package dev).
class BackgroundTasksSnippet {

    record Order(String id) {}

    interface Client {
        List<Order> poll();
    }

    interface Prices {
        void refresh();
    }

    interface Reports {
        void nightly();
    }

    interface Source {
        void produce();
    }

    interface Sink {
        void consume();
    }

    Client client;
    Prices prices;
    Reports reports;
    Source source;
    Sink sink;

    void handle(Order order) {
    }

    // readme:snippet overview-declared-tasks
    @Component
    class Orders {
        @BackgroundTask(name = "orders-consumer", restart = Restart.ALWAYS, backoffInitial = "500ms")
        void consume(TaskContext ctx) {
            while (true) {
                List<Order> batch = Async.offload(() -> client.poll());    // blocking I/O, off the loop
                for (Order o : batch) handle(o);
            }
        }

        @BackgroundTask(fixedRate = "30s")                                 // periodic: one run every 30 s
        void refreshPrices() { prices.refresh(); }

        @BackgroundTask(cron = "0 0 3 * * *", zone = "Europe/Paris")       // Spring's CronExpression
        void nightly() { reports.nightly(); }
    }

    @Component
    @SupervisedGroup(name = "ingest", strategy = Strategy.ONE_FOR_ALL)   // OTP supervisor
    class Ingest {
        @BackgroundTask void producer() { source.produce(); }     // start in declaration order;
        @BackgroundTask void consumer() { sink.consume(); }       // one fails -> all restart together
    }
    // readme:end
}
