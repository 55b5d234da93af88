package dev.taskloop.core.spi;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A step that held the loop's baton for at least the slow-step threshold.
 *
 * @param loop the loop's name
 * @param taskId the task holding the baton, or {@code -1} for the loop's driver running callbacks
 * @param taskName the task's name, or {@code "<callbacks>"} for the driver
 * @param heldFor how long the baton had been held when this was reported (wall time)
 * @param threshold the loop's slow-step threshold
 * @param ongoing {@code true} when reported by the watchdog while the step is still running
 * @param blocked whether the holder was seen parked in a wait that is not a Taskloop await point
 *     ({@code Thread.sleep}, a lock, blocking I/O on a virtual thread): the loop is stalled, not busy
 * @param threadState the holder thread's state when sampled ({@code RUNNABLE} when computing);
 *     {@code null} when reported at the step's end
 * @param stack the holder's live stack when sampled; empty when reported at the step's end
 * @since 0.1.0
 */
public record SlowStep(String loop, long taskId, String taskName, Duration heldFor, Duration threshold,
                       boolean ongoing, boolean blocked, Thread.@Nullable State threadState, List<StackTraceElement> stack) {

    public SlowStep {
        stack = List.copyOf(stack);
    }

    /**
     * A one-line description for logs. It says "slow step", never "stuck": a stuck loop is the
     * health indicator's word, for a step past its (longer) stuck threshold.
     */
    public String describe() {
        return (ongoing ? "loop '" + loop + "' has a slow step: " : "loop '" + loop + "' had a slow step: ")
                + Describe.task(taskName, taskId) + " " + (ongoing ? "has held" : "held") + " the baton for "
                + heldFor.toMillis() + " ms (threshold " + threshold.toMillis() + " ms)"
                + (blocked ? ", blocked in a non-Taskloop wait" : "")
                + (ongoing && !blocked ? " computing" : "")
                + (stack.isEmpty() ? "" : " at " + stack.getFirst());
    }
}
