package dev.taskloop.spring.support;

import dev.taskloop.core.Async;
import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.Task;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.leader.Leadership;
import java.util.List;

/**
 * The supervision of a singleton (a declared task or group with {@code singleton}): the follower task
 * ({@code singleton:<name>}) awaits its seat's turns. On {@code LEAD} it starts a term, a task running
 * the task's or group's own supervision; on {@code STANDBY} it cancels the term, waits until it
 * ended (its {@code finally} blocks included) and stands the units by; on {@code RESIGN}, or when it
 * is cancelled itself, it stops the term the same way and leaves the seat.
 *
 * <pre>
 *   STANDBY --LEAD--> term running --STANDBY--> term cancelled, waited for --> STANDBY
 *                          \--RESIGN or cancelled--> term cancelled, waited for --> seat left (STOPPED)
 * </pre>
 * A shard of a sharded task follows its shard's seat the same way (task {@code shard:<name>-<index>}).
 * Each term carries the fencing token of the grant that started it; after each {@code STANDBY} the
 * seat is told the units stood by, so that a shard given up is released only now.
 *
 * <p>Runs inside the follower task; not thread-safe, and needs none.
 */
final class SingletonFollower {

    private SingletonFollower() {
    }

    /** The cancellation reason of a singleton (a shard) whose replica lost its election (the shard): {@code what} is {@link Leadership.Seat#describe()}. */
    static CancelReason lostReason(String what) {
        return CancelReason.of(CancelOrigins.LEADERSHIP, "this replica lost the leadership of " + what);
    }

    /** The cancellation reason of a singleton (a shard) whose replica resigns its election because it stops. */
    static CancelReason resignReason(String what) {
        return CancelReason.of(CancelOrigins.LEADERSHIP, "this replica resigns the leadership of " + what + ": the application is stopping");
    }

    /**
     * Follows {@code seat}'s turns in the current task, running {@code supervision} (in a task named
     * {@code name}) in each term this replica leads; {@code units} are the declared tasks it supervises.
     */
    static void follow(Leadership.Seat seat, List<SupervisedTask> units, String name, AsyncRunnable<Exception> supervision,
                       Supervisor.Environment env) {
        Task<?> running = null;
        try {
            while (true) {
                Leadership.Turn turn = seat.next();
                if (turn == Leadership.Turn.RESIGN) {
                    return;
                }
                if (turn == Leadership.Turn.LEAD) {
                    if (running == null && !env.isStopping()) {
                        long token = seat.fencingToken();
                        units.forEach(u -> u.term(token));
                        units.forEach(u -> u.status(DeclaredTask.Status.STARTING));
                        running = Async.spawn(name, supervision);
                        running.onDone(Supervisor::retrieve);
                    }
                } else {
                    if (running != null) {
                        stopTerm(running, lostReason(seat.describe()));
                        running = null;
                    }
                    units.forEach(u -> u.status(DeclaredTask.Status.STANDBY));
                    seat.stoodBy();
                }
            }
        } finally {
            Task<?> last = running;
            if (last != null) {
                CancelScope.shielded().run(() -> stopTerm(last, resignReason(seat.describe())));
            }
            for (SupervisedTask u : units) {
                if (u.status() == DeclaredTask.Status.STANDBY || u.status() == DeclaredTask.Status.STARTING) {
                    u.status(DeclaredTask.Status.STOPPED);
                }
            }
            seat.left();
        }
    }

    /** Cancels a leadership term's supervision and waits until it (and its finally blocks) ended. */
    private static void stopTerm(Task<?> term, CancelReason reason) {
        term.cancel(reason);
        Async.gatherSettled(List.of(term));
    }
}
