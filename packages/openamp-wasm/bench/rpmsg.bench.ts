/**
 * RPMsg benchmark: v8r against a plain-JavaScript baseline (two Workers over a
 * SharedArrayBuffer ring with the same message sizes, window and wait
 * protocol, bench/_plain-link.ts), run interleaved in this one process tree so
 * that the ratios hold on a loaded machine. Beside them runs the wire format's
 * floor (bench/_virtq-link.ts): the same split virtqueues as v8r, written by
 * hand in plain JS, which shows how much of the gap to the plain ring the
 * virtqueue itself costs and how much v8r adds. Run: `pnpm --filter
 * @v8r/openamp-wasm bench` (`-- --quick` for one round, `-- --one-thread` for
 * the one-thread figures only). Prints the figures,
 * each with its ratio to plain JS, the load average, and a final
 * `BENCH_JSON {...}` line. Figures only: nothing here passes or fails.
 */
import { loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { loadOpenAmp, type OpenAmp } from "../src/openamp.ts";
import { buildCPrograms, type CPrograms, pingArgs, pingFigure, runCPair, runTsPair } from "./_c-guests.ts";
import { type Impl, RING, type RunResult, type Scenario } from "./_scenario.ts";
import type { LinkSide } from "./_link.ts";
import { cpuSideBySide, oneThread } from "./_one-thread.ts";
import { plainLinkBytes } from "./_plain-link.ts";
import { CTL_BYTES } from "./_wait.ts";

interface Row { name: string; value: number; unit: string; note?: string }
const rows: Row[] = [];
const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 1 : 5;
const SPIN_RUNS = 20;
/** A round trip below this did not sleep (a wake from Atomics.wait alone costs 14-24 µs one way). */
const FAST_US = 10;
const V8R_SHM = 0x40000; // 256 KiB: num = 128

interface Pair { host: Worker; remote: Worker }

function startWorker(impl: Impl, side: LinkSide, module: WebAssembly.Module): Worker {
  const url = new URL("./_bench-worker.ts", import.meta.url).href;
  return new Worker(new URL("./_bootstrap.mjs", import.meta.url), { workerData: { impl, side, module, url } });
}

function result(w: Worker): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const fail = (err: unknown): void => reject(err);
    w.once("message", (m: RunResult & { error?: string }) => {
      w.off("error", fail);
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    w.once("error", fail);
  });
}

/** The implementations, in the order a round runs them (the order turns round every other round). */
const IMPLS: readonly Impl[] = ["js", "vq", "v8r"];
const order = (r: number): readonly Impl[] => (r % 2 ? IMPLS : [...IMPLS].reverse());
const LABEL: Record<Impl, string> = { js: "plain JS", vq: "virtqueue floor", v8r: "v8r" };

