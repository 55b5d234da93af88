package dev.taskloop.core.internal;

/**
 * Blocking waits that an interrupt does not cut short, for the few places that must wait to the end
 * (closing a loop waits for the first close to finish; closing a group waits for every loop). The
 * interrupt is kept and re-asserted once the wait is over, so the caller's code after it still sees it.
 *
 * @since 0.1.0
 */
public final class Uninterruptibly {

    /**
     * A blocking wait that throws {@link InterruptedException} when interrupted ({@code latch::await}, {@code thread::join}).
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface Wait {
        void await() throws InterruptedException;
    }

    private Uninterruptibly() {
    }

    /** Runs {@code wait} until it returns normally, however often the thread is interrupted meanwhile. */
    public static void await(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
