// The built-in web server under load (figures only, no pass/fail):
//  - requests/s, p50 and p99 for the status page (16 KiB, replaced
//    atomically every second as the demo does) with 1, 100 and 1,000
//    concurrent keep-alive clients;
//  - 1,000 concurrent GETs on fresh connections (the burst a crowd of
//    browsers makes), p99 from the connect to the last byte, over 5 bursts,
//    and the server's CPU time per request;
//  - the server's resident memory (RSS) before the load, at its peak, and
//    30 s after it (polled each second; the first second it was back
//    within 10 % is noted), with and without `idleRelease` (the server
//    collecting garbage itself once a burst is over, as the demo's CLI
//    runs it): two processes of ours take the same loads. The bench never
//    asks either of them to collect; at the very end, as evidence of what
//    is live, it asks the one without `idleRelease` for a full garbage
//    collection and reports its heap and RSS after it.
// For scale, a bare node:http server answering with the page's bytes from
// memory (the machine's and Node's own limit) runs beside them and takes
// the same loads, each level and each burst right before ours, so all see
// the same machine load: the ratios ours/bare are the figures that hold on
// a busy machine; the absolute ones hold for the load the machine had.
// All servers run in their own processes (bench/_web-server-child.ts, from
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

function startServer(mode: "builtin" | "builtin-idle" | "bare") {
  const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
  const child = spawn(tsx, [...(mode === "builtin" ? ["--expose-gc"] : []), "--conditions=source", fileURLToPath(new URL("./_web-server-child.ts", import.meta.url)), "16384", mode], {
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

/** The servers of one run: bare node:http, ours, and ours with `idleRelease`. */
interface Servers {
  readonly bare: Server;
  readonly ours: Server;
  readonly idle: Server;
  readonly ports: { readonly bare: number; readonly ours: number; readonly idle: number };
}

/** Each client level against bare, ours, ours with idleRelease; figures for ours, with the ratios to bare. */
async function sustained({ bare, ours, idle, ports }: Servers): Promise<void> {
  for (const clients of [1, 100, 1000]) {
    const [b, bareCpu] = await withCpu(bare, () => sustainedLoad(ports.bare, PATH, clients, SECONDS));
    const [o, oursCpu] = await withCpu(ours, () => sustainedLoad(ports.ours, PATH, clients, SECONDS));
    await sustainedLoad(ports.idle, PATH, clients, SECONDS); // the same load, for its memory figures
    const label = `status page, ${clients} clients`;
    const rps = (r: LoadResult) => r.latencies.length / r.seconds;
    record(`${label} requests/s`, rps(o), "req/s", `bare node:http ${rps(b).toFixed(0)}, ratio ${(rps(o) / rps(b)).toFixed(2)}${o.failures ? `; ${o.failures} failed` : ""}`);
    record(`${label} p50`, quantile(o.latencies, 0.5), "ms", `bare node:http ${quantile(b.latencies, 0.5).toPrecision(3)}`);
    record(`${label} p99`, p99(o), "ms", `bare node:http ${p99(b).toPrecision(3)}, ratio ${(p99(o) / p99(b)).toFixed(2)}`);
    record(`${label} server CPU per request`, oursCpu, "µs", `bare node:http ${bareCpu.toFixed(0)} µs, ratio ${(oursCpu / bareCpu).toFixed(2)}`);
  }
}

/** Bursts of 1,000 fresh connections, alternately against bare, ours, and ours with idleRelease. */
async function bursts({ bare, ours, idle, ports }: Servers): Promise<void> {
  const runs = { bare: [] as LoadResult[], ours: [] as LoadResult[] };
  const cpu = { bare: 0, ours: 0 };
  const load = loadavg()[0] ?? 0;
  for (let i = 0; i < BURSTS; i++) {
    for (const [key, server, port] of [["bare", bare, ports.bare], ["ours", ours, ports.ours]] as const) {
      const [r, us] = await withCpu(server, () => burst(port, PATH, 1000));
      runs[key].push(r);
      cpu[key] += us / BURSTS;
    }
    await burst(ports.idle, PATH, 1000);
  }
  const failed = failures(runs.ours) + failures(runs.bare);
  const ratio = p99(runs.ours) / p99(runs.bare);
  const note = `fresh connections, ${BURSTS} bursts${failed ? `, ${failed} failed` : ""}; 1-min load average ${load.toFixed(1)} on ${cpus().length} CPUs; target < 500 when idle`;
  record("1,000 concurrent GETs p99", p99(runs.ours), "ms", note);
  record("bare node:http, 1,000 concurrent GETs p99", p99(runs.bare), "ms", "the same bursts, each right before ours");
  record("1,000 concurrent GETs p99, ratio to bare", ratio, "x", "ours / bare node:http; close to 1: our per-request work is small next to Node's own");
  record("server CPU per fresh-connection GET", cpu.ours, "µs", `bare node:http ${cpu.bare.toFixed(0)} µs, ratio ${(cpu.ours / cpu.bare).toFixed(2)}`);
}

type Key = "bare" | "ours" | "idle";
const KEYS: readonly Key[] = ["bare", "ours", "idle"];
const LABEL: Record<Key, string> = { bare: "bare node:http", ours: "server", idle: "server with idleRelease" };
const over = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
const spaces = (m: Memory) => `V8 young generation ${mib(m.newSpace)}, old ${mib(m.oldSpace)}`;

/** RSS of each server each second for SETTLE_S once the load is over (nothing asked of them), with the first second each was within 10 % of its start. */
async function memoryAfter(s: Servers, before: Record<Key, Memory>, peak: Record<Key, number>): Promise<void> {
  const stopped = performance.now();
  const within: Partial<Record<Key, number>> = {};
  let last = {} as Record<Key, Memory>;
  for (let second = 0; second <= SETTLE_S; second++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stopped + second * 1000 - performance.now())));
    last = { bare: await s.bare.memory(), ours: await s.ours.memory(), idle: await s.idle.memory() };
    for (const key of KEYS) if (within[key] === undefined && last[key].rss <= before[key].rss * 1.1) within[key] = second;
  }
  for (const key of KEYS) {
    const b = before[key];
    const a = last[key];
    const back = within[key] === undefined ? `not back within 10 % in ${SETTLE_S} s` : `back within 10 % after ${within[key]} s`;
    record(`${LABEL[key]} RSS before load`, b.rss / MiB, "MiB", `heap in use ${mib(b.heapUsed)}; ${spaces(b)}`);
    record(`${LABEL[key]} RSS peak`, peak[key] / MiB, "MiB", `${over(peak[key], b.rss)} over before`);
    record(`${LABEL[key]} RSS ${SETTLE_S} s after load`, a.rss / MiB, "MiB", `${over(a.rss, b.rss)} over before (target < 10 %); ${back}; heap in use ${mib(a.heapUsed)}; ${spaces(a)}`);
  }
  // Evidence, taken last: what is live once V8 collects, and what RSS it then gives back.
  const live = await s.ours.collect();
  let released = live;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500)); // V8 unmaps freed pages from a background task
    released = await s.ours.memory();
  }
  record("server heap live after load", live.heapUsed / MiB, "MiB", `after a full GC the bench asked for (the server without idleRelease): ${over(live.heapUsed, before.ours.heapUsed)} over before`);
  record("server RSS after load and a forced GC", released.rss / MiB, "MiB", `${over(released.rss, before.ours.rss)} over before; ${spaces(released)}`);
}

const servers = { bare: startServer("bare"), ours: startServer("builtin"), idle: startServer("builtin-idle") };
const [bareP, oursP, idleP] = await Promise.all([servers.bare.port, servers.ours.port, servers.idle.port]);
const s: Servers = { ...servers, ports: { bare: bareP, ours: oursP, idle: idleP } };
// Warm-up: 60 GETs on fresh connections each, 120 requests and connections, below idleRelease's burst (200 within a second).
for (const key of KEYS) await burst(s.ports[key], PATH, 60);
const before = { bare: await s.bare.memory(), ours: await s.ours.memory(), idle: await s.idle.memory() };
const peak = { bare: before.bare.rss, ours: before.ours.rss, idle: before.idle.rss };
const sampler = setInterval(() => {
  for (const key of KEYS) void s[key].memory().then((m) => (peak[key] = Math.max(peak[key], m.rss)));
}, 100);
try {
  await sustained(s);
  await bursts(s);
} finally {
  clearInterval(sampler);
}
await memoryAfter(s, before, peak);
await Promise.all(KEYS.map((key) => s[key].stop()));
console.log("BENCH_JSON " + JSON.stringify({ package: "@v8r/linux-shim", results }));
