package dev.taskloop.bench.compare;

/** Every run checks its own result, so a broken runtime cannot post a fast time. */
final class Verify {

    private Verify() {
    }

    static long expect(String what, long expected, long actual) {
        if (actual != expected) {
            throw new IllegalStateException("benchmark result wrong: " + what + " = " + actual + ", expected " + expected);
        }
        return actual;
    }

    static void that(String what, boolean ok) {
        if (!ok) {
            throw new IllegalStateException("benchmark result wrong: " + what);
        }
    }
}
