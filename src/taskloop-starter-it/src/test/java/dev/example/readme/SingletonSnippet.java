package dev.example.readme;

import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.SupervisedGroup;
import org.springframework.stereotype.Component;

class SingletonSnippet {

    void report() {
    }

    void invoice() {
    }

    void remind() {
    }

    void produce() {
    }

    void consume() {
    }

    // readme:snippet singleton
    @BackgroundTask(name = "nightly-report", cron = "0 0 3 * * *", singleton = "*")   // election named after the task
    void nightly() { report(); }

    @BackgroundTask(name = "invoices", fixedDelay = "1m", singleton = "billing")      // tasks naming the same
    void invoices() { invoice(); }                                                     // election run together
    @BackgroundTask(name = "dunning", fixedDelay = "1h", singleton = "billing")
    void dunning() { remind(); }

    @Component
    @SupervisedGroup(name = "ingest", singleton = "*")                                 // the whole group on one replica
    class Ingest { @BackgroundTask void producer() { produce(); }  @BackgroundTask void consumer() { consume(); } }
    // readme:end
}
