#!/usr/bin/env node
/**
 * The Taskloop benchmark workloads on Node.js (no npm dependency): the Node twin of
 * src/benchmarks/src/main/java/dev/taskloop/bench/compare/Workloads.java, asyncio_workloads.py and the Kotlin
 * module's KotlinWorkloads.kt. Same workloads, counts, arguments and self-checks, one JSON line per measured
 * iteration with the same fields; src/benchmarks/compare/compare.py runs it as the runtime "node".
 *
 *   node src/benchmarks/compare/node_workloads.mjs WORKLOAD [--iterations N] [--scale F] [--warmup-scale F]
 *        [--schedule FILE --levels a,b] [--lead-ms MS] [--yield immediate|microtask]
 *
 *   W1 w1          inside one async function, start 200,000 no-op async functions, then await each in order
 *   W2 w2          two async functions pass a token through two bounded queues of capacity 1: a port of
 *                  asyncio.Queue (a deque of items, and deques of waiting getters and putters, each a
 *                  promise with its resolve function; put/get wait while full/empty, and each successful
 *                  put/get wakes the next waiter of the other side that is not done), 200,000 round trips
 *   W3 w3-alone    one async function yields 1,000,000 times, nothing else to run
 *      w3-crowded  the same while 10 others yield in a loop until it is done
 *   W4 w4          100,000 async functions sleep 1 s at once (setTimeout): wall time, timer lateness
 *      w4-memory   the same once, after a warm-up: JS heap held per sleeping task (heap used after full
 *                  GCs while every task sleeps, minus before: what the Java programs measure)
 *   W5 w5          200 times, Promise.all of 1,000 children that each sleep 1 ms (setTimeout)
 *   W6 w6          the open-loop Poisson schedule (a file written by compare.py): jobs that spin 200 us,
 *                  sleep 5 ms, spin 200 us; a level with loops=2 runs on two worker_threads, one event
 *                  loop each (Node's way to use two cores in one process)
 *
 * A "task" is a call of an async function: Node starts it at once and runs it to its first await (a
 * no-op child of W1 ends inside the call). asyncio, Kotlin and Taskloop queue a new task and run it
 * later; starting it eagerly is what Node does, and what a Node program would write.
 *
 * W3's yield is, by default, `await new Promise(r => setImmediate(r))`: a hop through the event loop,
 * which lets timers and I/O run between two steps, as asyncio.sleep(0), Kotlin's yield() and Taskloop's
 * yieldNow do. `--yield microtask` (`await null`, a hop through the microtask queue) is cheaper, but a
 * task yielding that way never lets the event loop run: with 10 others yielding so, no timer would ever
 * fire until they stop, which is not what a cooperative yield means on the other runtimes.
 *
 * Timers: setTimeout takes whole milliseconds (fractions truncated) and may fire up to ~1 ms before the
 * delay has passed on the monotonic clock; W4 and W5 use it plainly (a W4 lateness can be slightly
 * negative). W6 must not start a step before it is ready (compare.py checks), so its jobs sleep with
 * sleepUntil: setTimeout of the remaining time rounded up, again while the deadline has not passed.
 *
 * Times are process.hrtime.bigint() (libuv's uv_hrtime: CLOCK_MONOTONIC, the clock of Java's
 * System.nanoTime() and Python's time.monotonic_ns() on Linux), taken around the work only.
 */

import { readFileSync } from "node:fs";
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const W1_TASKS = 200_000;
const W2_ROUND_TRIPS = 200_000;
const W3_YIELDS = 1_000_000;
const W3_OTHERS = 10;
const W4_TASKS = 100_000;
const W4_SLEEP_NS = 1_000_000_000;
const W5_GATHERS = 200;
const W5_CHILDREN = 1_000;
const W5_SLEEP_NS = 1_000_000;
const SPIN_NS = 200_000n; // W6: busy-spin per step
const PAUSE_NS = 5_000_000n; // W6: the sleep between the two steps

