#!/usr/bin/env python3
"""The Taskloop benchmark workloads in Python asyncio (stdlib only).

The same program as src/benchmarks/src/main/java/dev/taskloop/bench/compare/Workloads.java: same workloads,
same counts, same arguments, same result checks, and one JSON line per measured iteration with
the same fields, as are the Kotlin (src/benchmarks/kotlin) and Node (node_workloads.mjs) twins.
src/benchmarks/compare/compare.py runs them all, interleaved, and prints the table.

  python3 src/benchmarks/compare/asyncio_workloads.py WORKLOAD [--iterations N] [--warmup-scale F]
                                     [--schedule FILE --levels a,b] [--lead-ms MS]

  W1 w1          inside one task, create 200,000 no-op tasks, then await each in order -> ns per task
  W2 w2          two tasks pass a token through two asyncio.Queue(maxsize=1), 200,000 round trips
  W3 w3-alone    one task does `await asyncio.sleep(0)` 1,000,000 times, nothing else to run
     w3-crowded  the same while 10 other tasks yield in a loop until it is done
  W4 w4          100,000 tasks sleep 1 s at once: wall time, timer lateness
     w4-memory   the same once, first in its process: RSS grown per sleeping task
  W5 w5          200 times, a parent gathers 1,000 children that each sleep 1 ms
  W6 w6          the open-loop Poisson schedule (a file written by src/benchmarks/compare/compare.py): jobs that
                 spin 200 us, sleep 5 ms, spin 200 us; a level with loops=2 runs on two
                 processes, one event loop each (asyncio's way to use two cores)

Times are time.monotonic_ns() (CLOCK_MONOTONIC, the clock of loop.time() and of Java's
System.nanoTime() on Linux), taken inside the event loop around the work only.
"""

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import platform
import sys
import time

W1_TASKS = 200_000
W2_ROUND_TRIPS = 200_000
W3_YIELDS = 1_000_000
W3_OTHERS = 10
W4_TASKS = 100_000
W4_SLEEP_NS = 1_000_000_000
W5_GATHERS = 200
W5_CHILDREN = 1_000
W5_SLEEP_NS = 1_000_000
SPIN_NS = 200_000        # W6: busy-spin per step
PAUSE_NS = 5_000_000     # W6: the sleep between the two steps

now_ns = time.monotonic_ns


def expect(what, expected, actual):
    if expected != actual:
        raise SystemExit(f"benchmark result wrong: {what} = {actual}, expected {expected}")


def verify(what, ok):
    if not ok:
        raise SystemExit(f"benchmark result wrong: {what}")


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


# ---------------------------------------------------------------- W1 .. W5

async def spawn_join(n):
    ran = 0

    async def child():
        nonlocal ran
        ran += 1

    t0 = now_ns()
    children = [asyncio.create_task(child()) for _ in range(n)]
    for c in children:
        await c
    ns = now_ns() - t0
    expect("W1 children that ran", n, ran)
    return {"ns_per_task": ns / n, "tasks": n}


async def ping_pong(n):
    there = asyncio.Queue(maxsize=1)
    back = asyncio.Queue(maxsize=1)
    returned = 0

    async def ping():
        nonlocal returned
        for i in range(n):
            await there.put(i)
            token = await back.get()
            verify(f"W2 token {token} came back as {i}", token == i)
            returned += 1

    async def pong():
        for _ in range(n):
            await back.put(await there.get())

    t0 = now_ns()
    a = asyncio.create_task(ping())
    b = asyncio.create_task(pong())
    await a
    await b
    ns = now_ns() - t0
    expect("W2 round trips", n, returned)
    return {"ns_per_round_trip": ns / n, "round_trips": n}


async def yield_alone(n):
    yields = 0
    t0 = now_ns()
    for _ in range(n):
        await asyncio.sleep(0)
        yields += 1
    ns = now_ns() - t0
    expect("W3 yields", n, yields)
    return {"ns_per_yield": ns / n, "yields": n}


async def yield_crowded(n, others):
    yields = 0
    other_yields = 0
    done = False
    window = [0, 0]

    async def other():
        nonlocal other_yields
        while not done:
            await asyncio.sleep(0)
            other_yields += 1

    async def measured():
        nonlocal yields, done
        o0 = other_yields
        t0 = now_ns()
        for _ in range(n):
            await asyncio.sleep(0)
            yields += 1
        window[0] = now_ns() - t0
        window[1] = other_yields - o0
        done = True

    rest = [asyncio.create_task(other()) for _ in range(others)]
    m = asyncio.create_task(measured())
    await m
    for t in rest:
        await t
    expect("W3 yields of the measured task", n, yields)
    verify(f"W3 the {others} others yielded {window[1]} times while the measured task yielded {n} times "
           f"(expected about {others * n})", abs(window[1] - others * n) <= 2 * others)
    return {"ns_per_yield": window[0] / n, "ns_per_switch": window[0] / (n + window[1]),
            "yields": n, "other_yields": window[1]}


