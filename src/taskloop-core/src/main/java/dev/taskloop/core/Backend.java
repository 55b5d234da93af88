package dev.taskloop.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a loop runs its tasks. Every backend gives each task its own virtual thread (its own stack,
 * {@code ThreadLocal}s, {@code ScopedValue} bindings and name) and the same semantics; they differ
 * in which carrier threads those virtual threads run on, and so in what a baton hand-off costs.
 *
 * <table>
 *   <caption>Backends</caption>
 *   <tr><th>{@link Backend}</th><th>carriers</th><th>needs</th></tr>
 *   <tr><td>{@code VIRTUAL_THREADS} (default)</td><td>the JDK's shared virtual-thread scheduler: a
 *       hand-off parks one virtual thread and unparks the next, which often wakes another carrier</td>
 *       <td>nothing</td></tr>
 *   <tr><td>{@code LOOP_CARRIER}</td><td>one platform carrier thread per loop: every task of the loop
 *       runs on it, and a hand-off is a continuation yield on that carrier followed by the next
 *       task's mount, with no other thread woken. {@code offload} work moves to a shared pool of
 *       carriers for its duration, so that blocking there does not stall the loop</td>
 *       <td>{@code --add-opens java.base/java.lang=ALL-UNNAMED} (the JDK's virtual-thread builder
 *       with a custom scheduler is not public); checked when the loop is built</td></tr>
 * </table>
 *
 * <p>Pitfalls of {@code LOOP_CARRIER}: code that blocks its carrier without unmounting (native
 * calls, file I/O, {@code Object.wait} before JDK 24's monitor support, class initialisation) stalls
 * that loop exactly as it does in asyncio, but the JDK cannot add a compensating carrier as it does
 * on its shared scheduler; such calls belong in {@code offload} either way. A loop's carrier thread
 * ends when the loop is closed and its last task has ended.
 *
 * <p>The default for loops whose builder does not choose is {@code VIRTUAL_THREADS}, or the value of
 * the system property {@value #PROPERTY} ({@code virtual-threads} or {@code loop-carrier}).
 *
 * @since 0.1.0
 */
public enum Backend {
    /** The JDK's shared virtual-thread scheduler (public APIs only). */
    VIRTUAL_THREADS,
    /** One carrier thread per loop; needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}. */
    LOOP_CARRIER;

    /** The system property that sets the default backend: {@code virtual-threads} or {@code loop-carrier}. */
    public static final String PROPERTY = "taskloop.backend";

    /** The backend's name in properties: {@code virtual-threads}, {@code loop-carrier}. */
    public String propertyValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The backend named {@code value} ({@code virtual-threads}, {@code loop-carrier}, case and
     * {@code _}/{@code -} insensitive).
     *
     * @throws IllegalArgumentException naming {@code what}, the value and the allowed ones
     */
    public static Backend parse(String what, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Backend b : values()) {
            if (b.name().equals(v)) {
                return b;
            }
        }
        throw new IllegalArgumentException(what + " must be one of "
                + Arrays.stream(values()).map(Backend::propertyValue).collect(Collectors.joining(", "))
                + ", but was '" + value + "'");
    }

    /** The default backend: the system property {@value #PROPERTY} if set, else {@link #VIRTUAL_THREADS}. */
    public static Backend defaultBackend() {
        String v = System.getProperty(PROPERTY);
        return v == null || v.isBlank() ? VIRTUAL_THREADS : parse("system property " + PROPERTY, v);
    }
}
