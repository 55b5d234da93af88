#!/usr/bin/env python3
"""Taskloop side by side with every peer: Python asyncio, plain virtual threads, Kotlin coroutines, Node.js.

Runs every workload (W1..W6, the overhead pairs, the loop group) on every runtime, each run in a
fresh process, interleaved (runtime order rotates from one repetition to the next), --reps
times; then prints one table of medians, with the spread of the repetitions and Taskloop ÷ the best
peer per row, and the verdicts of the targets (issue 15's, and those of issue 7 it did not replace).
Stdlib only. Usually started by src/benchmarks/compare/compare.sh, which compiles first:

  src/benchmarks/compare/compare.sh                          # everything, 3 repetitions (about 11 minutes on 2 cores)
  src/benchmarks/compare/compare.sh --reps 5                 # more repetitions
  src/benchmarks/compare/compare.sh --only w1,w2             # a subset (w1 w2 w3 overhead w4 w5 w6 group)
  src/benchmarks/compare/compare.sh --runtimes taskloop,kotlin   # some runtimes only
  src/benchmarks/compare/compare.sh --only w1,w2 --busy      # W1 and W2 quiet and again beside a spinner

--busy: W1 and W2 run a second time in every repetition, right after their quiet runs, while a
spinner process keeps about one core busy (a Python busy loop that stops by itself after --timeout
seconds per run of its group, or when this driver is gone; the driver stops it after the group). The
table shows quiet and busy side by side, and issue 15's target "busy ≤ 1.5 × quiet" gets its verdict.
Without --busy that verdict reads "not run". --quiet-wait never waits during the busy runs.

Runtimes (--runtimes, comma-separated; default all eight). The subjects, each with its own "÷ best peer"
column and its own verdicts:
  taskloop       dev.taskloop.bench.compare.Workloads, one EventLoop, measure(true).watchdog(true)
                 (the default), on the backend of --backend (default virtual-threads); "taskloop-both" is
                 the same with both on and off alternately (the overhead pairs only)
  taskloop-lc    the same on the LOOP_CARRIER backend (--add-opens java.base/java.lang=ALL-UNNAMED)
  continuations  the same program's bare event loop on jdk.internal.vm.Continuation (ContinuationRunner:
                 no cancellation, scopes, accounting or watchdog): the ceiling of a continuation backend
  taskloop-c1    taskloop with the JIT's C1 tier only (-XX:TieredStopAtLevel=1), W6 and the group only:
                 the same loops without C2's late compilations and deoptimizations, which take CPU from
                 the loops on 2 cores (issue 15's group finding); slower code, so not for W1..W5
The peers:
  asyncio    src/benchmarks/compare/asyncio_workloads.py on this python3 (stdlib asyncio, default event loop)
  vthreads   the same Java program on plain virtual threads, no loop (a fair lock as W6's baton)
  kotlin     dev.taskloop.bench.kotlin.KotlinWorkloads (src/benchmarks/kotlin): kotlinx.coroutines on one
             single-threaded runBlocking loop; Dispatchers.Default.limitedParallelism(1) per loop for the group
  node       src/benchmarks/compare/node_workloads.mjs on this node (no npm dependency; the group on two
             worker threads)

Each program checks its own result (counts) and prints JSON lines; the raw lines of a whole
comparison are kept in target/bench/compare-<time>.jsonl and the table in target/bench/compare.md.
"""

import argparse
import glob
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

# The benchmarks module (src/benchmarks); its compiled classes and the core's are the class path.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASSES = [os.path.join(ROOT, "target", "classes"), os.path.join(ROOT, "..", "taskloop-core", "target", "classes")]
OUT = os.path.join(ROOT, "target", "bench")
MAIN = "dev.taskloop.bench.compare.Workloads"
# The Kotlin twin: its own module; its build writes the run-time class path (stdlib, kotlinx) to a file.
KOTLIN_CLASSES = os.path.join(ROOT, "kotlin", "target", "classes")
KOTLIN_CLASSPATH_FILE = os.path.join(ROOT, "kotlin", "target", "classpath.txt")
KOTLIN_MAIN = "dev.taskloop.bench.kotlin.KotlinWorkloads"
NODE_PROGRAM = os.path.join(ROOT, "compare", "node_workloads.mjs")

# The subjects (Taskloop on each backend, and the bare-continuation ceiling) and the peers they are compared with
SUBJECTS = ("taskloop", "taskloop-lc", "continuations", "taskloop-c1")
# Subjects run on W6 (its levels and the group) only, and so left out of the W1..W5 tables
W6_ONLY = {"taskloop-c1"}
PEERS = ("asyncio", "vthreads", "kotlin", "node")
RUNTIMES = SUBJECTS + PEERS
JAVA_RUNTIMES = {"taskloop", "taskloop-lc", "continuations", "taskloop-c1", "vthreads"}
LABELS = {"taskloop": "Taskloop", "taskloop-lc": "Taskloop LOOP_CARRIER", "continuations": "bare continuations",
          "taskloop-c1": "Taskloop, C1 only",
          "asyncio": "asyncio", "vthreads": "virtual threads", "kotlin": "Kotlin", "node": "Node"}
# W6 on 2 loops, per runtime: what "a loop" is there
GROUP_KIND = {"taskloop": "a 2-loop EventLoopGroup", "taskloop-lc": "a 2-loop EventLoopGroup",
              "taskloop-c1": "a 2-loop EventLoopGroup",
              "continuations": "2 platform threads", "asyncio": "2 processes", "vthreads": "2 fair locks",
              "kotlin": "2 × limitedParallelism(1)", "node": "2 worker threads"}
CONTINUATIONS_FLAG = ["--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"]
LOOP_CARRIER_FLAGS = ["--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dtaskloop.backend=loop-carrier"]
C1_ONLY_FLAGS = ["-XX:TieredStopAtLevel=1"]
# The JVM flags a Java runtime always gets (--backend loop-carrier adds LOOP_CARRIER_FLAGS to every Taskloop one)
RUNTIME_FLAGS = {"taskloop-lc": LOOP_CARRIER_FLAGS, "continuations": CONTINUATIONS_FLAG, "taskloop-c1": C1_ONLY_FLAGS}
BUSY_FACTOR = 1.5               # issue 15: W1, W2 beside a busy core at most 1.5 × the quiet figure

