package dev.taskloop.demo;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's misbehaviour switches, all off by default: {@code demo.blocker.enabled} (a task blocks the
 * loop) and {@code demo.poison.enabled} (every fiftieth order may fail its worker, so the ingest group
 * restarts) at startup, or {@code POST /demo/blocker?enabled=true|false} and
 * {@code POST /demo/poison?enabled=true|false} while it runs; {@code demo.stubborn.enabled} at startup only.
 */
@RestController
public class DemoSwitches {

    private final AtomicBoolean blocker;
    private final AtomicBoolean poison;
    private final boolean stubborn;

    DemoSwitches(@Value("${demo.blocker.enabled:false}") boolean blocker, @Value("${demo.poison.enabled:false}") boolean poison,
                 @Value("${demo.stubborn.enabled:false}") boolean stubborn) {
        this.blocker = new AtomicBoolean(blocker);
        this.poison = new AtomicBoolean(poison);
        this.stubborn = stubborn;
    }

    boolean poison() {
        return poison.get();
    }

    @PostMapping("/demo/poison")
    Map<String, Boolean> poison(@RequestParam boolean enabled) {
        poison.set(enabled);
        return Map.of("poison", enabled);
    }

    boolean blocker() {
        return blocker.get();
    }

    boolean stubborn() {
        return stubborn;
    }

    @PostMapping("/demo/blocker")
    Map<String, Boolean> blocker(@RequestParam boolean enabled) {
        blocker.set(enabled);
        return Map.of("blocker", enabled);
    }
}
