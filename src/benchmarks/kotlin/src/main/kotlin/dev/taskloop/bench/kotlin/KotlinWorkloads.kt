@file:JvmName("KotlinWorkloads")

/**
 * The comparison's workloads on kotlinx.coroutines: the Kotlin twin of
 * `src/benchmarks/src/main/java/dev/taskloop/bench/compare/Workloads.java` (Taskloop, plain virtual threads),
 * `src/benchmarks/compare/asyncio_workloads.py` and `src/benchmarks/compare/node_workloads.mjs`. Same workloads,
 * same counts, same arguments, same self-checks, one JSON line per measured iteration with the same fields;
 * `src/benchmarks/compare/compare.py` runs it as the runtime `kotlin`.
 *
 * ```
 * java -cp "$(cat src/benchmarks/kotlin/target/classpath.txt):src/benchmarks/kotlin/target/classes" \
 *      dev.taskloop.bench.kotlin.KotlinWorkloads WORKLOAD [--iterations N] [--scale F] [--warmup-scale F]
 *      [--schedule FILE --levels a,b] [--lead-ms MS]
 * WORKLOAD  w1 | w2 | w3-alone | w3-crowded | w4 | w4-memory | w5 | w6
 * ```
 *
 * Every workload but the 2-loop group runs on one single-threaded `runBlocking` event loop (the calling
 * thread's), so plain `var`s shared by coroutines need no synchronization, as on a Taskloop loop. The
 * group (a W6 level with loops > 1) runs one `Dispatchers.Default.limitedParallelism(1)` per loop: each is
 * a serial view of the shared Default pool, the closest kotlinx has to an event loop per core; there, the
 * shared counters are atomic.
 *
 * - W1: `launch` 200,000 no-op coroutines, then `join` each in order.
 * - W2: two coroutines pass a token through two `Channel(capacity = 1)`s.
 * - W3: `yield()`: on `runBlocking`'s loop the coroutine goes to the tail of the loop's queue.
 * - W4, W5, W6: `delay`. kotlinx delays in whole milliseconds (a `Duration` is rounded up to the next ms),
 *   so a W6 job whose arrival is not on a millisecond is woken up to 1 ms after it; that is part of what
 *   a Kotlin program gets, and counts as waiting, as asyncio's and Node's millisecond timers do.
 * - W4 memory: the heap held per sleeping coroutine, after full GCs while every one sleeps, after a
 *   warm-up (as the Java program measures it).
 *
 * Times are [System.nanoTime] (CLOCK_MONOTONIC on Linux), taken inside the loop around the work only.
 */
package dev.taskloop.bench.kotlin

import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.system.exitProcess
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

private const val W1_TASKS = 200_000
private const val W2_ROUND_TRIPS = 200_000
private const val W3_YIELDS = 1_000_000
private const val W3_OTHERS = 10
private const val W4_TASKS = 100_000
private const val W4_SLEEP_NANOS = 1_000_000_000L
private const val W5_GATHERS = 200
private const val W5_CHILDREN = 1_000
private const val W5_SLEEP_NANOS = 1_000_000L
private const val SPIN_NANOS = 200_000L      // W6: busy-spin per step
private const val PAUSE_NANOS = 5_000_000L   // W6: the sleep between the two steps

/** [System.nanoTime] and JVM uptime read together at start: to place a run's times in the GC log. */
private val START_NANOS = System.nanoTime()
private val START_UPTIME_MS = ManagementFactory.getRuntimeMXBean().uptime

private class WrongResult(message: String) : RuntimeException("benchmark result wrong: $message")

private fun expect(what: String, expected: Long, actual: Long) {
    if (expected != actual) throw WrongResult("$what = $actual, expected $expected")
}

private fun verify(what: () -> String, ok: Boolean) {
    if (!ok) throw WrongResult(what())
}

private fun now() = System.nanoTime()

/** Heap in use after two full collections: what is still reachable. */
private fun heapAfterGc(): Long {
    repeat(2) { System.gc() }
    return ManagementFactory.getMemoryMXBean().heapMemoryUsage.used
}

// ---------------------------------------------------------------- W1 .. W5

internal fun spawnJoin(n: Int): Map<String, Any?> = runBlocking {
    var ran = 0
    val t0 = now()
    val children = ArrayList<Job>(n)
    repeat(n) { children.add(launch { ran++ }) }
    for (c in children) c.join()
    val ns = now() - t0
    expect("W1 children that ran", n.toLong(), ran.toLong())
    mapOf("ns_per_task" to ns.toDouble() / n, "tasks" to n)
}

