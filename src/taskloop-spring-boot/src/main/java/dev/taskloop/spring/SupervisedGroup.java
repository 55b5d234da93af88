package dev.taskloop.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that the {@link BackgroundTask} methods of this bean form one supervised group (an OTP
 * supervisor): they start together in declaration order, on one loop, and when one of them has to
 * be restarted, {@link #strategy()} says which others restart with it. The group's restart
 * intensity ({@link #maxRestarts()} within {@link #restartWindow()}) counts the restarts of all its
 * tasks; past it, the whole group is stopped and marked failed. Each task keeps its own restart
 * policy and back-off; its own {@code maxRestarts}/{@code restartWindow} are not used.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SupervisedGroup {

    /** The group's name, unique in the application; default: the bean name. */
    String name() default "";

    /** The loop its tasks run on; default: the application's default loop. */
    String loop() default "";

    /** Which tasks restart together. */
    Strategy strategy() default Strategy.ONE_FOR_ONE;

    /** How many restarts (of any of its tasks) are allowed within {@link #restartWindow()}. */
    int maxRestarts() default 10;

    /** The window of {@link #maxRestarts()}. */
    String restartWindow() default "1m";

    /**
     * Run the whole group only on the replica that leads this leader election (its name);
     * {@code "*"} ({@link BackgroundTask#OWN_NAME}) names the election after the group. Empty
     * (default): the group runs on every replica. See {@link BackgroundTask#singleton()}.
     */
    String singleton() default "";

    /**
     * Spread the group over the replicas in this many shards: each shard is a copy of the whole group
     * ({@code <name>-<index>}, its tasks {@code <task>-<index>}), run by the replica that holds that
     * shard. See {@link BackgroundTask#shards()}.
     */
    String shards() default "";
}