const now = () => process.hrtime.bigint();
const ns = (from, to) => Number(to - from);

class WrongResult extends Error {}

function expect(what, expected, actual) {
  if (expected !== actual) throw new WrongResult(`benchmark result wrong: ${what} = ${actual}, expected ${expected}`);
}

function verify(what, ok) {
  if (!ok) throw new WrongResult(`benchmark result wrong: ${what()}`);
}

const sleepMs = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sleeps until hrtime reaches deadline (a BigInt), never less: setTimeout may fire early by up to ~1 ms. */
async function sleepUntil(deadline) {
  for (let left = deadline - now(); left > 0n; left = deadline - now()) {
    await sleepMs(Math.ceil(Number(left) / 1e6));
  }
}

let yieldNow = () => new Promise((resolve) => setImmediate(resolve));

/** A full collection: --expose-gc turned on at run time, gc() taken from a fresh context. */
function collect() {
  v8.setFlagsFromString("--expose-gc");
  const gc = globalThis.gc ?? vm.runInNewContext("gc");
  gc();
  gc();
}

function heapAfterGc() {
  collect();
  return process.memoryUsage().heapUsed;
}

// ---------------------------------------------------------------- asyncio.Queue, ported

/** collections.deque enough for the queue: a growable ring buffer. */
class Deque {
  constructor() {
    this.buf = new Array(4);
    this.head = 0;
    this.length = 0;
  }

  push(x) {
    if (this.length === this.buf.length) {
      const bigger = new Array(this.buf.length * 2);
      for (let i = 0; i < this.length; i++) bigger[i] = this.buf[(this.head + i) % this.buf.length];
      this.buf = bigger;
      this.head = 0;
    }
    this.buf[(this.head + this.length) % this.buf.length] = x;
    this.length++;
  }

  shift() {
    const x = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.length--;
    return x;
  }
}

/** asyncio's Future, as the queue uses it: a promise that some other task resolves, and whether it was. */
class Waiter {
  constructor() {
    this.done = false;
    this.promise = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  setResult() {
    this.done = true;
    this.resolve();
  }
}

class QueueFull extends Error {}
class QueueEmpty extends Error {}

/**
 * asyncio.Queue (CPython 3.13 Lib/asyncio/queues.py) without shutdown and cancellation (a promise cannot be
 * cancelled): put waits while the queue is full, get while it is empty, each on a waiter of its own in a
 * FIFO list; putNowait wakes the first getter that is still waiting, getNowait the first such putter.
 */
class Queue {
  constructor(maxsize = 0) {
    this.maxsize = maxsize;
    this.items = new Deque();
    this.getters = new Deque();
    this.putters = new Deque();
  }

  static wakeupNext(waiters) {
    while (waiters.length > 0) {
      const waiter = waiters.shift();
      if (!waiter.done) {
        waiter.setResult();
        break;
      }
    }
  }

  qsize() {
    return this.items.length;
  }

  empty() {
    return this.items.length === 0;
  }

  full() {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }

  async put(item) {
    while (this.full()) {
      const putter = new Waiter();
      this.putters.push(putter);
      await putter.promise;
    }
    this.putNowait(item);
  }

  putNowait(item) {
    if (this.full()) throw new QueueFull();
    this.items.push(item);
    Queue.wakeupNext(this.getters);
  }

  async get() {
    while (this.empty()) {
      const getter = new Waiter();
      this.getters.push(getter);
      await getter.promise;
    }
    return this.getNowait();
  }

