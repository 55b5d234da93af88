package dev.taskloop.spring.support;

import dev.taskloop.spring.RestartLimitExceededException;
import java.util.ArrayDeque;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * OTP's restart intensity check: the restarts within the sliding window of a {@link RestartIntensity}.
 * Not thread-safe: used by one supervising task.
 */
final class RestartWindow {

    private static final Log log = LogFactory.getLog(RestartWindow.class);

    private final RestartIntensity limit;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    RestartWindow(RestartIntensity limit) {
        this.limit = limit;
    }

    /** Records a restart at {@code now} (loop time); returns how many fall in the window including it, or -1 if over the limit. */
    int record(long now) {
        long from = now - limit.window().toNanos();
        while (!times.isEmpty() && times.peekFirst() <= from) {
            times.pollFirst();
        }
        if (times.size() >= limit.maxRestarts()) {
            return -1;
        }
        times.addLast(now);
        return times.size();
    }

    /** The failure of {@code what} (a task, a group), given up on past the limit, with {@code last} (if any) as its cause; logged. */
    RestartLimitExceededException exceeded(String what, @Nullable Throwable last) {
        String msg = what + " failed again after " + limit.maxRestarts() + " restarts within " + limit.window()
                + "; the restart limit (maxRestarts=" + limit.maxRestarts() + ", restartWindow=" + limit.window()
                + ") is reached, so it is given up on";
        log.error(msg, last);
        return new RestartLimitExceededException(msg, last);
    }
}
