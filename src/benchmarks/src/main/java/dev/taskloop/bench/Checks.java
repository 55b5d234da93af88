package dev.taskloop.bench;

/** Every benchmark verifies its own result, so a broken runtime cannot post a fast score. */
final class Checks {

    private Checks() {
    }

    static int expect(String what, int expected, int actual) {
        if (actual != expected) {
            throw new IllegalStateException("benchmark result wrong: " + what + " = " + actual + ", expected " + expected);
        }
        return actual;
    }
}
