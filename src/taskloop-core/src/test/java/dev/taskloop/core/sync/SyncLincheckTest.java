package dev.taskloop.core.sync;

import static dev.taskloop.core.LincheckSupport.bounded;
import static dev.taskloop.core.LincheckSupport.onLoop;

import dev.taskloop.core.Async;
import dev.taskloop.core.LincheckSupport;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck (3.7, on JDK 25) for {@link Semaphore}/{@link BoundedSemaphore}, {@link Lock} and
 * {@link Event}, through their public API. The operations any thread may call are model-checked;
 * the waiting ones run as tasks on two loops (see {@link LincheckSupport}) in stress mode, against
 * a sequential model. A {@code Lock} can only be held by a task, so every lock operation is a whole
 * critical section: a lost or doubled increment, or a read inside another's critical section,
 * would not be linearizable.
 */
class SyncLincheckTest {

    @AfterAll
    static void closeLoops() {
        LincheckSupport.close();
    }

    // ------------------------------------------------------------------ Semaphore

    @Test
    void boundedSemaphoreTryAcquireAndReleaseAreLinearizableUnderModelChecking() {
        new ModelCheckingOptions().iterations(8).invocationsPerIteration(150).threads(3).actorsPerThread(3)
                .check(SemaphoreNonWaiting.class);
    }

    @Test
    void semaphoreAcquireWaitingOnTwoLoopsIsLinearizableUnderStress() {
        new StressOptions().iterations(15).invocationsPerIteration(30).threads(2).actorsPerThread(3)
                .sequentialSpecification(SemaphoreModel.class).check(SemaphoreWaiting.class);
    }

    public static class SemaphoreNonWaiting {
        private final BoundedSemaphore s = new BoundedSemaphore("s", 2);

        @Operation
        public boolean tryAcquire() {
            return s.tryAcquire();
        }

        @Operation
        public void release() {
            s.release(); // throws IllegalStateException past the bound: an exception result, checked too
        }

        @Operation
        public int available() {
            return s.availablePermits();
        }
    }

    public static class SemaphoreWaiting {
        private final Semaphore s = new Semaphore("s", 1);

        @Operation
        public String acquire() {
            return onLoop(() -> bounded(() -> {
                s.acquire();
                return "acquired";
            }, "no permit"));
        }

        @Operation
        public String release() {
            onLoop(() -> {
                s.release();
                return null;
            });
            return "released";
        }

        @Operation
        public boolean tryAcquire() {
            return s.tryAcquire();
        }
    }

    public static class SemaphoreModel {
        private int permits = 1;

        public String acquire() {
            return tryAcquire() ? "acquired" : "no permit";
        }

        public String release() {
            permits++;
            return "released";
        }

        public boolean tryAcquire() {
            if (permits > 0) {
                permits--;
                return true;
            }
            return false;
        }
    }

    // ------------------------------------------------------------------ Lock

    @Test
    void lockedIncrementsOnTwoLoopsAreLinearizableUnderStress() {
        new StressOptions().iterations(15).invocationsPerIteration(30).threads(2).actorsPerThread(3)
                .sequentialSpecification(CounterModel.class).check(LockedCounter.class);
    }

    @Test
    @Tag("stress")
    void lockedIncrementsOnTwoLoopsAreLinearizableUnderLongStress() {
        new StressOptions().iterations(200).invocationsPerIteration(200).threads(3).actorsPerThread(4)
                .sequentialSpecification(CounterModel.class).check(LockedCounter.class);
    }

    public static class LockedCounter {
        private final Lock lock = new Lock("counter");
        private int value; // guarded by lock, shared by the tasks of both loops

        @Operation
        public int increment() {
            return onLoop(() -> lock.withLock(() -> {
                int v = value;
                Async.yieldNow();
                Thread.onSpinWait();
                value = v + 1;
                return v;
            }));
        }

        @Operation
        public int read() {
            return onLoop(() -> lock.withLock(() -> value));
        }

        @Operation
        public String add() {
            return onLoop(() -> {
                lock.acquire();
                try {
                    value++;
                    return "done";
                } finally {
                    lock.release();
                }
            });
        }
    }

    public static class CounterModel {
        private int value;

        public int increment() {
            return value++;
        }

        public int read() {
            return value;
        }

        public String add() {
            value++;
            return "done";
        }
    }

    // ------------------------------------------------------------------ Event

    @Test
    void eventSetClearAndIsSetAreLinearizableUnderModelChecking() {
        new ModelCheckingOptions().iterations(8).invocationsPerIteration(150).threads(3).actorsPerThread(3)
                .check(EventNonWaiting.class);
    }

    @Test
    void eventAwaitOnTwoLoopsIsLinearizableUnderStress() {
        new StressOptions().iterations(15).invocationsPerIteration(30).threads(2).actorsPerThread(3)
                .sequentialSpecification(EventModel.class).check(EventWaiting.class);
    }

    public static class EventNonWaiting {
        private final Event e = new Event("e");

        @Operation
        public void set() {
            e.set();
        }

        @Operation
        public void clear() {
            e.clear();
        }

        @Operation
        public boolean isSet() {
            return e.isSet();
        }
    }

    public static class EventWaiting {
        private final Event e = new Event("e");

        @Operation
        public String await() {
            return onLoop(() -> bounded(() -> {
                e.await();
                return "set";
            }, "not set"));
        }

        @Operation
        public void set() {
            e.set();
        }

        @Operation
        public void clear() {
            e.clear();
        }
    }

    public static class EventModel {
        private boolean set;

        public String await() {
            return set ? "set" : "not set";
        }

        public void set() {
            set = true;
        }

        public void clear() {
            set = false;
        }
    }
}
