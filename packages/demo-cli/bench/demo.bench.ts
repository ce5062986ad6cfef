// The assembled demo, measured as a user runs it (figures only, no pass/fail):
//  - time from the command's start to the first status page served (HTTP 200
//    on /zephyr-status.html) and to the first page carrying a Zephyr sample;
//  - wall time of `--virtual-time --duration 1h --seed 1`, and whether two
//    runs leave byte-identical status files;
//  - peak memory (VmHWM, summed over the process tree, Linux only);
//  - status messages per second: at the protocol's minimum period (100 ms)
//    in simulated time (as fast as the host goes) and in real time, and on
//    demand in real time (a flood of `rpmsg-ctrl sample` commands).
// Each run is a fresh process started the way `npm run demo` and
// `npx v8r-demo` do (`node packages/demo-cli/dist/cli.js`, so dist/ must be
// current: `pnpm bench` builds it when stale) and, for comparison, from the
// TypeScript sources the way the tests and developers run it
// (`tsx --conditions=source packages/demo-cli/src/cli.ts`).
// Run: tsx packages/demo-cli/bench/demo.bench.ts [--quick]
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { DEFAULT_STATUS_DIR, type StatusJson } from "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote";
import { staleDistReason } from "../../../scripts/dist-freshness.mjs";
import { freePort, median, pollUntil, startDemo, tryGet } from "./_bench-process.ts";

interface Result {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

interface Launcher {
  /** Short label for result names. */
  label: string;
  command: string;
  args: string[];
  /** Said beside its memory figures. */
  memoryNote: string;
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
const quick = process.argv.includes("--quick");
const REPEATS = quick ? 1 : 3;
const STATUS_DIR = DEFAULT_STATUS_DIR.slice(1);
const TARGET = { firstPageMs: 1000, hourS: 5, peakMiB: 150 } as const;
const MEMORY_HOW = "VmHWM summed over the process tree (an upper bound: shared pages such as the node binary count once per process)";
const results: Result[] = [];
const rows: string[][] = [];
const tempDirs: string[] = [];

function tempRootfs(): string {
  const dir = mkdtempSync(join(tmpdir(), "v8r-bench-"));
  tempDirs.push(dir);
  return dir;
}

function record(r: Result, target = ""): void {
  results.push({ ...r, value: Number(r.value.toPrecision(6)) });
  rows.push([r.name, `${fmt(r.value)} ${r.unit}`, target, r.note ?? ""]);
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2);
}

const mib = (kib: number): number => kib / 1024;

/** The built CLI first (what users run), then the sources under tsx (what tests and developers run). */
function launchers(): [Launcher, Launcher] {
  return [
    {
      label: "npm run demo / npx v8r-demo (built dist)",
      command: process.execPath,
      args: [join(root, "packages", "demo-cli", "dist", "cli.js")],
      memoryNote: "one process",
    },
    {
      label: "sources under tsx (tests, development)",
      command: join(root, "node_modules", ".bin", "tsx"),
      args: ["--conditions=source", "packages/demo-cli/src/cli.ts"],
      memoryNote: "the tree is tsx's launcher process and the demo's; tsx also registers its loader (a hooks thread) in every Worker",
    },
  ];
}

interface RealRun {
  firstPageMs: number;
  firstSampleMs: number;
  peakTreeMiB: number;
  peakProcessMiB: number;
  /** Samples/s Linux received over the last `windowMs` (real-time period runs). */
  rate?: { perSec: number; lost: number };
}

/** One real-time run: until the first sample, then `extraMs` more (a rate window when `period` is set). */
async function realRun(l: Launcher, extra: { periodMs?: number; windowMs: number }): Promise<RealRun> {
  const port = await freePort();
  const rootfs = tempRootfs();
  const args = [...l.args, "--port", String(port), "--rootfs", rootfs, ...(extra.periodMs === undefined ? [] : ["--period", String(extra.periodMs)])];
  const p = startDemo(l.command, args, root);
  const base = `http://127.0.0.1:${port}`;
  try {
    const page = await pollUntil(async () => ((await tryGet(`${base}/zephyr-status.html`))?.status === 200 ? performance.now() : undefined), 30_000);
    const sample = await pollUntil(async () => (latestSeq(await tryGet(`${base}/zephyr-status.json`)) !== undefined ? performance.now() : undefined), 30_000);
    if (page === undefined || sample === undefined) throw new Error(`[bench] ${l.label}: no status page within 30 s\n${p.output().slice(-2000)}`);
    const before = counters(rootfs);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, extra.windowMs));
    const after = counters(rootfs);
    const secs = (performance.now() - t0) / 1000;
    p.sampleMemory();
    const run: RealRun = {
      firstPageMs: page - p.startedAt,
      firstSampleMs: sample - p.startedAt,
      peakTreeMiB: mib(p.peakTreeKiB()),
      peakProcessMiB: mib(p.peakProcessKiB()),
    };
    if (extra.periodMs !== undefined) run.rate = { perSec: (after.received - before.received) / secs, lost: after.lost };
    return run;
  } finally {
    await p.stop();
  }
}

