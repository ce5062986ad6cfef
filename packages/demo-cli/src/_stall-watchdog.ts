// The stall watchdog: a wall-clock guard outside the simulation thread. In
// inline and virtual-time runs every guest runs on the main thread, so a
// guest that loops without returning (a WASI program built without the
// spin watchdog, a TypeScript image that never yields) blocks timers,
// --duration and the SIGINT/SIGTERM handlers alike: nothing on that thread
// can end the run. A small worker_threads Worker watches a heartbeat the
// main thread's event loop writes into a SharedArrayBuffer; when the beat
// stops for the stall timeout, or a shutdown started and the process is
// still there after its grace, it writes one line to stderr naming the
// cause (and the domain whose CPU was busy, from the CPUs' shared
// accounting), removes the files the run would remove, and kills the
// process with SIGKILL (a Worker's process.exit ends only the Worker).
// Node runs SIGINT/SIGTERM handlers on the main thread only, so a signal
// waits for a stuck thread; the Worker notices it too (libuv tells every
// event loop that listens for a signal; a Worker's process.on does not
// listen, Node's signal_wrap binding does, where the host has it) and ends
// the process as soon as the main thread has not acted on it in time.
import { Worker } from "node:worker_threads";
import { Cpu, describeError } from "@v8r/fvp-core";
import type { Xen } from "@v8r/xen-dom0less";
import { formatDuration } from "./duration.ts";
import type { DemoPlatform } from "./trace-events.ts";

/** How long a shutdown may take, after it started, before the watchdog ends the process: the shutdown's own 10 s limit and some. */
export const STOP_GRACE_MS = 15_000;

/** Shortest time the main thread gets to act on SIGINT/SIGTERM (start the shutdown, or exit on a second one) before the watchdog ends the process; a free event loop does it at once. */
export const SIGNAL_GRACE_MS = 1000;

/** What the watchdog needs to know about one CPU to name who was running when the thread got stuck. */
export interface WatchedCpu {
  /** The CPU's shared accounting buffer ({@link Cpu.buffer}). */
  readonly buffer: SharedArrayBuffer;
  /** The domains placed on it (none known yet: the watchdog names the CPU). */
  readonly domains: readonly string[];
}

/** A started stall watchdog. */
export interface StallWatchdog {
  /** The platform's CPUs, by index, and which domains run on each (call again when that changes). */
  watchCpus(cpus: readonly WatchedCpu[]): void;
  /** A file the run removes when it ends (the watchdog removes it when it kills the process). */
  leaves(path: string): void;
  /** A shutdown started: the process must be gone within {@link STOP_GRACE_MS}. */
  stopping(): void;
  /** Stop watching (the run ended normally). */
  close(): void;
}

/** Options of {@link startStallWatchdog}. */
export interface StallWatchdogOptions {
  /** Longest time the main thread may go without a heartbeat, ms (`--stall-timeout`, > 0). */
  readonly stallMs: number;
  /** Longest time a shutdown may take, ms; default {@link STOP_GRACE_MS}. */
  readonly stopGraceMs?: number;
  /** Told when the watchdog cannot start or fails (the run goes on without it). */
  readonly warn: (line: string) => void;
}

const BEAT = 0;
const STOPPING = 1;

