package dev.taskloop.demo;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's misbehaviour switches: {@code demo.blocker.enabled} at startup, or
 * {@code POST /demo/blocker?enabled=true|false} while it runs.
 */
@RestController
public class DemoSwitches {

    private final AtomicBoolean blocker;
    private final boolean stubborn;

    DemoSwitches(@Value("${demo.blocker.enabled:false}") boolean blocker, @Value("${demo.stubborn.enabled:false}") boolean stubborn) {
        this.blocker = new AtomicBoolean(blocker);
        this.stubborn = stubborn;
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