SERVICE_NS = 400_000            # W6: two 200 us spins per job
LEVELS = [0.3, 0.5, 0.7, 0.9, 0.97]
GROUP_RHO, GROUP_LOOPS = 1.6, 2
SEED = 7                        # the issue's number; any fixed seed will do
LEVEL_SECONDS = 2.0             # arrivals per level: a Poisson process this long
WARMUP = ("warmup", 0.7, 1, 0.5)

TARGETS_NOTE = ("issue 15's, then issue 7's where issue 15 set none: issue 15 replaced issue 7's W1 ≤ 1,500 ns, "
                "W2 ≤ 2,000 ns, W3 with 10 others ≤ 1,000 ns a yield and W4 ≤ 2 KB a task. Taskloop on one loop with "
                "its measurements on, this machine kind (2 cores); a ratio is between medians of this same run")


# ---------------------------------------------------------------- environment

def java_major(java):
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return 0
    m = re.search(r'version "(\d+)', out)
    return int(m.group(1)) if m else 0


def find_java():
    """A JDK 25+: $TASKLOOP_JAVA, $JAVA_HOME, Maven's discovered toolchains, /usr/lib/jvm, PATH."""
    cands = []
    if os.environ.get("TASKLOOP_JAVA"):
        cands.append(os.environ["TASKLOOP_JAVA"])
    if os.environ.get("JAVA_HOME"):
        cands.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    cache = os.path.expanduser("~/.m2/discovered-jdk-toolchains-cache.xml")
    if os.path.exists(cache):
        with open(cache) as f:
            cands += [os.path.join(h, "bin", "java") for h in re.findall(r"<jdkHome>(.*?)</jdkHome>", f.read())]
    cands += sorted(glob.glob("/usr/lib/jvm/*/bin/java"), reverse=True)
    if shutil.which("java"):
        cands.append(shutil.which("java"))
    for c in cands:
        if os.path.exists(c) and java_major(c) >= 25:
            return c
    raise SystemExit("no JDK 25 found: set TASKLOOP_JAVA=/path/to/jdk-25/bin/java")


def cpu_counters():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v  # user nice system idle iowait irq softirq steal ...


def busy_seconds():
    """CPU seconds the whole machine spent busy (steal included: it is taken from us too)."""
    v = cpu_counters()
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def children_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {mem}, {platform.system()} {platform.release()}"


# ---------------------------------------------------------------- the W6 schedule

def write_schedule(path):
    """Poisson arrivals, fixed seed: one file every runtime reads. Returns {level: (rho, loops, arrivals)}."""
    rng = random.Random(SEED)
    runs = [WARMUP] + [(f"rho{r:.2f}", r, 1, LEVEL_SECONDS) for r in LEVELS] \
        + [(f"group{GROUP_RHO:.2f}", GROUP_RHO, GROUP_LOOPS, LEVEL_SECONDS)]
    levels = {}
    with open(path, "w") as f:
        f.write(f"# W6 schedule: Poisson arrivals, random.Random({SEED}), service {SERVICE_NS} ns per job "
                f"(spin 200 us, sleep 5 ms, spin 200 us), {LEVEL_SECONDS} s per level\n")
        f.write("# level rho loops arrival_ns   (job i of a level runs on loop i % loops)\n")
        for name, rho, loops, seconds in runs:
            rate = rho / (SERVICE_NS / 1e9)  # jobs per second, all loops together
            t, arrivals = 0.0, []
            while True:
                t += rng.expovariate(rate)
                if t >= seconds:
                    break
                arrivals.append(round(t * 1e9))
            for a in arrivals:
                f.write(f"{name} {rho} {loops} {a}\n")
            levels[name] = (rho, loops, arrivals)
    return levels


# ---------------------------------------------------------------- running

def find_node():
    """Node.js 18+: $TASKLOOP_NODE, then PATH."""
    node = os.environ.get("TASKLOOP_NODE") or shutil.which("node")
    if not node:
        raise SystemExit("no node on PATH: install Node.js 18+ or set TASKLOOP_NODE, or leave it out with --runtimes")
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    m = re.match(r"v(\d+)", out)
    if not m or int(m.group(1)) < 18:
        raise SystemExit(f"{node} is {out or '?'}: node_workloads.mjs needs Node.js 18 or later")
    return node, out


def kotlin_classpath():
    if not (os.path.isdir(KOTLIN_CLASSES) and os.path.exists(KOTLIN_CLASSPATH_FILE)):
        raise SystemExit(f"{os.path.normpath(KOTLIN_CLASSES)} is missing: run src/benchmarks/compare/compare.sh "
                         "(it compiles first), or leave Kotlin out with --runtimes")
    with open(KOTLIN_CLASSPATH_FILE) as f:
        return os.pathsep.join([KOTLIN_CLASSES, f.read().strip()])


SPINNER = """
import os, sys, time
end = time.monotonic() + float(sys.argv[1])
parent = int(sys.argv[2])
n = 0
while time.monotonic() < end:
    n += 1
    if n % 200_000 == 0 and os.getppid() != parent:
        break
"""


class Spinner:
    """--busy: another process keeping about one core busy, like the rest of a real service. Bounded: it
    stops by itself after `limit` seconds, or as soon as the driver is gone; stop() ends it at once."""

    def __init__(self, limit):
        self.p = subprocess.Popen([sys.executable, "-c", SPINNER, str(limit), str(os.getpid())])
        time.sleep(0.5)  # up and spinning before the first run

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


