package dev.taskloop.bench.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Every workload of the Kotlin twin once, at a small fraction of its counts (about two seconds in all):
 * each runs its own result checks, so a kotlinx.coroutines or Kotlin upgrade that breaks one fails the
 * build instead of the next comparison. It measures nothing.
 */
class KotlinWorkloadsSmokeTest {

    @Test
    fun `W1 to W3 count every task, token and yield`() {
        assertEquals(1_000, spawnJoin(1_000)["tasks"])
        assertEquals(1_000, pingPong(1_000)["round_trips"])
        assertEquals(1_000, yieldAlone(1_000)["yields"])
        assertEquals(10_000L, yieldCrowded(1_000, 10)["other_yields"])
    }

    @Test
    fun `W4 and W5 wake every sleeper and gather every child`() {
        val w4 = sleepers(1_000, 20_000_000L, memory = true)
        assertEquals(1_000, (w4["lateness_ns"] as LongArray).size)
        assertTrue((w4["bytes_per_task"] as Double).isFinite())
        assertEquals(3, (fanOut(3, 100, 1_000_000L)["gather_ns"] as LongArray).size)
    }

    @Test
    fun `W6 ends every job of the schedule, on one loop and on a 2-loop group`() {
        for (loops in listOf(1, 2)) {
            val arrivals = LongArray(100) { it * 2_000_000L } // 100 jobs, one every 2 ms
            val m = saturationWithLead(Level("smoke", 0.2, loops, arrivals), 300_000_000L)
            val r1 = m["r1_ns"] as LongArray
            val e2 = m["e2_ns"] as LongArray
            assertEquals(100, m["jobs"])
            for (i in arrivals.indices) {
                assertTrue(r1[i] >= arrivals[i] && e2[i] > r1[i], "job $i: arrival ${arrivals[i]}, r1 ${r1[i]}, e2 ${e2[i]}")
            }
        }
    }
}
