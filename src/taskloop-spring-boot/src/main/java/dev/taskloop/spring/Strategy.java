package dev.taskloop.spring;

/**
 * What a {@link SupervisedGroup} restarts when one of its tasks has to be restarted (OTP's strategies).
 *
 * @since 0.1.0
 */
public enum Strategy {
    /** Only that task. */
    ONE_FOR_ONE,
    /** Every task of the group: the others are cancelled first, then all start again in declaration order. */
    ONE_FOR_ALL,
    /** That task and the ones declared after it: those are cancelled first, then restarted in order. */
    REST_FOR_ONE
}
