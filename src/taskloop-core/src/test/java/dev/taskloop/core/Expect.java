package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

/** kotlinx.coroutines' {@code expect(n)}: each step of a scenario states its number, so the order is pinned. */
final class Expect {
    private final AtomicInteger step = new AtomicInteger();

    /** Asserts that this is step {@code n} (the previous one was {@code n - 1}). */
    void expect(int n) {
        int prev = step.getAndIncrement();
        assertThat(prev + 1).as("step out of order: expected step %d to come after step %d", n, prev).isEqualTo(n);
    }

    /** Asserts that the last step was {@code n}. */
    void finish(int n) {
        expect(n);
    }

    /** Fails: this line must never run. */
    void unreached() {
        throw new AssertionError("this line must not run (after step " + step.get() + ")");
    }
}
