package dev.taskloop.spring;

/**
 * When a declared task is started again after it ends (OTP's child restart types).
 *
 * @since 0.1.0
 */
public enum Restart {
    /** Always, whether it failed or returned (OTP {@code permanent}). */
    ALWAYS,
    /** Only when it failed; a normal return ends it for good (OTP {@code transient}). */
    ON_FAILURE,
    /** Never; a failure ends it for good (OTP {@code temporary}). */
    NEVER
}
