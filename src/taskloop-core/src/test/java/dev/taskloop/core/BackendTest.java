package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The backend option: which carriers a loop's tasks run on. The whole core suite runs once per
 * backend (the {@code loop-carrier} surefire executions set {@value Backend#PROPERTY}); this class
 * checks that the choice is real and that a bad choice fails clearly.
 */
class BackendTest {

    private static boolean javaLangOpen() {
        return Object.class.getModule().isOpen("java.lang", BackendTest.class.getModule());
    }

    @Test
    void aLoopRunsOnTheBackendItsBuilderOrTheSystemPropertyChose() {
        try (EventLoop loop = EventLoop.builder().name("default").build()) {
            String carrier = loop.spawn("where", () -> Thread.currentThread().toString()).join();
            if (Backend.defaultBackend() == Backend.LOOP_CARRIER) {
                assertThat(carrier).endsWith("@taskloop-carrier-default");
            } else {
                assertThat(carrier).doesNotContain("taskloop-carrier-");
            }
        }
        try (EventLoop loop = EventLoop.builder().backend(Backend.VIRTUAL_THREADS).build()) {
            String carrier = loop.spawn("where", () -> Thread.currentThread().toString()).join();
            assertThat(carrier).doesNotContain("taskloop-carrier-");
        }
    }

    @Test
    void onTheLoopCarrierBackendEveryTaskRunsOnTheLoopsOwnCarrierAndOffloadedWorkLeavesIt() {
        assumeTrue(javaLangOpen(), "needs --add-opens java.base/java.lang=ALL-UNNAMED (the loop-carrier execution has it)");
        try (EventLoop loop = EventLoop.builder().name("lc").backend(Backend.LOOP_CARRIER).build()) {
            String[] seen = loop.spawn("where", () -> {
                String first = Thread.currentThread().toString();
                String child = Async.spawn("child", () -> Thread.currentThread().toString()).join();
                String offloaded = Async.offload(() -> Thread.currentThread().toString());
                String after = Thread.currentThread().toString();
                return new String[] {first, child, offloaded, after};
            }).join();
            assertThat(seen[0]).endsWith("@taskloop-carrier-lc");
            assertThat(seen[1]).endsWith("@taskloop-carrier-lc");
            assertThat(seen[2]).contains("@taskloop-offload-carrier-");
            assertThat(seen[3]).endsWith("@taskloop-carrier-lc");
        }
    }

    @Test
    void aMonitorHeldAcrossAnAwaitPointDoesNotStopTheOtherTasksOfTheLoop() {
        // JDK 24+ unmounts a virtual thread that parks inside synchronized; on LOOP_CARRIER a pinned
        // carrier would stop every other task of the loop, and this join would time out.
        Object monitor = new Object();
        try (EventLoop loop = EventLoop.builder().name("monitor").build()) {
            Task<String> run = loop.spawn("holder", () -> {
                Task<String> other = Async.spawn("other", () -> {
                    Async.yieldNow();
                    return "other ran";
                });
                synchronized (monitor) {
                    Async.yieldNow();
                    Async.sleep(java.time.Duration.ofMillis(1));
                    return other.join() + " while the monitor was held";
                }
            });
            assertThat(run.join(java.time.Duration.ofSeconds(30))).isEqualTo("other ran while the monitor was held");
        }
    }

    @Test
    void withoutTheFlagTheLoopCarrierBackendFailsNamingIt() {
        assumeTrue(!javaLangOpen(), "only without --add-opens java.base/java.lang");
        assertThatThrownBy(() -> EventLoop.builder().backend(Backend.LOOP_CARRIER).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--add-opens java.base/java.lang=ALL-UNNAMED")
                .hasMessageContaining("loop-carrier");
    }

    @Test
    void aBackendIsParsedFromItsPropertyValueAndABadOneNamesTheAllowedOnes() {
        assertThat(Backend.parse("taskloop.backend", "loop-carrier")).isEqualTo(Backend.LOOP_CARRIER);
        assertThat(Backend.parse("taskloop.backend", "VIRTUAL_THREADS")).isEqualTo(Backend.VIRTUAL_THREADS);
        assertThatThrownBy(() -> Backend.parse("taskloop.backend", "fibers"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taskloop.backend must be one of virtual-threads, loop-carrier, but was 'fibers'");
    }
}