class Runner:
    def __init__(self, java, log, timeout, logs, node=None, kotlin_cp=None):
        self.java = java
        self.node = node
        self.kotlin_cp = kotlin_cp
        self.logs = logs
        self.cp = os.pathsep.join(CLASSES)
        self.log = log
        self.timeout = timeout
        self.loads = []
        self.foreign = []
        self.busy_foreign = []
        self.quiet_wait = 0
        self.waited = 0.0
        self.versions = {}
        self.backend = "virtual-threads"

    def command(self, runtime, workload, extra, name):
        if runtime == "asyncio":
            return [sys.executable, os.path.join(ROOT, "compare", "asyncio_workloads.py"), workload] + extra
        if runtime == "node":
            return [self.node, NODE_PROGRAM, workload] + extra
        # GC and safepoint pauses go to a log per run, to tell a stall of the runtime from one of the JVM
        gc_log = os.path.join(self.logs, name + ".gc.log")
        if runtime == "kotlin":
            return [self.java, f"-Xlog:gc,safepoint:file={gc_log}:uptime", "-cp", self.kotlin_cp, KOTLIN_MAIN,
                    workload] + extra
        java_runtime, measure = {"taskloop-both": ("taskloop", "both"), "taskloop-lc": ("taskloop", "on"),
                                 "taskloop-c1": ("taskloop", "on")}.get(runtime, (runtime, "on"))
        flags = list(RUNTIME_FLAGS.get(runtime, []))
        # The Taskloop backend (issue 15): LOOP_CARRIER needs java.lang opened to build its virtual threads.
        if java_runtime == "taskloop" and self.backend == "loop-carrier" and runtime != "taskloop-lc":
            flags += LOOP_CARRIER_FLAGS
        return [self.java, f"-Xlog:gc,safepoint:file={gc_log}:uptime"] + flags + ["-cp", self.cp, MAIN, java_runtime, workload] + \
            (["--measure", measure] if java_runtime == "taskloop" else []) + extra

    def wait_quiet(self):
        """With --quiet-wait: wait (up to that long) until the rest of the machine uses under 0.25 cores."""
        if self.quiet_wait <= 0:
            return
        give_up = time.monotonic() + self.quiet_wait
        while True:
            b0, c0, t = busy_seconds(), children_seconds(), time.monotonic()
            time.sleep(1.0)
            other = max(0.0, (busy_seconds() - b0) - (children_seconds() - c0)) / (time.monotonic() - t)
            if other < 0.25 or time.monotonic() > give_up:
                self.waited += 1.0
                return
            self.waited += 1.0

    def run(self, runtime, workload, extra, name, busy=False):
        if not busy:
            self.wait_quiet()
        cmd = self.command(runtime, workload, extra, name)
        self.loads.append(os.getloadavg()[0])
        b0, c0 = busy_seconds(), children_seconds()
        t = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=self.timeout, cwd=ROOT)
        took = time.monotonic() - t
        # CPU the rest of the machine used meanwhile, in cores: the noise this run saw (with --busy, the
        # spinner is part of it: it is not reaped until its group ends)
        foreign = max(0.0, (busy_seconds() - b0) - (children_seconds() - c0)) / took
        (self.busy_foreign if busy else self.foreign).append(foreign)
        with open(os.path.join(self.logs, name + ".err"), "w") as f:
            f.write(p.stderr)
        if p.returncode != 0:
            sys.stderr.write(p.stdout[-2000:] + p.stderr[-4000:])
            raise SystemExit(f"FAILED ({p.returncode}): {' '.join(cmd)}")
        lines = [json.loads(x) for x in p.stdout.splitlines() if x.startswith("{")]
        if not lines:
            raise SystemExit(f"no result from: {' '.join(cmd)}\n{p.stderr[-2000:]}")
        for x in lines:
            x["runtime"] = runtime
            x["other_cores"] = foreign
            x["busy"] = busy
            self.log.write(json.dumps(x) + "\n")
        self.log.flush()
        self.versions.setdefault(runtime, lines[0].get("version", "?"))
        return lines, took


def pct(sorted_values, q):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def w4_metrics(d):
    late = sorted(d["lateness_ns"])
    return {"wall_s": d["wall_ns"] / 1e9, "late_p50_ms": pct(late, 0.5) / 1e6, "late_p99_ms": pct(late, 0.99) / 1e6,
            "late_max_ms": late[-1] / 1e6}


PAUSE_NS = 5_000_000
OVERHEAD_KEYS = {"w2": "ns_per_round_trip", "w3-alone": "ns_per_yield", "w3-crowded": "ns_per_yield"}
OVERHEAD_ROWS = [("W2 ping-pong (ns/round trip)", "w2"), ("W3 yield alone (ns/yield)", "w3-alone"),
                 ("W3 yield + 10 others (ns/yield)", "w3-crowded")]


