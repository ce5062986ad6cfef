// The built-in web server under load (figures only, no pass/fail):
//  - requests/s, p50 and p99 for the status page (16 KiB, replaced
//    atomically every second as the demo does) with 1, 100 and 1,000
//    concurrent keep-alive clients;
//  - 1,000 concurrent GETs on fresh connections (the burst a crowd of
//    browsers makes), p99 from the connect to the last byte, over 5 bursts,
//    and the server's CPU time per request;
//  - the server's resident memory (RSS) and JavaScript heap in use before
//    the load, at its peak, and after it once idle (polled each second until
//    within 10 % of before, for at most 30 s; nothing is done to the process
//    to get there); then, as evidence of what is live, the heap and RSS
//    after a full garbage collection the bench asks for.
// For scale, a bare node:http server answering with the page's bytes from
// memory (the machine's and Node's own limit) runs beside it and takes the
// same loads, each level and each burst right before ours, so both see the
// same machine load: the ratios ours/bare are the figures that hold on a
// busy machine; the absolute ones hold for the load the machine had.
// Both servers run in their own processes (bench/_web-server-child.ts, from
// the sources); the clients are raw sockets in this one.
// Run: tsx --conditions=source packages/linux-shim/bench/web.bench.ts [--quick]
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { burst, quantile, sustainedLoad, type LoadResult } from "./_http-load.ts";

interface Result {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

interface Memory {
  rss: number;
  heapUsed: number;
  newSpace: number;
  oldSpace: number;
  cpuUs: number;
}

const quick = process.argv.includes("--quick");
const SECONDS = quick ? 2 : 5;
const BURSTS = quick ? 2 : 5;
const SETTLE_S = 30;
const PATH = "/zephyr-status.html";
const MiB = 1 << 20;
const results: Result[] = [];

function startServer(mode: "builtin" | "bare") {
  const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
  const child = spawn(tsx, ["--expose-gc", "--conditions=source", fileURLToPath(new URL("./_web-server-child.ts", import.meta.url)), "16384", mode], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: Array<(v: Record<string, number>) => void> = [];
  createInterface({ input: child.stdout }).on("line", (line) => lines.shift()?.(JSON.parse(line) as Record<string, number>));
  const next = () => new Promise<Record<string, number>>((resolve) => lines.push(resolve));
  const ask = async (cmd: "memory" | "gc"): Promise<Memory> => {
    const reply = next();
    child.stdin.write(`${JSON.stringify({ cmd })}\n`);
    const m = await reply;
    return { rss: m.rss ?? 0, heapUsed: m.heapUsed ?? 0, newSpace: m.newSpace ?? 0, oldSpace: m.oldSpace ?? 0, cpuUs: m.cpuUs ?? 0 };
  };
  return {
    port: next().then((m) => m.port ?? 0),
    memory: () => ask("memory"),
    collect: () => ask("gc"),
    stop: () => new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.stdin.write('{"cmd":"exit"}\n');
    }),
  };
}