internal fun pingPong(n: Int): Map<String, Any?> = runBlocking {
    val there = Channel<Int>(1)
    val back = Channel<Int>(1)
    var returned = 0
    val t0 = now()
    val ping = launch {
        for (i in 0 until n) {
            there.send(i)
            val token = back.receive()
            verify({ "W2 token $token came back as $i" }, token == i)
            returned++
        }
    }
    val pong = launch {
        repeat(n) { back.send(there.receive()) }
    }
    ping.join()
    pong.join()
    val ns = now() - t0
    expect("W2 round trips", n.toLong(), returned.toLong())
    mapOf("ns_per_round_trip" to ns.toDouble() / n, "round_trips" to n)
}

internal fun yieldAlone(n: Int): Map<String, Any?> = runBlocking {
    var yields = 0
    val t0 = now()
    repeat(n) {
        yield()
        yields++
    }
    val ns = now() - t0
    expect("W3 yields", n.toLong(), yields.toLong())
    mapOf("ns_per_yield" to ns.toDouble() / n, "yields" to n)
}

internal fun yieldCrowded(n: Int, others: Int): Map<String, Any?> = runBlocking {
    var yields = 0
    var otherYields = 0L
    var done = false
    val window = LongArray(2)
    val rest = List(others) {
        launch {
            while (!done) {
                yield()
                otherYields++
            }
        }
    }
    val measured = launch {
        val o0 = otherYields
        val t0 = now()
        repeat(n) {
            yield()
            yields++
        }
        window[0] = now() - t0
        window[1] = otherYields - o0
        done = true
    }
    measured.join()
    rest.joinAll()
    expect("W3 yields of the measured task", n.toLong(), yields.toLong())
    verify({
        "W3 the $others others yielded ${window[1]} times while the measured task yielded $n times " +
            "(expected about ${others.toLong() * n})"
    }, kotlin.math.abs(window[1] - others.toLong() * n) <= 2L * others)
    mapOf("ns_per_yield" to window[0].toDouble() / n, "ns_per_switch" to window[0].toDouble() / (n + window[1]),
        "yields" to n, "other_yields" to window[1])
}

internal fun sleepers(n: Int, sleepNanos: Long, memory: Boolean): Map<String, Any?> = runBlocking {
    val d = sleepNanos.nanoseconds
    val late = LongArray(n)
    var started = 0
    var woke = 0
    val before = if (memory) heapAfterGc() else 0L
    val t0 = now()
    val ts = ArrayList<Job>(n)
    for (k in 0 until n) {
        ts.add(launch {
            val s = now()
            started++
            delay(d)
            late[k] = now() - (s + sleepNanos)
            woke++
        })
    }
    while (started < n) yield() // every coroutine ahead of us takes its first step: all asleep when we are back
    val allAsleep = now() - t0
    val grown = if (memory) heapAfterGc() - before else 0L
    for (t in ts) t.join()
    val wall = now() - t0
    expect("W4 tasks that woke", n.toLong(), woke.toLong())
    val m = LinkedHashMap<String, Any?>()
    m["wall_ns"] = wall
    m["all_asleep_ns"] = allAsleep
    if (memory) m["bytes_per_task"] = grown.toDouble() / n
    m["lateness_ns"] = late
    m["tasks"] = n
    m
}

internal fun fanOut(gathers: Int, children: Int, sleepNanos: Long): Map<String, Any?> = runBlocking {
    val d = sleepNanos.nanoseconds
    var done = 0
    val per = LongArray(gathers)
    for (g in 0 until gathers) {
        val t = now()
        val results = List(children) {
            async {
                delay(d)
                done++
            }
        }.awaitAll()
        per[g] = now() - t
        expect("W5 results of one gather", children.toLong(), results.size.toLong())
    }
    expect("W5 children that slept and ended", gathers.toLong() * children, done.toLong())
    mapOf("ms_per_gather" to per.sum() / 1e6 / gathers, "gather_ns" to per, "gathers" to gathers, "children" to children)
}

// ---------------------------------------------------------------- W6

internal class Level(val name: String, val rho: Double, val loops: Int, val arrivals: LongArray)

/** The schedule file src/benchmarks/compare/compare.py wrote: `level rho loops arrival_ns`, one job a line. */
internal fun readSchedule(file: Path): Map<String, Level> {
    val heads = LinkedHashMap<String, List<String>>()
    val arrivals = LinkedHashMap<String, MutableList<Long>>()
    for (raw in Files.readAllLines(file)) {
        val line = raw.trim()
        if (line.isEmpty() || line.startsWith("#")) continue
        val f = line.split(Regex("\\s+"))
        require(f.size == 4) { "$file: expected 'level rho loops arrival_ns', got '$line'" }
        heads.putIfAbsent(f[0], f)
        arrivals.getOrPut(f[0]) { ArrayList() }.add(f[3].toLong())
    }
    return arrivals.mapValues { (name, a) ->
        val f = heads.getValue(name)
        Level(name, f[1].toDouble(), f[2].toInt(), a.toLongArray())
    }
}

