package dev.taskloop.bench.compare;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * One runtime's implementation of the workloads. Each method runs the workload once, checks its
 * own result (counts) and returns what it measured; times are taken on {@link System#nanoTime()}
 * inside the runtime, around the work only.
 */
interface Runner extends AutoCloseable {

    /** W1: inside one task, spawn {@code tasks} no-op tasks, then join each in order. */
    Map<String, Object> spawnJoin(int tasks) throws Exception;

    /** W2: two tasks pass a token through two bounded queues of capacity 1, {@code roundTrips} times. */
    Map<String, Object> pingPong(int roundTrips) throws Exception;

    /** W3 alone: one task yields {@code yields} times with nothing else to run. */
    Map<String, Object> yieldAlone(int yields) throws Exception;

    /** W3 crowded: one task yields {@code yields} times while {@code others} tasks yield in a loop until it is done. */
    Map<String, Object> yieldCrowded(int yields, int others) throws Exception;

    /** W4: {@code tasks} tasks sleep {@code sleepNanos} at once; with {@code memory}, heap per sleeping task too. */
    Map<String, Object> sleepers(int tasks, long sleepNanos, boolean memory) throws Exception;

    /** W5: {@code gathers} times, a parent gathers {@code children} children that each sleep {@code sleepNanos}. */
    Map<String, Object> fanOut(int gathers, int children, long sleepNanos) throws Exception;

    /**
     * W6: the jobs of one schedule level, open loop, on {@code level.loops()} loops (batons), the
     * first arrival {@code leadNanos} after the jobs were spawned.
     *
     * @throws Schedule.LeadTooShort if some job was not asleep yet at its arrival
     */
    Map<String, Object> saturation(Schedule.Level level, long leadNanos) throws Exception;

    @Override
    void close();

    /** Heap in use after two full collections: what is still reachable. */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