def w6_metrics(d, arrivals):
    """Everything the table shows for one W6 run, from the runtime's raw step timestamps, computed the
    same way for every runtime."""
    n, loops, rho = d["jobs"], d["loops"], d["rho"]
    if n != len(arrivals) or len(d["r1_ns"]) != n:
        raise SystemExit(f"W6 {d['level']}: {n} jobs reported, the schedule has {len(arrivals)}")
    r1, e1, r2, e2 = d["r1_ns"], d["e1_ns"], d["r2_ns"], d["e2_ns"]
    w1 = [r1[i] - arrivals[i] for i in range(n)]           # step 1 ready at the job's arrival
    w2 = [r2[i] - (e1[i] + PAUSE_NS) for i in range(n)]    # step 2 ready when its 5 ms sleep ends
    busy = [(e1[i] - r1[i]) + (e2[i] - r2[i]) for i in range(n)]
    for i in range(n):
        if not (0 <= e1[i] - r1[i] and 0 <= e2[i] - r2[i] and e1[i] + PAUSE_NS <= r2[i] + 1000 and arrivals[i] <= r1[i] + 1000):
            raise SystemExit(f"W6 {d['level']} ({d['runtime']}): job {i} has impossible times {r1[i]} {e1[i]} {r2[i]} {e2[i]}")
    wait = sorted(a + b for a, b in zip(w1, w2))
    lat = sorted(e2[i] - arrivals[i] for i in range(n))
    m = {"wait_p50_ms": pct(wait, 0.5) / 1e6, "wait_p99_ms": pct(wait, 0.99) / 1e6, "wait_max_ms": wait[-1] / 1e6,
         "wait_mean_ms": sum(wait) / n / 1e6, "lat_p99_ms": pct(lat, 0.99) / 1e6}
    # achieved: the share of the arrival window (first to last arrival, per loop) in which job code ran on
    # the loop. A runtime that keeps up delivers the offered load; one that falls behind is saturated,
    # and the overhead it adds per job shows as useful work it could not do.
    achieved = []
    for k in range(loops):
        idx = range(k, n, loops)
        a0, a1 = arrivals[k], max(arrivals[i] for i in idx)
        on = 0
        for i in idx:
            for r, e in ((r1[i], e1[i]), (r2[i], e2[i])):
                on += max(0, min(e, a1) - max(r, a0))
        achieved.append(on / (a1 - a0))
    m["achieved"] = sum(achieved) / loops
    # dispatch: time the loop ran no job step although one was ready, per step. Queueing behind other jobs
    # is not in it: this is what the runtime adds (waking up, handing over, its own bookkeeping).
    idle = 0
    for k in range(loops):
        idx = range(k, n, loops)
        ev = []
        for i in idx:
            ev += [(arrivals[i], 1, 0), (r1[i], -1, 1), (e1[i], 0, -1),
                   (e1[i] + PAUSE_NS, 1, 0), (r2[i], -1, 1), (e2[i], 0, -1)]
        ev.sort()
        ready = running = 0
        last = None
        for t, dw, dr in ev:
            if last is not None and ready > 0 and running == 0:
                idle += t - last
            ready += dw
            running += dr
            last = t
    m["idle_ready_us"] = idle / (2 * n) / 1e3
    m["offered"] = sum(1 for _ in arrivals) * SERVICE_NS / (max(arrivals) - arrivals[0]) / loops
    # noise: jobs whose 2 x 200 us of spinning took over 500 us of wall time (the OS or a GC took the CPU)
    m["disturbed"] = sum(1 for b in busy if b > 1.25 * SERVICE_NS) / n
    m["other_cores"] = d.get("other_cores", 0.0)
    per_loop_rho = rho / loops
    m["md1_ms"] = per_loop_rho * SERVICE_NS / (2 * (1 - per_loop_rho)) / 1e6 if per_loop_rho < 1 else float("inf")
    if "meters" in d:  # Taskloop's own meters over the same window, beside the truth the jobs measured
        util_meter, util_truth, lag_mean_m, lag_mean_t, lag_p99_m, lag_p99_t, counts = [], [], [], [], [], [], []
        for k, mm in enumerate(d["meters"]):
            idx = range(k, n, loops)
            steps = sorted([w1[i] for i in idx] + [w2[i] for i in idx])
            util_meter.append(mm["utilization"])
            util_truth.append(sum(busy[i] for i in idx) / mm["window_ns"])
            lag_mean_m.append(mm["lag_mean_ns"])
            lag_mean_t.append(sum(steps) / len(steps))
            lag_p99_m.append(mm["lag_p99_ns"])
            lag_p99_t.append(pct(steps, 0.99))
            counts.append((mm["lag_count"], len(steps)))
        m["meter_util"] = sum(util_meter) / loops
        m["truth_util"] = sum(util_truth) / loops
        m["util_err"] = m["meter_util"] / m["truth_util"] - 1
        m["lag_mean_us"] = sum(lag_mean_m) / loops / 1e3
        m["truth_mean_us"] = sum(lag_mean_t) / loops / 1e3
        m["lag_mean_err"] = m["lag_mean_us"] / m["truth_mean_us"] - 1
        m["lag_p99_us"] = sum(lag_p99_m) / loops / 1e3
        m["truth_p99_us"] = sum(lag_p99_t) / loops / 1e3
        m["lag_p99_err"] = m["lag_p99_us"] / m["truth_p99_us"] - 1
        m["lag_samples"] = sum(c for c, _ in counts)
        m["truth_samples"] = sum(t for _, t in counts)
    return m


# ---------------------------------------------------------------- the plan

GROUPS = ("w1", "w2", "w3", "overhead", "w4", "w5", "w6", "group")


def plan(only, schedule_file, runtimes, busy):
    """[(group, [(runtime, workload, extra args)], busy)]; runtimes of a group are interleaved. With busy,
    W1 and W2 also run beside the spinner, right after their quiet runs."""
    w6 = ["--schedule", schedule_file, "--levels", ",".join(f"rho{r:.2f}" for r in LEVELS)]
    group = ["--schedule", schedule_file, "--levels", f"group{GROUP_RHO:.2f}"]

    def each(workload, extra=()):
        return [(rt, workload, list(extra)) for rt in RUNTIMES if rt in runtimes and (workload == "w6" or rt not in W6_ONLY)]

    p = [("w1", each("w1"), False)]
    if busy:
        p.append(("w1", each("w1"), True))
    p.append(("w2", each("w2"), False))
    if busy:
        p.append(("w2", each("w2"), True))
    p += [("w3", each("w3-alone"), False), ("w3", each("w3-crowded"), False)]
    if "taskloop" in runtimes:
        # measuring on versus off, alternately in one JVM (see Workloads.overhead)
        p.append(("overhead", [("taskloop-both", "w2", ["--iterations", "7"]),
                               ("taskloop-both", "w3-alone", ["--iterations", "9"]),
                               ("taskloop-both", "w3-crowded", ["--iterations", "5", "--scale", "0.2"])], False))
    p += [("w4", each("w4"), False), ("w4", each("w4-memory"), False), ("w5", each("w5"), False),
          ("w6", each("w6", w6), False), ("group", each("w6", group), False)]
    return [(g, runs, b) for g, runs, b in p if runs and (only is None or g in only)]


# ---------------------------------------------------------------- the table

def fmt(v, digits=3):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, float) and math.isinf(v):
        return "∞"
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{max(0, digits - 1 - int(math.floor(math.log10(a))))}f}" if a >= 0.001 else f"{v:.2g}"


def summary(values):
    """median, and the spread of the repetitions as min–max."""
    vs = [v for v in values if v is not None]
    if not vs:
        return None, ""
    med = statistics.median(vs)
    return med, (f"{fmt(min(vs))}–{fmt(max(vs))}" if len(vs) > 1 else "")