private fun spinUntil(deadline: Long) {
    while (System.nanoTime() - deadline < 0) Thread.onSpinWait()
}

private class LeadTooShort(level: String, leadNanos: Long) :
    Exception("W6 $level: not every job was asleep before the first arrival with a lead of ${leadNanos / 1_000_000} ms")

/**
 * One W6 run of [level]: job i on loop i % loops, each loop's jobs launched by a spawner coroutine on that
 * loop. Per job, r1/e1: its first step began running / ended (went to sleep); r2/e2: the same for the
 * second, in ns after t0. compare.py derives waiting, busy time and latency from them.
 */
private fun saturation(level: Level, leadNanos: Long): Map<String, Any?> {
    val arrivals = level.arrivals
    val n = arrivals.size
    val loops = level.loops
    val r1 = LongArray(n)
    val e1 = LongArray(n)
    val r2 = LongArray(n)
    val e2 = LongArray(n)
    val started = AtomicInteger()
    val startedLate = AtomicInteger()
    val done = AtomicInteger()
    val allStarted = CompletableDeferred<Unit>()
    val pause = PAUSE_NANOS.nanoseconds
    val t0 = now() + leadNanos
    var leadTooShort = false

    suspend fun job(i: Int) {
        val arrival = t0 + arrivals[i]
        val at = now()
        if (arrival - at <= 0) startedLate.incrementAndGet()
        if (started.incrementAndGet() == n) allStarted.complete(Unit)
        delay(maxOf(0L, arrival - at).nanoseconds) // ready at its arrival
        val a = now()
        spinUntil(a + SPIN_NANOS)
        val b = now()
        delay(pause) // ready again at e1 + 5 ms
        val c = now()
        spinUntil(c + SPIN_NANOS)
        val d = now()
        r1[i] = a - t0
        e1[i] = b - t0
        r2[i] = c - t0
        e2[i] = d - t0
        done.incrementAndGet()
    }

    runBlocking {
        val spawners = (0 until loops).map { home ->
            // one loop: runBlocking's own; a group: a serial view of Dispatchers.Default per loop
            val loop = if (loops == 1) EmptyCoroutineContext else Dispatchers.Default.limitedParallelism(1)
            launch(loop) {
                for (i in home until n step loops) launch { job(i) }
            }
        }
        allStarted.await()
        leadTooShort = startedLate.get() > 0 || now() - t0 >= 0
        spawners.joinAll() // a spawner completes when all its jobs have
    }
    if (leadTooShort) throw LeadTooShort(level.name, leadNanos)
    expect("W6 ${level.name} jobs that ended", n.toLong(), done.get().toLong())
    val m = LinkedHashMap<String, Any?>()
    m["level"] = level.name
    m["rho"] = level.rho
    m["loops"] = loops
    m["jobs"] = n
    m["t0_uptime_ns"] = t0 - START_NANOS + START_UPTIME_MS * 1_000_000L
    m["r1_ns"] = r1
    m["e1_ns"] = e1
    m["r2_ns"] = r2
    m["e2_ns"] = e2
    return m
}

/** A W6 run, repeated with a doubled lead (up to 4 times) while the lead was too short. */
internal fun saturationWithLead(level: Level, lead: Long): Map<String, Any?> {
    var leadNanos = lead
    for (attempt in 1..4) {
        try {
            return saturation(level, leadNanos) + ("lead_ms" to leadNanos / 1_000_000)
        } catch (e: LeadTooShort) {
            if (attempt == 4) throw WrongResult("${e.message}, 4 times")
            System.err.println("${e.message}; again with ${2 * leadNanos / 1_000_000} ms")
            leadNanos *= 2
        }
    }
    error("unreachable")
}

// ---------------------------------------------------------------- JSON, main

