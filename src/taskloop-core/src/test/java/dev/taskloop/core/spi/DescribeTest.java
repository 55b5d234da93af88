package dev.taskloop.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Task;
import dev.taskloop.core.TaskFailedException;
import dev.taskloop.core.testing.TestLoop;
import org.junit.jupiter.api.Test;

/** The one phrase that names a task, as the core's own messages and the integrations use it. */
class DescribeTest {

    @Test
    void aTaskIsNamedByItsNameAndItsId() {
        assertThat(Describe.task("poller", 7)).isEqualTo("task 'poller' (id 7)");
    }

    @Test
    void aTaskItsSnapshotAndTheCoresOwnMessagesUseTheSamePhrase() {
        try (TestLoop test = TestLoop.create()) {
            Task<Void> t = test.loop().spawn("doomed", () -> {
                throw new IllegalStateException("boom");
            });
            test.runCurrent();

            assertThat(Describe.task(t)).isEqualTo("task 'doomed' (id " + t.id() + ")");
            assertThat(Describe.task(t.snapshot())).isEqualTo(Describe.task(t));
            assertThatThrownBy(t::join).isInstanceOf(TaskFailedException.class)
                    .hasMessageStartingWith(Describe.task(t) + " failed: ");
        }
    }
}