class Table:
    def __init__(self):
        self.lines = []

    def p(self, s=""):
        self.lines.append(s)

    def row(self, *cells):
        self.p("| " + " | ".join(cells) + " |")

    def head(self, *cells):
        self.row(*cells)
        self.p("|" + "|".join("---" for _ in cells) + "|")


def verdict(ok, miss=""):
    if ok is None:
        return miss or "not run"
    return "**holds**" if ok else f"**missed** {miss}".rstrip()


def cell(values):
    m, spread = summary(values)
    return f"{fmt(m)} [{spread}]" if spread else fmt(m)


ROWS = [
    ("W1 spawn+join 200,000 (ns/task)", "w1", "ns_per_task"),
    ("W2 ping-pong, 2 queues of 1 (ns/round trip)", "w2", "ns_per_round_trip"),
    ("W3 yield alone (ns/yield)", "w3-alone", "ns_per_yield"),
    ("W3 yield + 10 others (ns/yield of the one task)", "w3-crowded", "ns_per_yield"),
    ("W3 yield + 10 others (ns/switch, any task)", "w3-crowded", "ns_per_switch"),
    ("W4 100,000 sleep 1 s: wall (s)", "w4", "wall_s"),
    ("W4 bytes per sleeping task", "w4-memory", "bytes_per_task"),
    ("W4 timer lateness p50 (ms)", "w4", "late_p50_ms"),
    ("W4 timer lateness p99 (ms)", "w4", "late_p99_ms"),
    ("W5 gather 1,000 × sleep 1 ms (ms/gather)", "w5", "ms_per_gather"),
]
BUSY_ROWS = [("W1 spawn+join (ns/task)", "w1", "ns_per_task"), ("W2 ping-pong (ns/round trip)", "w2", "ns_per_round_trip")]


