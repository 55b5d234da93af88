package dev.taskloop.core.internal;

/**
 * An entry in a loop's timer queue, ordered by (deadline, sequence): equal deadlines fire in the
 * order they were scheduled. Guarded by the loop's lock.
 */
abstract class Timer {
    long deadline;
    long seq;
    int index = -1;

    /** Called by the baton holder, under the loop's lock, once the loop's time reached the deadline. */
    abstract void fire(Baton baton, long now);

    final boolean isScheduled() {
        return index >= 0;
    }
}