  getNowait() {
    if (this.empty()) throw new QueueEmpty();
    const item = this.items.shift();
    Queue.wakeupNext(this.putters);
    return item;
  }
}

// ---------------------------------------------------------------- W1 .. W5

async function spawnJoin(n) {
  let ran = 0;
  const child = async () => {
    ran++;
  };
  const t0 = now();
  const children = new Array(n);
  for (let i = 0; i < n; i++) children[i] = child();
  for (const c of children) await c;
  const t = ns(t0, now());
  expect("W1 children that ran", n, ran);
  return { ns_per_task: t / n, tasks: n };
}

async function pingPong(n) {
  const there = new Queue(1);
  const back = new Queue(1);
  let returned = 0;

  async function ping() {
    for (let i = 0; i < n; i++) {
      await there.put(i);
      const token = await back.get();
      verify(() => `W2 token ${token} came back as ${i}`, token === i);
      returned++;
    }
  }

  async function pong() {
    for (let i = 0; i < n; i++) await back.put(await there.get());
  }

  const t0 = now();
  const a = ping();
  const b = pong();
  await a;
  await b;
  const t = ns(t0, now());
  expect("W2 round trips", n, returned);
  return { ns_per_round_trip: t / n, round_trips: n };
}

async function yieldAlone(n) {
  let yields = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    await yieldNow();
    yields++;
  }
  const t = ns(t0, now());
  expect("W3 yields", n, yields);
  return { ns_per_yield: t / n, yields: n };
}

async function yieldCrowded(n, others) {
  let yields = 0;
  let otherYields = 0;
  let done = false;
  const window = [0, 0];

  async function other() {
    while (!done) {
      await yieldNow();
      otherYields++;
    }
  }

  async function measured() {
    const o0 = otherYields;
    const t0 = now();
    for (let i = 0; i < n; i++) {
      await yieldNow();
      yields++;
    }
    window[0] = ns(t0, now());
    window[1] = otherYields - o0;
    done = true;
  }

  const rest = [];
  for (let k = 0; k < others; k++) rest.push(other());
  await measured();
  for (const t of rest) await t;
  expect("W3 yields of the measured task", n, yields);
  verify(() => `W3 the ${others} others yielded ${window[1]} times while the measured task yielded ${n} times `
    + `(expected about ${others * n})`, Math.abs(window[1] - others * n) <= 2 * others);
  return { ns_per_yield: window[0] / n, ns_per_switch: window[0] / (n + window[1]), yields: n, other_yields: window[1] };
}

async function sleepers(n, sleepNs, memory) {
  const late = new Array(n).fill(0);
  const sleep = BigInt(sleepNs);
  let started = 0;
  let woke = 0;

  async function sleeper(k) {
    const s = now();
    started++;
    await sleepMs(sleepNs / 1e6);
    late[k] = ns(s + sleep, now());
    woke++;
  }

  const before = memory ? heapAfterGc() : 0;
  const t0 = now();
  const ts = new Array(n);
  for (let k = 0; k < n; k++) ts[k] = sleeper(k);
  while (started < n) await yieldNow(); // (every task has started: Node runs each to its first await at once)
  const allAsleep = ns(t0, now());
  const grown = memory ? heapAfterGc() - before : 0;
  for (const t of ts) await t;
  const wall = ns(t0, now());
  expect("W4 tasks that woke", n, woke);
  const r = { wall_ns: wall, all_asleep_ns: allAsleep };
  if (memory) r.bytes_per_task = grown / n;
  r.lateness_ns = late;
  r.tasks = n;
  return r;
}

async function fanOut(gathers, children, sleepNs) {
  let done = 0;
  const child = async () => {
    await sleepMs(sleepNs / 1e6);
    done++;
  };
  const per = [];
  for (let g = 0; g < gathers; g++) {
    const t = now();
    const kids = new Array(children);
    for (let c = 0; c < children; c++) kids[c] = child();
    const results = await Promise.all(kids);
    per.push(ns(t, now()));
    expect("W5 results of one gather", children, results.length);
  }
  expect("W5 children that slept and ended", gathers * children, done);
  return { ms_per_gather: per.reduce((a, b) => a + b, 0) / 1e6 / gathers, gather_ns: per, gathers, children };
}

// ---------------------------------------------------------------- W6