// CommonJS run by the Worker (eval: no module to resolve, the same in the
// sources, the built package and Deno). It only reads shared memory and
// its own clock; its interval keeps it alive, the parent's unref() does not
// let it keep the process alive. A tick that comes late by half the
// shortest limit means the whole process was starved or stopped (Ctrl-Z): the
// wait starts again rather than counting that time against the main thread.
// A signal counts as taken when the shutdown it starts has begun (the
// first one) or the process is gone (one during a shutdown forces the exit).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { writeSync, unlinkSync } = require("node:fs");
const { stallMs, stopMs, signalMs, tickMs, lateMs, slot } = workerData;
const shared = new Int32Array(workerData.shared);
let cpus = [];
const files = new Set();
parentPort.on("message", (m) => {
  if (m.cpus) cpus = m.cpus.map((c, i) => ({ f: new Float64Array(c.buffer), domains: c.domains.length > 0 ? c.domains : ["a guest on CPU " + i] }));
  if (m.leaves) files.add(m.leaves);
});
let beat = Atomics.load(shared, ${BEAT});
let beatAt = performance.now();
let lastTick = beatAt;
let stopAt;
let signalled;
try {
  // an internal binding: its deprecation warning would only puzzle the user; without it, signals wait for the main thread
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  const { Signal } = (() => { try { return process.binding("signal_wrap"); } finally { process.noDeprecation = quiet; } })();
  for (const name of ["SIGINT", "SIGTERM"]) {
    const handle = new Signal();
    handle.onsignal = () => (signalled = { name, at: performance.now(), duringStop: Atomics.load(shared, ${STOPPING}) !== 0 });
    if (handle.start(require("node:os").constants.signals[name]) !== 0) handle.close();
  }
} catch {}
const running = () => {
  const names = [];
  for (const c of cpus) if (c.f[slot] >= 0) for (const d of c.domains) if (!names.includes(d)) names.push(d);
  return names;
};
const seconds = (ms) => (ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1) + " s";
const end = (why) => {
  const names = running();
  const who = names.length > 0 ? "; " + names.join(", ") + " was running and never gave the thread back (a loop that does not yield?)" : "";
  try { writeSync(2, "\\n[v8r-demo] stall watchdog: " + why + who + "; ending the process with SIGKILL\\n"); } catch {}
  for (const f of files) { try { unlinkSync(f); } catch {} }
  process.kill(process.pid, "SIGKILL");
};
setInterval(() => {
  const now = performance.now();
  const late = now - lastTick > lateMs;
  lastTick = now;
  const b = Atomics.load(shared, ${BEAT});
  if (b !== beat || late) { beat = b; beatAt = now; }
  if (stopAt === undefined && Atomics.load(shared, ${STOPPING}) !== 0) stopAt = now;
  if (late && stopAt !== undefined) stopAt = now;
  if (late && signalled !== undefined) signalled.at = now;
  const ignored = signalled !== undefined && now - signalled.at >= signalMs && (signalled.duringStop || stopAt === undefined);
  if (now - beatAt >= stallMs) end("no progress for " + seconds(stallMs) + " on the thread that runs the simulation");
  else if (stopAt !== undefined && now - stopAt >= stopMs) end("the shutdown did not finish within " + seconds(stopMs));
  else if (ignored) end(signalled.name + " came and the thread that runs the simulation did not act on it within " + seconds(signalMs) + " (it is stuck)");
}, tickMs);
`;

/**
 * Start the watchdog: a heartbeat on this thread's event loop, watched from
 * a Worker. Returns `undefined` when the host cannot start the Worker (the
 * run goes on without it).
 */
export function startStallWatchdog(options: StallWatchdogOptions): StallWatchdog | undefined {
  const { stallMs, stopGraceMs = STOP_GRACE_MS, warn } = options;
  const shared = new Int32Array(new SharedArrayBuffer(8));
  // Check often enough that the limit is kept to within a tenth of it.
  const shortest = Math.min(stallMs, stopGraceMs);
  const tickMs = Math.max(50, Math.min(1000, Math.floor(shortest / 10)));
  const lateMs = Math.max(5 * tickMs, shortest / 2);
  // at least two ticks, so one signal is never judged on a single late look
  const signalMs = Math.max(SIGNAL_GRACE_MS, 2 * tickMs);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], name: "v8r stall watchdog", workerData: { shared: shared.buffer, stallMs, stopMs: stopGraceMs, signalMs, tickMs, lateMs, slot: Cpu.BUSY_SINCE_SLOT } });
  } catch (err) {
    warn(`[v8r-demo] the stall watchdog could not start (${describeError(err).error}); running without it`);
    return undefined;
  }
  worker.unref();
  // a watchdog that failed must not take the run with it
  worker.on("error", (err) => warn(`[v8r-demo] the stall watchdog failed (${describeError(err).error}); running without it`));
  const heartbeat = setInterval(() => Atomics.add(shared, BEAT, 1), tickMs);
  heartbeat.unref();
  return {
    watchCpus: (cpus) => worker.postMessage({ cpus: cpus.map((c) => ({ buffer: c.buffer, domains: [...c.domains] })) }),
    leaves: (path) => worker.postMessage({ leaves: path }),
    stopping: () => void Atomics.store(shared, STOPPING, 1),
    close: () => {
      clearInterval(heartbeat);
      void worker.terminate();
    },
  };
}

/**
 * Keep `stall` told which guests run on which of `platform`'s CPUs, from
 * the platform's guest events (a guest may spin before Xen's boot returns,
 * and `xl create` adds domains later). For inline runs only: in Workers
 * mode a busy CPU is busy in its own Worker, not on the stuck thread.
 */
export function watchGuests(stall: Pick<StallWatchdog, "watchCpus">, platform: DemoPlatform): void {
  const placed = new Map<string, readonly number[]>();
  const tell = (): void => {
    stall.watchCpus(platform.cpus.map((cpu) => ({ buffer: cpu.buffer, domains: [...placed].filter(([, cpus]) => cpus.includes(cpu.index)).map(([name]) => name) })));
  };
  tell();
  platform.trace.on((e) => {
    if (e.type === "guest-started") placed.set(e.guest, e.cpus ?? []);
    else if (e.type === "guest-stopped" || e.type === "guest-crashed") placed.delete(e.guest);
    else return;
    tell();
  });
}

/**
 * In Workers mode (a Worker per domain) a guest that loops without yielding
 * holds only its own Worker: the main thread, still free, crashes that
 * domain (`xen.crash`: its Worker is terminated and its `on_crash` policy
 * applies) once one of its vCPUs has run guest
 * code for `stallMs` without returning to its scheduler, with the reason on
 * Xen's console, and the run goes on. Returns the function that stops the
 * check.
 */
export function crashStuckGuests(platform: DemoPlatform, xen: Xen, stallMs: number): () => void {
  const reason = `[v8r-demo] stall watchdog: its vCPU ran guest code for ${formatDuration(stallMs)} without returning to its scheduler (a loop that does not yield?)`;
  const check = (): void => {
    const now = platform.clock.now();
    for (const d of xen.list()) {
      if (d.state !== "running") continue;
      const startedAt = now - d.uptimeMs;
      // an interval older than this instance is one a terminated Worker left open
      const stuck = d.pcpus.some((i) => {
        const since = platform.cpus[i]?.busySince();
        return since !== undefined && since >= startedAt && now - since >= stallMs;
      });
      if (stuck) void xen.crash(d.name, reason).catch(() => undefined);
    }
  };
  const timer = setInterval(check, Math.min(1000, stallMs / 4));
  timer.unref();
  return () => clearInterval(timer);
}