private fun json(sb: StringBuilder, v: Any?) {
    when (v) {
        null -> sb.append("null")
        is String -> {
            sb.append('"')
            for (c in v) {
                when {
                    c == '"' -> sb.append("\\\"")
                    c == '\\' -> sb.append("\\\\")
                    c < ' ' -> sb.append(String.format("\\u%04x", c.code))
                    else -> sb.append(c)
                }
            }
            sb.append('"')
        }
        is Boolean -> sb.append(v)
        is Double -> sb.append(if (v.isFinite()) v.toString() else "null")
        is Number -> sb.append(v)
        is LongArray -> v.joinTo(sb, ",", "[", "]")
        is Map<*, *> -> {
            sb.append('{')
            var first = true
            for ((k, x) in v) {
                if (!first) sb.append(',')
                first = false
                json(sb, k.toString())
                sb.append(':')
                json(sb, x)
            }
            sb.append('}')
        }
        is Iterable<*> -> {
            sb.append('[')
            var first = true
            for (x in v) {
                if (!first) sb.append(',')
                first = false
                json(sb, x)
            }
            sb.append(']')
        }
        else -> json(sb, v.toString())
    }
}

private fun coroutinesVersion(): String =
    Job::class.java.classLoader.getResourceAsStream("META-INF/kotlinx_coroutines_core.version")
        ?.use { it.readBytes().decodeToString().trim() } ?: "?"

private fun runOnce(workload: String, scale: Double, memory: Boolean = false): Map<String, Any?> {
    fun scaled(count: Int) = maxOf(1, Math.round(count * scale).toInt())
    return when (workload) {
        "w1" -> spawnJoin(scaled(W1_TASKS))
        "w2" -> pingPong(scaled(W2_ROUND_TRIPS))
        "w3-alone" -> yieldAlone(scaled(W3_YIELDS))
        "w3-crowded" -> yieldCrowded(scaled(W3_YIELDS), W3_OTHERS)
        "w4" -> sleepers(scaled(W4_TASKS), W4_SLEEP_NANOS, memory)
        "w5" -> fanOut(scaled(W5_GATHERS), W5_CHILDREN, W5_SLEEP_NANOS)
        else -> throw IllegalArgumentException("unknown workload $workload")
    }
}

private const val USAGE = "usage: KotlinWorkloads w1|w2|w3-alone|w3-crowded|w4|w4-memory|w5|w6 [--iterations N] " +
    "[--scale F] [--warmup-scale F] [--schedule FILE] [--levels a,b] [--lead-ms MS]"

fun main(args: Array<String>) {
    if (args.isEmpty() || args.size % 2 == 0) {
        System.err.println(USAGE)
        exitProcess(2)
    }
    val workload = args[0]
    var iterations = 1
    var scale = 1.0
    var warmup = 0.1
    var schedule: Path? = null
    var levels: List<String>? = null
    var leadNanos = 500_000_000L
    for (i in 1 until args.size step 2) {
        val v = args[i + 1]
        when (args[i]) {
            "--iterations" -> iterations = v.toInt()
            "--scale" -> scale = v.toDouble()
            "--warmup-scale" -> warmup = v.toDouble()
            "--schedule" -> schedule = Path.of(v)
            "--levels" -> levels = v.split(",")
            "--lead-ms" -> leadNanos = v.toLong() * 1_000_000L
            else -> throw IllegalArgumentException("unknown option ${args[i]}\n$USAGE")
        }
    }
    val base = linkedMapOf<String, Any?>(
        "runtime" to "kotlin", "workload" to workload, "measure" to null,
        "version" to "Kotlin ${KotlinVersion.CURRENT}, kotlinx.coroutines ${coroutinesVersion()}, Java ${Runtime.version()}, " +
            "${Runtime.getRuntime().availableProcessors()} CPUs",
    )

    fun emit(iteration: Int, result: Map<String, Any?>) {
        val sb = StringBuilder()
        json(sb, base + ("iteration" to iteration) + result)
        println(sb)
        System.out.flush()
    }

    when (workload) {
        "w6" -> {
            val file = schedule ?: throw IllegalArgumentException("w6 needs --schedule FILE and --levels a,b,...")
            val names = levels ?: throw IllegalArgumentException("w6 needs --schedule FILE and --levels a,b,...")
            val s = readSchedule(file)
            fun level(name: String) = s[name] ?: throw IllegalArgumentException("no level '$name' in the schedule; it has ${s.keys}")
            if (warmup > 0 && "warmup" in s) saturationWithLead(level("warmup"), leadNanos)
            for (it in 0 until iterations) for (name in names) emit(it, saturationWithLead(level(name), leadNanos))
        }
        "w4-memory" -> {
            if (warmup > 0) runOnce("w4", warmup) // compiled frames, as the Java program measures it
            emit(0, runOnce("w4", 1.0, memory = true))
        }
        else -> {
            if (warmup > 0) runOnce(workload, warmup)
            for (it in 0 until iterations) emit(it, runOnce(workload, scale))
        }
    }
}