def render(results, w6runs, reps, env, runtimes, busy):
    t = Table()
    shown = [rt for rt in RUNTIMES if rt in runtimes]
    peers = [rt for rt in shown if rt in PEERS]
    subjects = [rt for rt in shown if rt in SUBJECTS]
    # The W1..W5 tables leave out the subjects that run W6 only
    shown_main = [rt for rt in shown if rt not in W6_ONLY]
    subjects_main = [rt for rt in subjects if rt not in W6_ONLY]
    t.p(f"Machine: {env['machine']}.")
    t.p("Runtimes: " + "; ".join(f"{LABELS[rt]}: {env['versions'].get(rt, '?')}" for rt in shown) + ".")
    t.p(f"Median of {reps} repetitions, each run a fresh process, runtimes interleaved (the order rotates); "
        f"[min–max] of the repetitions. Noise: other processes used {env['foreign']} of the 2 cores during the "
        f"runs (load average {env['load']}; CPU steal {env['steal']}).")
    if busy:
        t.p(f"--busy: during the busy runs of W1 and W2 a spinner kept about one core busy; other processes, the "
            f"spinner included, used {env['busy_foreign']} cores then.")
    t.p()

    def values(rt, wl, key):
        return [r.get(key) for r in results.get((rt, wl), [])]

    def med(rt, wl, key):
        return summary(values(rt, wl, key))[0]

    def best_peer(wl, key):
        cands = [(med(rt, wl, key), rt) for rt in peers]
        cands = [(v, rt) for v, rt in cands if v is not None]
        return min(cands) if cands else (None, None)

    t.head("Workload", *(LABELS[rt] for rt in shown_main), *(f"{LABELS[rt]} ÷ best peer" for rt in subjects_main))
    for label, wl, key in ROWS:
        if not any(values(rt, wl, key) for rt in shown_main):
            continue
        best, who = best_peer(wl, key)
        ratios = []
        for rt in subjects_main:
            v = med(rt, wl, key)
            ratios.append(f"{fmt(v / best)} ({LABELS[who]})" if v is not None and best is not None and best > 0 else "–")
        t.row(label, *(cell(values(rt, wl, key)) for rt in shown_main), *ratios)
    t.p()

    if busy and any(results.get((rt, wl + "@busy")) for rt in shown for _, wl, _ in BUSY_ROWS):
        t.p("W1 and W2 quiet, and again beside a spinner that keeps about one of the 2 cores busy (--busy; the busy "
            "runs of a repetition follow its quiet runs). busy ÷ quiet: of the medians.")
        t.p()
        t.head("Workload", "", *(LABELS[rt] for rt in shown_main))
        for label, wl, key in BUSY_ROWS:
            q = [values(rt, wl, key) for rt in shown_main]
            b = [values(rt, wl + "@busy", key) for rt in shown_main]
            t.row(label, "quiet", *(cell(v) for v in q))
            t.row("", "busy", *(cell(v) for v in b))
            ratios = []
            for vq, vb in zip(q, b):
                mq, mb = summary(vq)[0], summary(vb)[0]
                ratios.append(f"{mb / mq:.2f}×" if mq and mb is not None else "–")
            t.row("", "busy ÷ quiet", *ratios)
        t.p()

    # overhead: measuring on versus off, alternately in one JVM per repetition
    if any(results.get(("overhead", wl)) for wl in OVERHEAD_KEYS):
        t.p("Measurement overhead: Taskloop with time accounting + watchdog on versus both off, two loops in one JVM "
            "running the workload alternately (on, off, off, on...); per repetition the median of each, then the median "
            "over repetitions (W3 with 10 others at 200,000 yields per run here).")
        t.p()
        t.head("Workload", "on", "off", "on ÷ off − 1", "per repetition")
        for label, wl in OVERHEAD_ROWS:
            rs = results.get(("overhead", wl), [])
            if not rs:
                continue
            o = statistics.median(r["ratio"] for r in rs)
            t.row(label, fmt(statistics.median(r["on"] for r in rs)), fmt(statistics.median(r["off"] for r in rs)),
                  f"{o:+.1%}", " ".join(f"{r['ratio']:+.1%}" for r in rs))
        t.p()

    levels = [f"rho{r:.2f}" for r in LEVELS] + [f"group{GROUP_RHO:.2f}"]
    if w6runs:
        t.p(f"W6 saturation: open-loop Poisson arrivals (seed {SEED}, {LEVEL_SECONDS:g} s per level, the same file for "
            "every runtime) of jobs that spin 200 µs, sleep 5 ms, spin 200 µs (S = 400 µs on the loop). Waiting = ready "
            "but not running, per job (its two steps), from the moment it is ready (its arrival; its sleep's end); "
            "achieved = share of the arrival window (first to last arrival) in which job code ran on the loop; in brackets "
            "after ρ, the load this seed's schedule really offers. M/D/1 mean wait = ρ·S/(2(1−ρ)), ρ per loop. "
            "Idle while ready: time the loop ran no job although one was ready, per step (waking up, handing over: what "
            "the runtime adds beside queueing). Disturbed jobs: their 400 µs of spinning took over 500 µs of wall time "
            "(the OS or a GC took the CPU away mid-step): the share of the run the machine's noise reached. On 2 loops: "
            + "; ".join(f"{LABELS[rt]} {GROUP_KIND[rt]}" for rt in shown) + ". Kotlin's delay and Node's setTimeout "
            "count whole milliseconds, so their jobs wake up to 1 ms after their arrival: that counts as waiting.")
        t.p()
        t.head("ρ offered", "runtime", "achieved util.", "wait p50 (ms)", "wait p99 (ms)", "wait max (ms)",
               "wait mean (ms)", "M/D/1 mean (ms)", "latency p99 (ms)", "idle while ready (µs/step)", "disturbed jobs")
        for lv in levels:
            for rt in shown:
                ms = w6runs.get((rt, lv), [])
                if not ms:
                    continue
                c = {k: summary([m[k] for m in ms]) for k in ms[0]}
                label = lv.replace("rho", "").replace("group", "") + f" ({c['offered'][0]:.3f})" \
                    + (f" on {GROUP_LOOPS} loops" if lv.startswith("group") else "")
                t.row(label, rt, f"{fmt(c['achieved'][0])} [{c['achieved'][1]}]",
                      f"{fmt(c['wait_p50_ms'][0])} [{c['wait_p50_ms'][1]}]",
                      f"{fmt(c['wait_p99_ms'][0])} [{c['wait_p99_ms'][1]}]",
                      f"{fmt(c['wait_max_ms'][0])}", f"{fmt(c['wait_mean_ms'][0])}", fmt(c["md1_ms"][0]),
                      f"{fmt(c['lat_p99_ms'][0])} [{c['lat_p99_ms'][1]}]", fmt(c["idle_ready_us"][0]),
                      f"{c['disturbed'][0]:.1%}")
        t.p()

    worst_util = worst_lag = None
    if any(("taskloop", lv) in w6runs and "util_err" in w6runs[("taskloop", lv)][0] for lv in levels):
        t.p("Taskloop's own meters (LoopSnapshot.utilizationSince, lag().since(), same window) beside the truth the "
            "jobs measured (utilization: the jobs' on-loop time ÷ window; lag: the jobs' ready→running delays).")
        t.p()
        t.head("ρ offered", "util. meter", "util. truth", "error", "lag mean meter (µs)", "lag mean truth (µs)", "error",
               "lag p99 meter (µs)", "lag p99 truth (µs)", "error", "lag samples meter / truth")
        worst_util, worst_lag = 0.0, 0.0
        for lv in levels:
            ms = w6runs.get(("taskloop", lv), [])
            if not ms or "util_err" not in ms[0]:
                continue
            c = {k: summary([m[k] for m in ms])[0] for k in ms[0]}
            worst_util = max(worst_util, abs(c["util_err"]))
            worst_lag = max(worst_lag, abs(c["lag_mean_err"]), abs(c["lag_p99_err"]))
            label = lv.replace("rho", "").replace("group", "") + (f" on {GROUP_LOOPS} loops" if lv.startswith("group") else "")
            t.row(label, fmt(c["meter_util"]), fmt(c["truth_util"]), f"{c['util_err']:+.1%}",
                  fmt(c["lag_mean_us"]), fmt(c["truth_mean_us"]), f"{c['lag_mean_err']:+.1%}",
                  fmt(c["lag_p99_us"]), fmt(c["truth_p99_us"]), f"{c['lag_p99_err']:+.1%}",
                  f"{c['lag_samples']:,.0f} / {c['truth_samples']:,.0f}")
        t.p()

    # ---------------------------------------------------------------- the verdicts
    targets = []

    def judge(issue, label, want, value, limit, got=None, missing="not run"):
        """value ≤ limit (both from this run); None where a runtime or workload it needs was not run."""
        if value is None or limit is None:
            targets.append((issue, label, want, got or "–", None, missing))
            return
        ok = value <= limit
        miss = "" if ok else (f"by {value - limit:+.1%}" if abs(limit) < 1 else f"{value / limit:.2f}× the limit")
        targets.append((issue, label, want, got or fmt(value), ok, miss))

    def w6med(rt, lv, key):
        ms = w6runs.get((rt, lv), [])
        return statistics.median(m[key] for m in ms) if ms else None

    def peer_got(value, peer, name, unit=""):
        return f"{fmt(value)}{unit} ({name} {fmt(peer)}{unit})" if peer is not None else f"{fmt(value)}{unit} ({name} not run)"

    def issue15(rt):
        """Issue 15's targets for one subject; its name leads the label unless it is Taskloop's default."""
        who = "" if rt == "taskloop" else LABELS[rt] + ": "
        g = f"group{GROUP_RHO:.2f}"

        def group_target():
            gt, ga = w6med(rt, g, "wait_p99_ms"), w6med("asyncio", g, "wait_p99_ms")
            judge(15, who + f"W6 {GROUP_LOOPS}-loop group at ρ = {GROUP_RHO:g}, p99 wait (ms)", "≤ 2 × two asyncio processes'",
                  gt, 2 * ga if ga is not None else None, peer_got(gt, ga, "asyncio") if gt is not None else None,
                  f"not run (needs group on {rt} and asyncio)")

        if rt in W6_ONLY:
            group_target()
            return
        w2, k2 = med(rt, "w2", "ns_per_round_trip"), med("kotlin", "w2", "ns_per_round_trip")
        judge(15, who + "W2 ping-pong (ns/round trip)", "≤ Kotlin's, and ≤ 1,000", w2, min(1000, k2) if k2 is not None else None,
              peer_got(w2, k2, "Kotlin") if w2 is not None else None, f"not run (needs w2 on {rt} and kotlin)")
        s3, k3 = med(rt, "w3-crowded", "ns_per_switch"), med("kotlin", "w3-crowded", "ns_per_switch")
        judge(15, who + "W3 + 10 others, per switch (ns)", "≤ 3 × Kotlin's", s3, 3 * k3 if k3 is not None else None,
              peer_got(s3, k3, "Kotlin") if s3 is not None else None, f"not run (needs w3 on {rt} and kotlin)")
        w1, n1 = med(rt, "w1", "ns_per_task"), med("node", "w1", "ns_per_task")
        judge(15, who + "W1 spawn + join (ns/task)", "≤ Node's × 1.5", w1, 1.5 * n1 if n1 is not None else None,
              peer_got(w1, n1, "Node") if w1 is not None else None, f"not run (needs w1 on {rt} and node)")
        judge(15, who + "W4 timer lateness p99 (ms)", "≤ 20", med(rt, "w4", "late_p99_ms"), 20, missing="not run (needs w4)")
        judge(15, who + "W4 bytes per sleeping task", "≤ 1,500", med(rt, "w4-memory", "bytes_per_task"), 1500,
              missing="not run (needs w4)")
        group_target()
        if rt == "taskloop":
            for label, wl in OVERHEAD_ROWS:
                rs = results.get(("overhead", wl), [])
                o = statistics.median(r["ratio"] for r in rs) if rs else None
                judge(15, f"overhead of the measurements, {label}", "≤ 10 %", o, 0.10, f"{o:+.1%}" if rs else None,
                      "not run (needs overhead)")
        for label, wl, key in BUSY_ROWS:
            q, b = med(rt, wl, key), med(rt, wl + "@busy", key)
            judge(15, who + f"{label.split(' (')[0]} beside a busy core, busy ÷ quiet", f"≤ {BUSY_FACTOR:g}",
                  b / q if q and b is not None else None, BUSY_FACTOR,
                  f"{b / q:.2f} ({fmt(b)} vs {fmt(q)})" if q and b is not None else None,
                  "not run (--busy)" if not busy else f"not run (needs {wl})")

    for rt in subjects or ["taskloop"]:
        issue15(rt)
    # issue 7's, where issue 15 set none
    judge(7, "W3 yield alone (ns/yield)", "≤ 100", med("taskloop", "w3-alone", "ns_per_yield"), 100,
          missing="not run (needs w3)")
    judge(7, "W5 gather 1,000 (ms/gather)", "≤ 3", med("taskloop", "w5", "ms_per_gather"), 3, missing="not run (needs w5)")
    a97 = w6med("taskloop", "rho0.97", "achieved")
    if a97 is not None:
        p97 = w6med("asyncio", "rho0.97", "achieved")
        ok = a97 >= 0.95
        targets.append((7, "W6 achieved utilization at ρ = 0.97", "≥ 0.95",
                        fmt(a97) + (f" (asyncio {fmt(p97)})" if p97 is not None else ""), ok, "" if ok else f"by {0.95 - a97:.3f}"))
    else:
        targets.append((7, "W6 achieved utilization at ρ = 0.97", "≥ 0.95", "–", None, "not run (needs w6)"))
    tl9 = [m["wait_p99_ms"] for m in w6runs.get(("taskloop", "rho0.90"), [])]
    py9 = [m["wait_p99_ms"] for m in w6runs.get(("asyncio", "rho0.90"), [])]
    if tl9 and py9:
        pairs = [a / b for a, b in zip(tl9, py9)]
        judge(7, "W6 p99 wait at ρ = 0.9, Taskloop ÷ asyncio (same repetition)", "≤ 0.2", statistics.median(pairs), 0.2,
              f"{fmt(statistics.median(pairs))} ({fmt(statistics.median(tl9))} vs {fmt(statistics.median(py9))} ms; pairs "
              + " ".join(fmt(x) for x in pairs) + ")")
    else:
        judge(7, "W6 p99 wait at ρ = 0.9, Taskloop ÷ asyncio (same repetition)", "≤ 0.2", None, 0.2,
              missing="not run (needs w6 on taskloop and asyncio)")
    judge(7, "W6 utilization meter vs truth (worst level)", "within 5 %", worst_util, 0.05,
          f"{worst_util:.1%}" if worst_util is not None else None, "not run (needs w6 or group)")
    judge(7, "W6 lag meter (mean, p99) vs truth (worst level)", "within 5 %", worst_lag, 0.05,
          f"{worst_lag:.1%}" if worst_lag is not None else None, "not run (needs w6 or group)")

    t.p(f"Targets: {TARGETS_NOTE}.")
    t.p()
    t.head("issue", "Target", "wanted", "measured (median)", "verdict")
    for issue, label, want, got, ok, miss in targets:
        t.row(str(issue), label, want, got, verdict(ok, miss))
    return "\n".join(t.lines)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3, help="repetitions of every run (default 3); medians are reported")
    ap.add_argument("--only", help="comma-separated subset of: " + " ".join(GROUPS))
    ap.add_argument("--runtimes", default=",".join(RUNTIMES),
                    help="comma-separated subset of: " + " ".join(RUNTIMES) + " (default: all)")
    ap.add_argument("--busy", action="store_true",
                    help="also run W1 and W2 beside a spinner process that keeps about one core busy, and report quiet "
                         "and busy side by side")
    ap.add_argument("--backend", default="virtual-threads", choices=["virtual-threads", "loop-carrier"],
                    help="the Taskloop backend of the taskloop runs (default virtual-threads; taskloop-lc is always "
                         "loop-carrier)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds one run may take before the comparison fails")
    ap.add_argument("--quiet-wait", type=float, default=0, metavar="S",
                    help="before each run, wait up to S seconds for the rest of the machine to use under 0.25 cores "
                         "(default 0: don't wait; on a shared machine this trades wall time for less noise)")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    if only and only - set(GROUPS):
        ap.error(f"--only: unknown {', '.join(sorted(only - set(GROUPS)))} (choose from {' '.join(GROUPS)})")
    runtimes = set(a.runtimes.split(","))
    if not runtimes or runtimes - set(RUNTIMES):
        ap.error(f"--runtimes: unknown {', '.join(sorted(runtimes - set(RUNTIMES)))} (choose from {' '.join(RUNTIMES)})")

    os.makedirs(OUT, exist_ok=True)
    java = None
    if runtimes & (JAVA_RUNTIMES | {"kotlin"}):
        if runtimes & JAVA_RUNTIMES:
            for d in CLASSES:
                if not os.path.isdir(d):
                    raise SystemExit(f"{os.path.normpath(d)} is missing: run src/benchmarks/compare/compare.sh (it compiles first)")
        java = find_java()
    kotlin_cp = kotlin_classpath() if "kotlin" in runtimes else None
    node, node_version = find_node() if "node" in runtimes else (None, None)
    schedule_file = os.path.join(OUT, "w6-schedule.txt")
    levels = write_schedule(schedule_file)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log_path = os.path.join(OUT, f"compare-{stamp}.jsonl")
    started = time.monotonic()
    cpu0 = cpu_counters()
    env = {"machine": machine()}
    sys.stderr.write(f"# {env['machine']}\n")
    if java:
        sys.stderr.write("# " + subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0].strip()
                         + f" ({java})\n")
    sys.stderr.write(f"# Python {platform.python_version()} ({sys.executable})\n")
    if node:
        sys.stderr.write(f"# Node {node_version} ({node})\n")
    sys.stderr.write(f"# runtimes: {' '.join(rt for rt in RUNTIMES if rt in runtimes)}; raw results: {log_path}\n")
    results, w6runs = {}, {}
    with open(log_path, "w") as log:
        logs = os.path.join(OUT, f"logs-{stamp}")
        os.makedirs(logs, exist_ok=True)
        r = Runner(java, log, a.timeout, logs, node=node, kotlin_cp=kotlin_cp)
        r.quiet_wait = a.quiet_wait
        r.backend = a.backend
        sys.stderr.write(f"# Taskloop backend: {a.backend}\n")
        steps = plan(only, schedule_file, runtimes, a.busy)
        for rep in range(a.reps):
            sys.stderr.write(f"# repetition {rep + 1}/{a.reps}, load {os.getloadavg()[0]:.2f}\n")
            for group, runs, busy in steps:
                shift = rep % len(runs)
                spinner = Spinner(a.timeout * len(runs)) if busy else None
                try:
                    for runtime, workload, extra in runs[shift:] + runs[:shift]:
                        name = f"r{rep + 1}-{group}{'-busy' if busy else ''}-{workload}-{runtime}"
                        lines, took = r.run(runtime, workload, extra, name, busy)
                        tag = f"{runtime}{' busy' if busy else ''}"
                        if runtime == "taskloop-both":
                            key = OVERHEAD_KEYS[workload]
                            on = statistics.median(x[key] for x in lines if x["measure"])
                            off = statistics.median(x[key] for x in lines if not x["measure"])
                            results.setdefault(("overhead", workload), []).append({"on": on, "off": off, "ratio": on / off - 1})
                            sys.stderr.write(f"  {tag:14s} {workload:10s} {took:6.1f}s  on {fmt(on)}, off {fmt(off)}: "
                                             f"{on / off - 1:+.1%}, other_cores {fmt(lines[0]['other_cores'])}\n")
                            continue
                        for d in lines:
                            if workload == "w6":
                                m = w6_metrics(d, levels[d["level"]][2])
                                w6runs.setdefault((runtime, d["level"]), []).append(m)
                                brief = f"{d['level']} achieved {m['achieved']:.3f} wait p99 {m['wait_p99_ms']:.2f} ms"
                            else:
                                m = dict(d)
                                if workload == "w4":
                                    m.update(w4_metrics(d))
                                results.setdefault((runtime, workload + ("@busy" if busy else "")), []).append(m)
                                brief = ", ".join(f"{k} {fmt(v)}" for k, v in m.items()
                                                  if isinstance(v, (int, float)) and not isinstance(v, bool)
                                                  and k not in ("iteration", "tasks", "yields", "round_trips", "gathers",
                                                                "children", "other_yields", "wall_ns", "all_asleep_ns"))
                            sys.stderr.write(f"  {tag:14s} {workload:10s} {took:6.1f}s  {brief}\n")
                finally:
                    if spinner:
                        spinner.stop()
    cpu1 = cpu_counters()
    delta = [b - c for b, c in zip(cpu1, cpu0)]
    steal = delta[7] / sum(delta) if len(delta) > 7 and sum(delta) else 0.0
    loads = r.loads
    env["load"] = f"median {statistics.median(loads):.2f}, min {min(loads):.2f}, max {max(loads):.2f}" if loads else "?"
    env["steal"] = f"{steal:.1%}"
    env["versions"] = dict(r.versions)
    if "taskloop-both" in r.versions:
        env["versions"].setdefault("taskloop", r.versions["taskloop-both"])

    def cores(fs):
        return (f"median {statistics.median(fs):.2f} cores (max {max(fs):.2f}; {sum(1 for f in fs if f > 0.25)} of "
                f"{len(fs)} runs over 0.25)") if fs else "?"

    env["foreign"] = cores(r.foreign)
    env["busy_foreign"] = (f"median {statistics.median(r.busy_foreign):.2f} (min {min(r.busy_foreign):.2f})"
                           if r.busy_foreign else "?")
    if a.quiet_wait > 0:
        env["foreign"] += f"; --quiet-wait {a.quiet_wait:g}: {r.waited:.0f} s spent waiting for quiet"
    table = render(results, w6runs, a.reps, env, runtimes, a.busy)
    wall = time.monotonic() - started
    table += (f"\n\nWall time of the whole comparison: {wall / 60:.1f} min ({a.reps} repetitions). "
              f"Raw results: {os.path.relpath(log_path, ROOT)}\n")
    with open(os.path.join(OUT, "compare.md"), "w") as f:
        f.write(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
