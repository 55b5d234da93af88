package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.testing.TestLoop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The assessment alone: a function of a loop's snapshot, its recent figures and the thresholds, with no monitor around it. */
class LoopAssessmentTest {

    private final TestLoop test = TestLoop.create();

    @AfterEach
    void close() {
        test.close();
    }

    private static LoopAssessment.Settings lagThreshold(Duration lag) {
        return new LoopAssessment.Settings(Duration.ofSeconds(5), lag, Duration.ofSeconds(10), Duration.ofMillis(250), true);
    }

    /** A snapshot after a task computed 300 ms of virtual time while another was ready: a lag of 300 ms. */
    private LoopSnapshot afterAHogOf300Ms() {
        test.loop().spawn("main", () -> {
            Async.spawn("hog", () -> test.ticker().advance(Duration.ofMillis(300)));
            Async.spawn("victim", () -> { });
        });
        test.runCurrent();
        return test.loop().snapshot();
    }

    @Test
    void theSameSnapshotAndFiguresGiveTheSameConditionAndOnlyTheThresholdsDecideIt() {
        LoopSnapshot s = afterAHogOf300Ms();
        LoopAssessment.Recent recent = new LoopAssessment.Recent(s.elapsedNanos(), s.lag(), s.utilization());

        LoopAssessment.LoopHealth strict = LoopAssessment.assess(s, recent, lagThreshold(Duration.ofMillis(100)));
        assertThat(strict.condition()).isEqualTo(LoopAssessment.Condition.SATURATED);
        assertThat(LoopAssessment.assess(s, recent, lagThreshold(Duration.ofMillis(100)))).isEqualTo(strict);
        assertThat(LoopAssessment.assess(s, recent, lagThreshold(Duration.ofSeconds(1))).condition()).isEqualTo(LoopAssessment.Condition.OK);

        LoopAssessment a = LoopAssessment.of(List.of(strict), List.of(), lagThreshold(Duration.ofMillis(100)));
        assertThat(a.problems()).singleElement().asString().startsWith("loop 'test' is saturated: lag p99 3");
        assertThat(a.refuseReasons()).isEqualTo(a.problems());
        assertThat(a.brokenReasons()).isEmpty();
    }

    @Test
    void aClosedLoopIsClosedWhateverItsFigures() {
        LoopSnapshot open = afterAHogOf300Ms();
        LoopAssessment.Recent recent = new LoopAssessment.Recent(open.elapsedNanos(), open.lag(), open.utilization());
        test.loop().close();
        LoopSnapshot closed = test.loop().snapshot();

        assertThat(LoopAssessment.assess(closed, recent, lagThreshold(Duration.ofMillis(100))).condition())
                .isEqualTo(LoopAssessment.Condition.CLOSED);
        assertThat(LoopAssessment.of(List.of(LoopAssessment.assess(closed, recent, lagThreshold(Duration.ofMillis(100)))), List.of(),
                lagThreshold(Duration.ofMillis(100))).problems()).isEmpty();
    }
}