async def sleepers(n, sleep_ns, memory):
    late = [0] * n
    started = 0
    woke = 0
    delay = sleep_ns / 1e9

    async def sleeper(k):
        nonlocal started, woke
        s = now_ns()
        started += 1
        await asyncio.sleep(delay)
        late[k] = now_ns() - (s + sleep_ns)
        woke += 1

    if memory:
        gc.collect()
    before = rss_bytes()
    t0 = now_ns()
    ts = [asyncio.create_task(sleeper(k)) for k in range(n)]
    while started < n:
        await asyncio.sleep(0)  # every task ahead of us takes its first step: all asleep when we are back
    all_asleep = now_ns() - t0
    grown = rss_bytes() - before
    for t in ts:
        await t
    wall = now_ns() - t0
    expect("W4 tasks that woke", n, woke)
    r = {"wall_ns": wall, "all_asleep_ns": all_asleep}
    if memory:
        r["bytes_per_task"] = grown / n
    r["lateness_ns"] = late
    r["tasks"] = n
    return r


async def fan_out(gathers, children, sleep_ns):
    done = 0
    delay = sleep_ns / 1e9

    async def child():
        nonlocal done
        await asyncio.sleep(delay)
        done += 1

    per = []
    for _ in range(gathers):
        t = now_ns()
        results = await asyncio.gather(*[child() for _ in range(children)])
        per.append(now_ns() - t)
        expect("W5 results of one gather", children, len(results))
    expect("W5 children that slept and ended", gathers * children, done)
    return {"ms_per_gather": sum(per) / 1e6 / gathers, "gather_ns": per, "gathers": gathers, "children": children}


# ---------------------------------------------------------------- W6

def read_schedule(path):
    """{level: (rho, loops, [arrival_ns...])} from the file src/benchmarks/compare/compare.py wrote."""
    levels = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, rho, loops, arrival = line.split()
            levels.setdefault(name, (float(rho), int(loops), []))[2].append(int(arrival))
    return levels


def spin_until(deadline):
    while now_ns() < deadline:
        pass


async def saturation_loop(arrivals, indices, t0):
    """The jobs `indices` of a level on this process's event loop: {index: (r1, e1, r2, e2)}, ns after t0.

    r1/e1: the first step began running / ended (went to sleep); r2/e2: the same for the second.
    src/benchmarks/compare/compare.py derives waiting (step 1 ready at the arrival, step 2 at e1 + 5 ms), busy time and
    latency from them, the same way as for the Java runtimes."""
    n = len(indices)
    out = {}
    started = 0
    started_late = 0
    done = 0
    all_done = asyncio.get_running_loop().create_future()
    pause = PAUSE_NS / 1e9

    async def job(i):
        nonlocal started, started_late, done
        arrival = t0 + arrivals[i]
        now = now_ns()
        if arrival - now <= 0:
            started_late += 1
        started += 1
        await asyncio.sleep(max(0, arrival - now) / 1e9)  # ready at its arrival
        r1 = now_ns()
        spin_until(r1 + SPIN_NS)
        e1 = now_ns()
        await asyncio.sleep(pause)  # ready again at e1 + 5 ms
        r2 = now_ns()
        spin_until(r2 + SPIN_NS)
        e2 = now_ns()
        out[i] = (r1 - t0, e1 - t0, r2 - t0, e2 - t0)
        done += 1
        if done == n:
            all_done.set_result(None)

    tasks = [asyncio.create_task(job(i)) for i in indices]
    while started < n:
        await asyncio.sleep(0)
    lead_too_short = started_late > 0 or now_ns() >= t0
    await all_done
    for t in tasks:
        await t
    expect("W6 jobs that ended", n, done)
    return None if lead_too_short else out  # None: not every job was asleep at its arrival


def _saturation_process(arrivals, indices, t0, conn):
    try:
        conn.send(asyncio.run(saturation_loop(arrivals, indices, t0)))
    except BaseException as e:  # report, don't hang the parent
        conn.send(e)
    finally:
        conn.close()