function latestSeq(r: { status: number; body: string } | undefined): number | undefined {
  if (r?.status !== 200) return undefined;
  try {
    const seq = (JSON.parse(r.body) as { latest?: { seq?: unknown } | null }).latest?.seq;
    return typeof seq === "number" ? seq : undefined;
  } catch {
    return undefined;
  }
}

/** The status JSON Linux wrote into `rootfs`, or undefined while there is none (or it is being replaced). */
function readStatusFile(rootfs: string): StatusJson | undefined {
  try {
    return JSON.parse(readFileSync(join(rootfs, STATUS_DIR, "zephyr-status.json"), "utf8")) as StatusJson;
  } catch {
    return undefined;
  }
}

function counters(rootfs: string): { received: number; lost: number } {
  const c = readStatusFile(rootfs)?.counters;
  return { received: c?.received ?? 0, lost: c?.lost ?? 0 };
}

interface VirtualRun {
  wallS: number;
  simS: number;
  received: number;
  hash: string;
  peakTreeMiB: number;
  peakProcessMiB: number;
}

/** One `--virtual-time` run to completion. */
async function virtualRun(l: Launcher, duration: string, extraArgs: string[] = []): Promise<VirtualRun> {
  const rootfs = tempRootfs();
  const p = startDemo(l.command, [...l.args, "--virtual-time", "--duration", duration, "--seed", "1", "--port", "0", "--rootfs", rootfs, "-q", ...extraArgs], root);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const code = await Promise.race([p.exited, new Promise<string>((r) => (timer = setTimeout(() => r("timeout"), 120_000)))]);
  clearTimeout(timer);
  if (code === "timeout") await p.stop(0);
  const wallS = (performance.now() - p.startedAt) / 1000;
  if (code !== 0) throw new Error(`[bench] ${l.label}: --virtual-time --duration ${duration} ended with ${code}\n${p.output().slice(-2000)}`);
  const m = /simulated \S+ in ([\d.]+) s of wall time/.exec(p.output());
  const hash = createHash("sha256");
  for (const f of ["zephyr-status.html", "zephyr-status.json"]) hash.update(readFileSync(join(rootfs, STATUS_DIR, f)));
  return { wallS, simS: m ? Number(m[1]) : Number.NaN, received: counters(rootfs).received, hash: hash.digest("hex").slice(0, 16), peakTreeMiB: mib(p.peakTreeKiB()), peakProcessMiB: mib(p.peakProcessKiB()) };
}

async function benchFirstPage(l: Launcher): Promise<void> {
  const runs: RealRun[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await realRun(l, { windowMs: 2000 }));
  const page = median(runs.map((r) => r.firstPageMs));
  const sample = median(runs.map((r) => r.firstSampleMs));
  const n = `median of ${runs.length}`;
  record({ name: `first status page, ${l.label}`, value: page, unit: "ms", note: `${n}; command start to HTTP 200 on /zephyr-status.html (runs: ${runs.map((r) => r.firstPageMs.toFixed(0)).join(", ")} ms)` }, `< ${TARGET.firstPageMs} ms`);
  record({ name: `first page with a sample, ${l.label}`, value: sample, unit: "ms", note: `${n}; Zephyr sends its first sample one period (1 s) after it booted` }, "");
  const peak = Math.max(...runs.map((r) => r.peakTreeMiB));
  const one = Math.max(...runs.map((r) => r.peakProcessMiB));
  if (peak > 0) {
    const note = `${MEMORY_HOW}, 2 s after the first sample; largest single process ${one.toFixed(0)} MiB; ${l.memoryNote}`;
    record({ name: `peak memory, real time (a Worker per domain), ${l.label}`, value: peak, unit: "MiB", note }, `< ${TARGET.peakMiB} MB`);
  }
}

