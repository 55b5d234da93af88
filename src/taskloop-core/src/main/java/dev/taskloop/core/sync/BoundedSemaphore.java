package dev.taskloop.core.sync;

import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code BoundedSemaphore}: a {@link Semaphore} that can never hold more permits than it
 * started with. A {@link #release()} that would exceed the bound is a bug (a release without an
 * acquire) and throws {@link IllegalStateException}, naming the semaphore, its count and its bound;
 * the count is left unchanged.
 *
 * @since 0.1.0
 */
public final class BoundedSemaphore extends Semaphore {

    private final int bound;

    /** A bounded semaphore named {@code BoundedSemaphore-<n>}. */
    public BoundedSemaphore(int permits) {
        this(null, permits);
    }

    /**
     * A bounded semaphore with a name.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(@Nullable String name, int permits) {
        super(name, permits, "BoundedSemaphore");
        this.bound = permits;
    }

    /** The initial, and largest, number of permits. */
    public int bound() {
        return bound;
    }

    @Override
    void checkRelease(int free) {
        if (free >= bound) {
            throw new IllegalStateException("BoundedSemaphore '" + name() + "' was released more times than it was acquired: it"
                    + " already has all " + bound + " of its permits (" + free + " free, bound " + bound
                    + "), so this release() would make " + (free + 1) + "; pair every release() with an acquire()");
        }
    }

    @Override
    String kind() {
        return "BoundedSemaphore";
    }
}