async function run(impl: Impl, pair: Pair, scenario: Scenario): Promise<RunResult> {
  const shm = new SharedArrayBuffer(impl === "js" ? plainLinkBytes(RING.num, RING.slot) : V8R_SHM);
  const ctl = new SharedArrayBuffer(CTL_BYTES);
  const done = Promise.all([result(pair.host), result(pair.remote)]);
  for (const w of [pair.host, pair.remote]) w.postMessage({ scenario, shm, ctl });
  const [host] = await done;
  return host;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

/** A figure of each implementation, then v8r / plain JS (the target's ratio), floor / plain JS and v8r / floor. */
function record(name: string, got: Record<Impl, number>, unit: string, better: "higher" | "lower", target?: string): void {
  for (const impl of IMPLS) rows.push({ name: `${name}, ${LABEL[impl]}`, value: got[impl], unit });
  const note = `${better} is better`;
  rows.push({ name: `${name}, v8r / plain JS`, value: got.v8r / got.js, unit: "x", note: `${note}${target ? `; target ${target}` : ""}` });
  rows.push({ name: `${name}, virtqueue floor / plain JS`, value: got.vq / got.js, unit: "x", note: `${note}; what the split virtqueue costs` });
  rows.push({ name: `${name}, v8r / virtqueue floor`, value: got.v8r / got.vq, unit: "x", note: `${note}; what v8r adds to it` });
}

const medians = (g: Record<Impl, number[]>): Record<Impl, number> => ({ js: median(g.js), vq: median(g.vq), v8r: median(g.v8r) });

async function workerFigures(oa: OpenAmp, c: CPrograms): Promise<void> {
  const pair = (impl: Impl): Pair => ({ host: startWorker(impl, "host", oa.module), remote: startWorker(impl, "remote", oa.module) });
  const pairs: Record<Impl, Pair> = { js: pair("js"), vq: pair("vq"), v8r: pair("v8r") };
  const n = quick ? 50_000 : 200_000;
  const figures: { name: string; scenario: Scenario; target?: string }[] = [
    ...[0, 32, 128, 496].map((size) => ({ name: `pipelined ${size} B, 64 in flight`, scenario: { kind: "pipe" as const, size, spin: true, n, endpoints: 1 },
      ...(size === 32 || size === 496 ? { target: ">= 0.85" } : {}) })),
    ...[4, 16].map((e) => ({ name: `pipelined 32 B over ${e} endpoints`, scenario: { kind: "pipe" as const, size: 32, spin: true, n, endpoints: e } })),
    { name: "round trip 32 B, blocking (median)", scenario: { kind: "rtt", size: 32, spin: false, n: quick ? 1000 : 3000, endpoints: 1 }, target: "<= 1.15" },
  ];
  const got = new Map<string, Record<Impl, number[]>>(figures.map((f) => [f.name, { js: [], vq: [], v8r: [] }]));
  const cGot: CGot = { c: { rtt: [], pipe: [] }, ts: { rtt: [], pipe: [] } };
  const cRuns = { rtt: { count: quick ? 1000 : 3000, size: 32, pipeline: 1 }, pipe: { count: n / 4, size: 32, pipeline: 64 } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const f of figures) {
      for (const impl of order(r)) {
        const res = await run(impl, pairs[impl], f.scenario);
        got.get(f.name)?.[impl].push(res.msgsPerSec ?? res.medianUs ?? NaN);
      }
    }
    for (const lang of (r % 2 ? ["ts", "c"] : ["c", "ts"]) as (keyof CGot)[]) {
      if (lang === "c") {
        cGot.c.rtt.push(pingFigure(await runCPair(c, pingArgs(cRuns.rtt)), "median round trip"));
        cGot.c.pipe.push(pingFigure(await runCPair(c, pingArgs(cRuns.pipe)), "msgs/s"));
      } else {
        cGot.ts.rtt.push((await runTsPair(oa.module, cRuns.rtt)).medianUs ?? NaN);
        cGot.ts.pipe.push((await runTsPair(oa.module, cRuns.pipe)).msgsPerSec ?? NaN);
      }
    }
  }
  for (const f of figures) {
    const g = got.get(f.name) as Record<Impl, number[]>;
    const pipe = f.scenario.kind === "pipe";
    record(f.name, medians(g), pipe ? "msgs/s" : "us", pipe ? "higher" : "lower", f.target);
  }
  cFigures(cGot);
  // spin-then-wait round trips: 20 runs each, interleaved; a run is in the fast mode when its median never slept
  const spin: Record<Impl, number[]> = { js: [], vq: [], v8r: [] };
  const scenario: Scenario = { kind: "rtt", size: 32, spin: true, n: quick ? 500 : 2000, endpoints: 1 };
  for (let r = 0; r < SPIN_RUNS; r++) {
    for (const impl of order(r)) spin[impl].push((await run(impl, pairs[impl], scenario)).medianUs ?? NaN);
  }
  record("round trip 32 B, spin-then-wait (median of 20 runs)", medians(spin), "us", "lower");
  for (const impl of IMPLS) {
    const fast = spin[impl].filter((us) => us < FAST_US).length;
    rows.push({ name: `spin-then-wait runs in the fast mode (< ${FAST_US} us), ${LABEL[impl]}`, value: fast, unit: `of ${SPIN_RUNS}`, note: impl === "v8r" ? "target >= 18" : undefined });
  }
  await Promise.all(Object.values(pairs).flatMap((p) => [p.host.terminate(), p.remote.terminate()]));
}