async function benchVirtualHour(l: Launcher): Promise<void> {
  const runs = [await virtualRun(l, "1h"), await virtualRun(l, "1h")];
  const same = runs.every((r) => r.hash === runs[0]?.hash);
  const wall = median(runs.map((r) => r.wallS));
  record(
    { name: `simulated hour (--virtual-time --duration 1h --seed 1), ${l.label}`, value: wall, unit: "s", note: `command start to exit, median of ${runs.length}; the simulation alone ${runs.map((r) => r.simS.toFixed(2)).join(" / ")} s; ${runs[0]?.received ?? 0} samples; files ${same ? "byte-identical across runs" : "DIFFER between runs"}` },
    `< ${TARGET.hourS} s`,
  );
  const peak = Math.max(...runs.map((r) => r.peakTreeMiB));
  const one = Math.max(...runs.map((r) => r.peakProcessMiB));
  const note = `${MEMORY_HOW}, sampled every 25 ms; largest single process ${one.toFixed(0)} MiB; ${l.memoryNote}`;
  if (peak > 0) record({ name: `peak memory, simulated hour, ${l.label}`, value: peak, unit: "MiB", note }, `< ${TARGET.peakMiB} MB`);
}

async function benchMessageRate(l: Launcher): Promise<void> {
  const v = await virtualRun(l, "20m", ["--period", "100"]);
  const note = `${v.received} samples taken, sent over RPMsg, parsed and kept in ${v.simS.toFixed(2)} s of wall time (--virtual-time --duration 20m --period 100); the page is rewritten as often as the disk allows`;
  record({ name: `status messages/s at period 100 ms, simulated time, ${l.label}`, value: v.received / v.simS, unit: "msgs/s", note }, "");
  const r = await realRun(l, { periodMs: 100, windowMs: 3000 });
  if (r.rate) record({ name: `status messages/s at period 100 ms, real time, ${l.label}`, value: r.rate.perSec, unit: "msgs/s", note: `over 3 s; the sampler cannot go faster than its period (10/s), lost ${r.rate.lost}` }, "");
}

/**
 * Real time, as fast as the link goes: `rpmsg-ctrl sample` typed `count`
 * times into the Linux console (telnet), each a round trip (command to
 * Zephyr, sample and reply back), with periodic sampling out of the way.
 */
async function benchSampleFlood(l: Launcher, count: number): Promise<void> {
  const rootfs = tempRootfs();
  const p = startDemo(l.command, [...l.args, "--consoles", "telnet", "--period", "60000", "--port", "0", "--rootfs", rootfs], root);
  try {
    const port = await pollUntil(async () => /linux console\s+telnet \S+ (\d+)/.exec(p.output())?.[1], 30_000, 20);
    const bound = await pollUntil(async () => (linkState(rootfs) === "bound" ? true : undefined), 30_000, 20);
    if (port === undefined || bound === undefined) throw new Error(`[bench] ${l.label}: the link never came up\n${p.output().slice(-2000)}`);
    const sock = connect(Number(port), "127.0.0.1");
    sock.on("data", () => {});
    await new Promise((r) => setTimeout(r, 200));
    const before = counters(rootfs).received;
    const t0 = performance.now();
    sock.write("rpmsg-ctrl sample\r\n".repeat(count));
    await pollUntil(async () => (counters(rootfs).received - before >= count ? true : undefined), 30_000, 10);
    const secs = (performance.now() - t0) / 1000;
    const got = counters(rootfs).received - before;
    sock.destroy();
    const note = `${got} of ${count} \`rpmsg-ctrl sample\` commands typed at once into the Linux console, each a round trip over RPMsg, in ${secs.toFixed(2)} s (Workers, real time)`;
    record({ name: `status messages/s on demand (rpmsg-ctrl sample flood), real time, ${l.label}`, value: got / secs, unit: "msgs/s", note }, "");
  } finally {
    await p.stop();
  }
}

function linkState(rootfs: string): string | undefined {
  return readStatusFile(rootfs)?.link;
}

async function main(): Promise<void> {
  const stale = staleDistReason(root);
  if (stale !== undefined) throw new Error(`the built CLI is out of date (${stale}): run pnpm build, or run the benchmark through pnpm bench, which builds first`);
  const all = launchers();
  const [built] = all;
  for (const l of all) await stage(`first page, ${l.label}`, () => benchFirstPage(l));
  for (const l of all) await stage(`simulated hour, ${l.label}`, () => benchVirtualHour(l));
  await stage("message rate", () => benchMessageRate(built));
  await stage("sample flood", () => benchSampleFlood(built, quick ? 300 : 1000));
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  const head = ["benchmark", "value", "target", "note"];
  const widths = [0, 1, 2].map((i) => Math.max((head[i] ?? "").length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join("  ");
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(`BENCH_JSON ${JSON.stringify({ package: "v8r-demo", results })}`);
}

/** Run one part, telling stderr how long it took. */
async function stage(name: string, run: () => Promise<void>): Promise<void> {
  const t = performance.now();
  await run();
  console.error(`[bench] ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

await main();
