#!/usr/bin/env python3
"""The JMH core workloads of Taskloop (src/test/java/dev/taskloop/bench) in Python asyncio.

Stdlib only. Same counts and same shape as the JMH benchmarks; every run checks its own result.

  W1 spawn-join    inside one task, create 200,000 no-op tasks, then await them all in order
                   -> ns per task (also with 10,000 tasks, as JMH's spawnJoin10k)
  W2 ping-pong     two tasks each doing `await asyncio.sleep(0)` 200,000 times while their
                   parent awaits them -> ns per round trip (both tasks ran once)
  W3 yield alone   one task doing `await asyncio.sleep(0)` 1,000,000 times, nothing else ready
                   -> ns per yield
  W3 yield + 10    the same while 10 other tasks yield in a loop until it is done -> ns per
                   yield of the measured task (each one waits for 10 steps of the others)

Each workload runs --runs times (default 5), each in a fresh asyncio.run(); prints the median.

  python3 bench/asyncio_core.py                    # full counts
  python3 bench/asyncio_core.py --scale 0.1        # a quick look at 1/10 of the counts
  python3 bench/asyncio_core.py --jmh target/jmh-result.json   # adds Taskloop/asyncio ratios
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time

SPAWN_TASKS = 200_000
FEW_SPAWN_TASKS = 10_000  # JMH's spawnJoin10k: the same with little GC
PING_PONG_ROUND_TRIPS = 200_000
YIELDS = 1_000_000
OTHERS = 10


def check(what, expected, actual):
    if expected != actual:
        raise SystemExit(f"benchmark result wrong: {what} = {actual}, expected {expected}")


async def spawn_join(n):
    ran = 0

    async def child():
        nonlocal ran
        ran += 1

    t0 = time.perf_counter_ns()
    tasks = [asyncio.create_task(child()) for _ in range(n)]
    for t in tasks:
        await t
    elapsed = time.perf_counter_ns() - t0
    check("children that ran", n, ran)
    return elapsed / n


async def ping_pong(n):
    steps = 0

    async def player():
        nonlocal steps
        for _ in range(n):
            steps += 1
            await asyncio.sleep(0)

    t0 = time.perf_counter_ns()
    ping = asyncio.create_task(player())
    pong = asyncio.create_task(player())
    await ping
    await pong
    elapsed = time.perf_counter_ns() - t0
    check("ping and pong steps", 2 * n, steps)
    return elapsed / n


async def yield_alone(n):
    yields = 0
    t0 = time.perf_counter_ns()
    for _ in range(n):
        await asyncio.sleep(0)
        yields += 1
    elapsed = time.perf_counter_ns() - t0
    check("yields", n, yields)
    return elapsed / n


async def yield_with_others(n, others=OTHERS):
    yields = 0
    done = False

    async def other():
        while not done:
            await asyncio.sleep(0)

    async def measured():
        nonlocal yields, done
        for _ in range(n):
            await asyncio.sleep(0)
            yields += 1
        done = True

    t0 = time.perf_counter_ns()
    rest = [asyncio.create_task(other()) for _ in range(others)]
    m = asyncio.create_task(measured())
    await m
    for t in rest:
        await t
    elapsed = time.perf_counter_ns() - t0
    check("yields of the measured task", n, yields)
    return elapsed / n


# (label, JMH benchmark it mirrors, coroutine function, count)
WORKLOADS = [
    ("W1 spawn+join 200k (ns/task)", "SpawnJoinBenchmark.spawnJoin200k", spawn_join, SPAWN_TASKS),
    ("W1 spawn+join 10k (ns/task)", "SpawnJoinBenchmark.spawnJoin10k", spawn_join, FEW_SPAWN_TASKS),
    ("W2 ping-pong (ns/round trip)", "PingPongBenchmark.pingPong", ping_pong, PING_PONG_ROUND_TRIPS),
    ("W3 yield alone (ns/yield)", "YieldBenchmark.alone", yield_alone, YIELDS),
    ("W3 yield + 10 others (ns/yield)", "YieldBenchmark.with10Others", yield_with_others, YIELDS),
]


def load_jmh(path):
    """{(short benchmark name, measure param): (score, error, median iteration)} from a JMH -rf json file."""
    out = {}
    with open(path) as f:
        for r in json.load(f):
            short = ".".join(r["benchmark"].split(".")[-2:])
            measure = r.get("params", {}).get("measure", "?")
            m = r["primaryMetric"]
            iterations = [x for fork in m.get("rawData", []) for x in fork]
            med = statistics.median(iterations) if iterations else m["score"]
            out[(short, measure)] = (m["score"], m["scoreError"], med)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="runs per workload; the median is reported (default 5)")
    p.add_argument("--scale", type=float, default=1.0, help="multiply every count by this (default 1)")
    p.add_argument("--jmh", metavar="FILE", help="a JMH -rf json result: print Taskloop/asyncio ratios")
    args = p.parse_args()

    probe = asyncio.new_event_loop()
    loop_kind = type(probe).__name__
    probe.close()
    print(f"# Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.machine()}, {os.cpu_count()} CPUs, event loop {loop_kind}")
    print(f"# median of {args.runs} runs, each in a fresh asyncio.run()")
    results = []
    for label, jmh_name, fn, count in WORKLOADS:
        n = max(1, int(count * args.scale))
        runs = [asyncio.run(fn(n)) for _ in range(args.runs)]
        med = statistics.median(runs)
        results.append((label, jmh_name, med))
        print(f"{label:34s} n={n:>9,}  median {med:10.1f}  runs {' '.join(f'{r:.1f}' for r in runs)}", flush=True)

    if args.jmh:
        jmh = load_jmh(args.jmh)
        print()
        head = f"{'workload':34s} {'asyncio':>10s}"
        for side in ("on", "off"):
            head += f" {'Taskloop ' + side + ' score ± error':>26s} {'median':>8s} {'ratio':>6s}"
        print(head)
        for label, jmh_name, med in results:
            row = f"{label:34s} {med:10.1f}"
            for measure in ("true", "false"):
                if (jmh_name, measure) in jmh:
                    score, err, jmed = jmh[(jmh_name, measure)]
                    row += f" {score:15.1f} ± {err:8.1f} {jmed:8.1f} {score / med:6.3f}"
                else:
                    row += f" {'-':>26s} {'-':>8s} {'-':>6s}"
            print(row)
        print("on/off: measure(..) and watchdog(..) both true / both false. score ± error: JMH mean and 99.9% CI;")
        print("median: of the JMH iterations; ratio = Taskloop score / asyncio median (below 1: Taskloop is faster)")


if __name__ == "__main__":
    sys.exit(main())