/** {level: {rho, loops, arrivals: [ns...]}} from the file compare.py wrote. */
function readSchedule(path) {
  const levels = new Map();
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const f = line.split(/\s+/);
    if (f.length !== 4) throw new Error(`${path}: expected 'level rho loops arrival_ns', got '${line}'`);
    if (!levels.has(f[0])) levels.set(f[0], { name: f[0], rho: Number(f[1]), loops: Number(f[2]), arrivals: [] });
    levels.get(f[0]).arrivals.push(Number(f[3]));
  }
  return levels;
}

function spinUntil(deadline) {
  while (now() < deadline) {
    // computing on the loop
  }
}

/**
 * The jobs `indices` of a level on this thread's event loop: {index: [r1, e1, r2, e2]} in ns after t0, or
 * null when some job was not yet asleep at its arrival (the lead was too short). r1/e1: the first step
 * began running / ended (went to sleep); r2/e2: the same for the second.
 */
async function saturationLoop(arrivals, indices, t0) {
  const n = indices.length;
  const out = new Map();
  let started = 0;
  let startedLate = 0;
  let done = 0;

  async function job(i) {
    const arrival = t0 + BigInt(arrivals[i]);
    if (arrival - now() <= 0n) startedLate++;
    started++;
    await sleepUntil(arrival); // ready at its arrival
    const r1 = now();
    spinUntil(r1 + SPIN_NS);
    const e1 = now();
    await sleepUntil(e1 + PAUSE_NS); // ready again at e1 + 5 ms
    const r2 = now();
    spinUntil(r2 + SPIN_NS);
    const e2 = now();
    out.set(i, [ns(t0, r1), ns(t0, e1), ns(t0, r2), ns(t0, e2)]);
    done++;
  }

  const tasks = indices.map(job);
  while (started < n) await yieldNow();
  const leadTooShort = startedLate > 0 || now() >= t0;
  await Promise.all(tasks);
  expect("W6 jobs that ended", n, done);
  return leadTooShort ? null : out;
}

function range(from, to, step) {
  const r = [];
  for (let i = from; i < to; i += step) r.push(i);
  return r;
}

/** One loop per worker thread; each returns its jobs' times (or null: lead too short). */
function inWorker(arrivals, indices, t0) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { arrivals, indices, t0 } });
    w.once("message", (m) => (m.error ? reject(new Error(`a loop thread failed: ${m.error}`)) : resolve(m.out)));
    w.once("error", reject);
  });
}

async function saturationOnce(level, leadNs) {
  const { arrivals, loops } = level;
  const n = arrivals.length;
  const t0 = now() + leadNs;
  let parts;
  if (loops === 1) {
    parts = [await saturationLoop(arrivals, range(0, n, 1), t0)];
  } else {
    parts = await Promise.all(range(0, loops, 1).map((k) => inWorker(arrivals, range(k, n, loops), t0)));
  }
  if (parts.some((p) => p === null)) return null;
  const out = new Map();
  for (const p of parts) for (const [i, v] of p) out.set(i, v);
  expect(`W6 ${level.name} jobs that ended`, n, out.size);
  const col = (c) => range(0, n, 1).map((i) => out.get(i)[c]);
  return { level: level.name, rho: level.rho, loops, jobs: n, r1_ns: col(0), e1_ns: col(1), r2_ns: col(2), e2_ns: col(3) };
}

/** A W6 run, repeated with a doubled lead (up to 4 times) while the lead was too short. */
async function saturation(level, leadNs) {
  for (let attempt = 1; attempt <= 4; attempt++) {
    const r = await saturationOnce(level, leadNs);
    if (r !== null) return { ...r, lead_ms: Number(leadNs / 1_000_000n) };
    process.stderr.write(`W6 ${level.name}: not every job was asleep before the first arrival with a lead of `
      + `${leadNs / 1_000_000n} ms; again with ${(2n * leadNs) / 1_000_000n} ms\n`);
    leadNs *= 2n;
  }
  throw new WrongResult(`benchmark result wrong: W6 ${level.name}: lead too short 4 times`);
}

// ---------------------------------------------------------------- main