function record(name: string, value: number, unit: string, note?: string): void {
  results.push({ name, value: Number(value.toPrecision(4)), unit, ...(note === undefined ? {} : { note }) });
  console.log(`${name.padEnd(40)} ${value.toPrecision(4).padStart(10)} ${unit}${note ? `  (${note})` : ""}`);
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const p99 = (r: LoadResult | LoadResult[]) => quantile([r].flat().flatMap((x) => x.latencies), 0.99);
const failures = (r: LoadResult | LoadResult[]) => [r].flat().reduce((n, x) => n + x.failures, 0);

type Server = ReturnType<typeof startServer>;

/** Run `load` and measure the server's CPU time per request it made, µs. */
async function withCpu(server: Server, load: () => Promise<LoadResult>): Promise<[LoadResult, number]> {
  const before = (await server.memory()).cpuUs;
  const r = await load();
  return [r, ((await server.memory()).cpuUs - before) / Math.max(1, r.latencies.length + r.failures)];
}

/** Each client level against bare then ours; figures for ours, with the ratios to bare. */
async function sustained(bare: Server, bareP: number, ours: Server, oursP: number): Promise<void> {
  for (const clients of [1, 100, 1000]) {
    const [b, bareCpu] = await withCpu(bare, () => sustainedLoad(bareP, PATH, clients, SECONDS));
    const [o, oursCpu] = await withCpu(ours, () => sustainedLoad(oursP, PATH, clients, SECONDS));
    const label = `status page, ${clients} clients`;
    const rps = (r: LoadResult) => r.latencies.length / r.seconds;
    record(`${label} requests/s`, rps(o), "req/s", `bare node:http ${rps(b).toFixed(0)}, ratio ${(rps(o) / rps(b)).toFixed(2)}${o.failures ? `; ${o.failures} failed` : ""}`);
    record(`${label} p50`, quantile(o.latencies, 0.5), "ms", `bare node:http ${quantile(b.latencies, 0.5).toPrecision(3)}`);
    record(`${label} p99`, p99(o), "ms", `bare node:http ${p99(b).toPrecision(3)}, ratio ${(p99(o) / p99(b)).toFixed(2)}`);
    record(`${label} server CPU per request`, oursCpu, "µs", `bare node:http ${bareCpu.toFixed(0)} µs, ratio ${(oursCpu / bareCpu).toFixed(2)}`);
  }
}

/** Bursts of 1,000 fresh connections, alternately against bare and ours. */
async function bursts(bare: Server, bareP: number, ours: Server, oursP: number): Promise<void> {
  const runs = { bare: [] as LoadResult[], ours: [] as LoadResult[] };
  const cpu = { bare: 0, ours: 0 };
  const load = loadavg()[0] ?? 0;
  for (let i = 0; i < BURSTS; i++) {
    for (const [key, server, port] of [["bare", bare, bareP], ["ours", ours, oursP]] as const) {
      const [r, us] = await withCpu(server, () => burst(port, PATH, 1000));
      runs[key].push(r);
      cpu[key] += us / BURSTS;
    }
  }
  const failed = failures(runs.ours) + failures(runs.bare);
  const ratio = p99(runs.ours) / p99(runs.bare);
  const note = `fresh connections, ${BURSTS} bursts${failed ? `, ${failed} failed` : ""}; 1-min load average ${load.toFixed(1)} on ${cpus().length} CPUs; target < 500 when idle`;
  record("1,000 concurrent GETs p99", p99(runs.ours), "ms", note);
  record("bare node:http, 1,000 concurrent GETs p99", p99(runs.bare), "ms", "the same bursts, each right before ours");
  record("1,000 concurrent GETs p99, ratio to bare", ratio, "x", "ours / bare node:http; close to 1: our per-request work is small next to Node's own");
  record("server CPU per fresh-connection GET", cpu.ours, "µs", `bare node:http ${cpu.bare.toFixed(0)} µs, ratio ${(cpu.ours / cpu.bare).toFixed(2)}`);
}

/** Memory once the load is over and the server idle (no forced collection), then after one, for both servers. */
async function memoryAfter(ours: Server, bare: Server, before: { ours: Memory; bare: Memory }, peak: number): Promise<void> {
  const stopped = performance.now();
  let after = await ours.memory();
  while (after.rss > before.ours.rss * 1.1 && performance.now() - stopped < SETTLE_S * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    after = await ours.memory();
  }
  const idleS = (performance.now() - stopped) / 1000;
  const bareAfter = await bare.memory();
  const over = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  const spaces = (m: Memory) => `V8 young generation ${mib(m.newSpace)}, old ${mib(m.oldSpace)}`;
  record("server RSS before load", before.ours.rss / MiB, "MiB", `heap in use ${mib(before.ours.heapUsed)}; ${spaces(before.ours)}`);
  record("server RSS peak", peak / MiB, "MiB");
  record("server RSS after load", after.rss / MiB, "MiB", `${over(after.rss, before.ours.rss)} over before, idle ${idleS.toFixed(0)} s after the load, no forced GC (target < 10 %); ${spaces(after)}`);
  record("server heap after load", after.heapUsed / MiB, "MiB", `${over(after.heapUsed, before.ours.heapUsed)} over before (${mib(before.ours.heapUsed)}); garbage included: nothing was collected while idle`);
  record("bare node:http RSS after load", bareAfter.rss / MiB, "MiB", `${over(bareAfter.rss, before.bare.rss)} over its before (${mib(before.bare.rss)}); ${spaces(bareAfter)}`);
  // Evidence, taken last: what is live once V8 collects, and what RSS it then gives back.
  const live = await ours.collect();
  let released = live;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500)); // V8 unmaps freed pages from a background task
    released = await ours.memory();
  }
  record("server heap live after load", live.heapUsed / MiB, "MiB", `after a full GC the bench asked for: ${over(live.heapUsed, before.ours.heapUsed)} over before`);
  record("server RSS after load and GC", released.rss / MiB, "MiB", `${over(released.rss, before.ours.rss)} over before; ${spaces(released)}`);
}

const bare = startServer("bare");
const ours = startServer("builtin");
const [bareP, oursP] = await Promise.all([bare.port, ours.port]);
await Promise.all([sustainedLoad(bareP, PATH, 10, 1), sustainedLoad(oursP, PATH, 10, 1)]); // warm-up
const before = { ours: await ours.memory(), bare: await bare.memory() };
let peak = before.ours.rss;
const sampler = setInterval(() => void ours.memory().then((m) => (peak = Math.max(peak, m.rss))), 100);
try {
  await sustained(bare, bareP, ours, oursP);
  await bursts(bare, bareP, ours, oursP);
} finally {
  clearInterval(sampler);
}
await memoryAfter(ours, bare, before, peak);
await Promise.all([ours.stop(), bare.stop()]);
console.log("BENCH_JSON " + JSON.stringify({ package: "@v8r/linux-shim", results }));
