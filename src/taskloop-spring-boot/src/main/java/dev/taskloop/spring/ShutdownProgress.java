package dev.taskloop.spring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where Taskloop's orderly shutdown is, for the endpoint and the log.
 *
 * @param phase the current phase
 * @param startedAt when the shutdown began, or {@code null} while running
 * @param elapsed time since it began
 * @param drainBudget how long the DRAIN phase may take ({@code taskloop.shutdown.drain-timeout})
 * @param cancelBudget how long the CANCEL phase may take ({@code taskloop.shutdown.timeout})
 * @param steps what each finished phase did and how long it took, in order
 * @since 0.1.0
 */
public record ShutdownProgress(Phase phase, @Nullable Instant startedAt, Duration elapsed, Duration drainBudget, Duration cancelBudget,
                               List<String> steps) {

    public ShutdownProgress {
        steps = List.copyOf(steps);
    }

    /** The phases, in order. */
    public enum Phase {
        /** Not shutting down. */
        RUNNING,
        /** {@link ShutdownParticipant#stopIntake()}: no new work comes in; nothing is restarted any more. */
        INTAKE,
        /** Tasks declared with {@code drainOnShutdown} finish what they have, within the drain budget. */
        DRAIN,
        /** Every task is cancelled; cleanup runs within the cancel budget; stragglers are interrupted and named. */
        CANCEL,
        /** {@link ShutdownParticipant#handBack()}: what was not done is given back. */
        HAND_BACK,
        /** Done: the loops are closed. */
        STOPPED
    }
}