async function runOnce(workload, scale, memory = false) {
  const scaled = (c) => Math.max(1, Math.round(c * scale));
  switch (workload) {
    case "w1": return spawnJoin(scaled(W1_TASKS));
    case "w2": return pingPong(scaled(W2_ROUND_TRIPS));
    case "w3-alone": return yieldAlone(scaled(W3_YIELDS));
    case "w3-crowded": return yieldCrowded(scaled(W3_YIELDS), W3_OTHERS);
    case "w4": return sleepers(scaled(W4_TASKS), W4_SLEEP_NS, memory);
    case "w5": return fanOut(scaled(W5_GATHERS), W5_CHILDREN, W5_SLEEP_NS);
    default: throw new Error(`unknown workload ${workload}`);
  }
}

const WORKLOADS = ["w1", "w2", "w3-alone", "w3-crowded", "w4", "w4-memory", "w5", "w6"];
const USAGE = `usage: node_workloads.mjs ${WORKLOADS.join("|")} [--iterations N] [--scale F] [--warmup-scale F] `
  + "[--schedule FILE --levels a,b] [--lead-ms MS] [--yield immediate|microtask]";

async function main(argv) {
  const workload = argv[0];
  if (!WORKLOADS.includes(workload) || argv.length % 2 === 0) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  const o = { iterations: 1, scale: 1, warmup: 0.1, schedule: null, levels: null, leadMs: 500, yield: "immediate" };
  for (let i = 1; i < argv.length; i += 2) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case "--iterations": o.iterations = Number(v); break;
      case "--scale": o.scale = Number(v); break;
      case "--warmup-scale": o.warmup = Number(v); break;
      case "--schedule": o.schedule = v; break;
      case "--levels": o.levels = v.split(","); break;
      case "--lead-ms": o.leadMs = Number(v); break;
      case "--yield": o.yield = v; break;
      default: throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  if (o.yield === "microtask") {
    yieldNow = () => null; // `await yieldNow()` is then `await null`: one microtask hop
  } else if (o.yield !== "immediate") {
    throw new Error(`--yield is immediate or microtask, not ${o.yield}`);
  }
  const base = {
    runtime: "node", workload, measure: null,
    version: `Node ${process.version} (V8 ${process.versions.v8}), ${os.availableParallelism()} CPUs`
      + (o.yield === "immediate" ? "" : `, --yield ${o.yield}`),
  };
  const emit = (iteration, result) => process.stdout.write(JSON.stringify({ ...base, iteration, ...result }) + "\n");

  if (workload === "w6") {
    if (!o.schedule || !o.levels) throw new Error("w6 needs --schedule FILE and --levels a,b,...");
    const levels = readSchedule(o.schedule);
    const level = (name) => {
      if (!levels.has(name)) throw new Error(`no level '${name}' in the schedule; it has ${[...levels.keys()]}`);
      return levels.get(name);
    };
    const lead = BigInt(o.leadMs) * 1_000_000n;
    if (o.warmup > 0 && levels.has("warmup")) await saturation(level("warmup"), lead);
    for (let it = 0; it < o.iterations; it++) for (const name of o.levels) emit(it, await saturation(level(name), lead));
    return 0;
  }
  if (workload === "w4-memory") {
    if (o.warmup > 0) await runOnce("w4", o.warmup); // compiled code, as the Java programs measure it
    emit(0, await runOnce("w4", 1.0, true));
    return 0;
  }
  if (o.warmup > 0) await runOnce(workload, o.warmup);
  for (let it = 0; it < o.iterations; it++) emit(it, await runOnce(workload, o.scale));
  return 0;
}

if (isMainThread) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write((e instanceof WrongResult ? e.message : e.stack) + "\n");
    process.exitCode = 1;
  }
} else {
  // a W6 loop of a group: this worker thread's own event loop
  const { arrivals, indices, t0 } = workerData;
  try {
    parentPort.postMessage({ out: await saturationLoop(arrivals, indices, t0) });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.stack ? e.stack : e) });
  }
}