def saturation(name, level, lead_ns):
    """A W6 run, repeated with a doubled lead (up to 4 times) while the lead was too short."""
    for attempt in range(1, 5):
        r = saturation_once(name, level, lead_ns)
        if r is not None:
            r["lead_ms"] = lead_ns // 1_000_000
            return r
        print(f"W6 {name}: not every job was asleep before the first arrival with a lead of "
              f"{lead_ns // 1_000_000} ms; again with {2 * lead_ns // 1_000_000} ms", file=sys.stderr)
        lead_ns *= 2
    raise SystemExit(f"benchmark result wrong: W6 {name}: lead too short 4 times")


def saturation_once(name, level, lead_ns):
    rho, loops, arrivals = level
    n = len(arrivals)
    t0 = now_ns() + lead_ns
    if loops == 1:
        out = asyncio.run(saturation_loop(arrivals, range(n), t0))
        if out is None:
            return None
    else:
        ctx = multiprocessing.get_context("fork")
        procs = []
        for k in range(loops):
            parent, child = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_saturation_process, args=(arrivals, range(k, n, loops), t0, child))
            p.start()
            procs.append((p, parent))
        out = {}
        for p, conn in procs:
            part = conn.recv()
            p.join()
            if isinstance(part, BaseException):
                raise SystemExit(f"W6 {name}: a loop process failed: {part!r}")
            if part is None:
                out = None
            elif out is not None:
                out.update(part)
        if out is None:
            return None
    expect(f"W6 {name} jobs that ended", n, len(out))
    cols = list(zip(*(out[i] for i in range(n))))
    return {"level": name, "rho": rho, "loops": loops, "jobs": n,
            "r1_ns": list(cols[0]), "e1_ns": list(cols[1]), "r2_ns": list(cols[2]), "e2_ns": list(cols[3])}


# ---------------------------------------------------------------- main

def run_once(workload, scale, memory=False):
    def scaled(c):
        return max(1, round(c * scale))
    if workload == "w1":
        return asyncio.run(spawn_join(scaled(W1_TASKS)))
    if workload == "w2":
        return asyncio.run(ping_pong(scaled(W2_ROUND_TRIPS)))
    if workload == "w3-alone":
        return asyncio.run(yield_alone(scaled(W3_YIELDS)))
    if workload == "w3-crowded":
        return asyncio.run(yield_crowded(scaled(W3_YIELDS), W3_OTHERS))
    if workload == "w4":
        return asyncio.run(sleepers(scaled(W4_TASKS), W4_SLEEP_NS, memory))
    if workload == "w5":
        return asyncio.run(fan_out(scaled(W5_GATHERS), W5_CHILDREN, W5_SLEEP_NS))
    raise SystemExit(f"unknown workload {workload}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workload", choices=["w1", "w2", "w3-alone", "w3-crowded", "w4", "w4-memory", "w5", "w6"])
    p.add_argument("--iterations", type=int, default=1, help="measured iterations (default 1)")
    p.add_argument("--warmup-scale", type=float, default=0.1,
                   help="one warm-up iteration at this fraction of the counts first (default 0.1, 0: none)")
    p.add_argument("--schedule", help="W6: the schedule file")
    p.add_argument("--levels", help="W6: comma-separated levels of the schedule to run")
    p.add_argument("--lead-ms", type=int, default=500, help="W6: time between start and the first arrival")
    a = p.parse_args()

    probe = asyncio.new_event_loop()
    loop_kind = type(probe).__name__
    probe.close()
    base = {"runtime": "asyncio", "workload": a.workload, "measure": None,
            "version": f"Python {platform.python_version()} {loop_kind}, {os.cpu_count()} CPUs"}

    def emit(iteration, result):
        print(json.dumps({**base, "iteration": iteration, **result}), flush=True)

    if a.workload == "w6":
        if not a.schedule or not a.levels:
            raise SystemExit("w6 needs --schedule FILE and --levels a,b,...")
        levels = read_schedule(a.schedule)
        lead = a.lead_ms * 1_000_000
        if a.warmup_scale > 0 and "warmup" in levels:
            saturation("warmup", levels["warmup"], lead)
        for it in range(a.iterations):
            for name in a.levels.split(","):
                emit(it, saturation(name, levels[name], lead))
        return 0

    if a.workload == "w4-memory":
        emit(0, run_once("w4", 1.0, memory=True))  # one full run, first in its process
        return 0
    if a.warmup_scale > 0:
        run_once(a.workload, a.warmup_scale)
    for it in range(a.iterations):
        emit(it, run_once(a.workload, 1.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
