package dev.taskloop.core.spi;

import dev.taskloop.core.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * How messages name a task: {@code task 'name' (id n)}. Every log line, error message and report
 * of the core names tasks with this phrase, and integrations should too (the name alone is
 * ambiguous: an ad-hoc task may share a declared task's name; the id alone tells people nothing).
 * The phrase is for people: code that needs a task's identity reads {@link TaskSnapshot#id()},
 * never this text.
 *
 * <pre>{@code
 * throw new IllegalStateException(Describe.task(t) + " is not running");   // task 'poller' (id 7) is not running
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Describe {

    private Describe() {
    }

    /** {@code task 'name' (id n)}. */
    public static String task(String name, long id) {
        return "task '" + name + "' (id " + id + ")";
    }

    /** {@link #task(String, long)} of a live or ended task. */
    public static String task(Task<?> task) {
        return task(task.name(), task.id());
    }

    /** {@link #task(String, long)} of the task a snapshot shows. */
    public static String task(TaskSnapshot task) {
        return task(task.name(), task.id());
    }

    /**
     * The most frames of a stack that a report shows ({@link #stack}): the endpoint's responses and
     * the watchdog's log lines. A task deep in recursion has hundreds of thousands of frames; the
     * top ones say where it is.
     */
    public static final int MAX_STACK_FRAMES = 100;

    /**
     * A stack as report lines: its top {@link #MAX_STACK_FRAMES} frames, then, if there are more,
     * one line {@code ... N more frames}. Costs {@code O(MAX_STACK_FRAMES)} whatever the depth.
     */
    public static List<String> stack(StackTraceElement[] stack) {
        return stack(List.of(stack));
    }

    /** {@link #stack(StackTraceElement[])} of a list of frames. */
    public static List<String> stack(List<StackTraceElement> stack) {
        int shown = Math.min(stack.size(), MAX_STACK_FRAMES);
        List<String> lines = new ArrayList<>(shown + 1);
        for (int i = 0; i < shown; i++) {
            lines.add(stack.get(i).toString());
        }
        if (stack.size() > shown) {
            lines.add("... " + (stack.size() - shown) + " more frames");
        }
        return List.copyOf(lines);
    }
}