/** What the C pair and its TypeScript twin measured, round after round. */
interface CGot { c: { rtt: number[]; pipe: number[] }; ts: { rtt: number[]; pipe: number[] } }

/**
 * The C guests (ping and echo built with v8r-cc, in Workers) next to their
 * TypeScript twin (bench/_ts-pair-worker.ts): the same payloads echoed both
 * ways and checked, the same window, the same doorbell, both blocking.
 */
function cFigures(g: CGot): void {
  const same = "32 B payloads echoed back and checked, both sides blocking on a doorbell word";
  const rows2 = [
    { name: "round trip 32 B, blocking", c: median(g.c.rtt), ts: median(g.ts.rtt), unit: "us", better: "lower",
      note: `median of each run's median; ${same}; target C / TS <= 1.5` },
    { name: "pipelined echo 32 B, 64 in flight, blocking", c: median(g.c.pipe), ts: median(g.ts.pipe), unit: "msgs/s", better: "higher",
      note: `payloads per second, median of the runs; ${same}; target C / TS >= 0.67` },
  ];
  for (const f of rows2) {
    rows.push({ name: `C guests (v8r-cc, Workers): ${f.name}`, value: f.c, unit: f.unit });
    rows.push({ name: `TS twin of the C guests (Workers): ${f.name}`, value: f.ts, unit: f.unit });
    rows.push({ name: `C guests / TS twin: ${f.name}`, value: f.c / f.ts, unit: "x", note: `${f.better} is better; ${f.note}` });
  }
}

async function oneThreadFigures(oa: OpenAmp): Promise<void> {
  for (const size of [32, 496]) {
    const cpu = await cpuSideBySide(oa, size);
    record(`one thread, CPU per message ${size} B (median of 7 interleaved runs)`, cpu, "us", "lower", size === 32 ? "v8r <= 0.3 us" : undefined);
    const js = await oneThread("js", "host", size);
    const v = await oneThread(oa, "host", size);
    rows.push({ name: `one thread, heap allocated per message ${size} B, plain JS`, value: js.heapBytesPerMsg, unit: "bytes" });
    rows.push({ name: `one thread, heap allocated per message ${size} B, v8r`, value: v.heapBytesPerMsg, unit: "bytes", note: "target 0" });
  }
  for (const from of ["host", "remote"] as LinkSide[]) {
    const v = await oneThread(oa, from, 32);
    const detail = Object.entries(v.importsByName ?? {}).map(([k, c]) => `${k} ${c.toFixed(2)}`).join(", ");
    rows.push({ name: `shared-memory imports per one-way message, ${from} -> ${from === "host" ? "remote" : "host"}`, value: v.importsPerMsg ?? NaN, unit: "calls", note: `target <= 6; ${detail}` });
  }
}

const load0 = loadavg();
const oa = await loadOpenAmp();
await oneThreadFigures(oa);
if (!process.argv.includes("--one-thread")) await workerFigures(oa, await buildCPrograms());
const load1 = loadavg();
rows.push({ name: "load average (1 min) at start / end", value: load0[0] ?? NaN, unit: "", note: `end ${(load1[0] ?? NaN).toFixed(2)}` });

const fmt = (v: number): string => (!Number.isFinite(v) ? "n/a" : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2));
const width = Math.max(...rows.map((r) => r.name.length));
console.log(`${"benchmark".padEnd(width)}  value`);
for (const r of rows) console.log(`${r.name.padEnd(width)}  ${fmt(r.value)} ${r.unit}${r.note ? `  (${r.note})` : ""}`);
console.log(`BENCH_JSON ${JSON.stringify({ package: "@v8r/openamp-wasm", results: rows.map((r) => ({ ...r, value: Number(r.value.toPrecision(6)) })) })}`);
