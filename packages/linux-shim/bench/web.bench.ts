// The built-in web server under load (figures only, no pass/fail):
//  - requests/s, p50 and p99 for the status page (16 KiB, replaced
//    atomically every second as the demo does) with 1, 100 and 1,000
//    concurrent keep-alive clients;
//  - 1,000 concurrent GETs on fresh connections (the burst a crowd of
//    browsers makes), p99 from the connect to the last byte, over 5 bursts;
//  - the server's resident memory before the load, at its peak and after
//    the load (polled until back within 10 %, for at most 30 s);
//  - for scale, the same loads against a bare node:http server that answers
//    with the page's bytes from memory: the machine and Node's own limit.
// The server runs in its own process (bench/_web-server-child.ts) from the
// sources; the clients are raw sockets in this one. Both share the machine.
// Run: tsx --conditions=source packages/linux-shim/bench/web.bench.ts [--quick]
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { burst, quantile, sustainedLoad, type LoadResult } from "./_http-load.ts";

interface Result {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const quick = process.argv.includes("--quick");
const SECONDS = quick ? 2 : 5;
const BURSTS = quick ? 2 : 5;
const SETTLE_S = 30;
const PATH = "/zephyr-status.html";
const results: Result[] = [];

function startServer(mode: "builtin" | "bare") {
  const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
  const child = spawn(tsx, ["--conditions=source", fileURLToPath(new URL("./_web-server-child.ts", import.meta.url)), "16384", mode], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: Array<(v: Record<string, number>) => void> = [];
  createInterface({ input: child.stdout }).on("line", (line) => lines.shift()?.(JSON.parse(line) as Record<string, number>));
  const next = () => new Promise<Record<string, number>>((resolve) => lines.push(resolve));
  return {
    ready: next(),
    async memory(): Promise<{ rss: number; heapUsed: number }> {
      const reply = next();
      child.stdin.write('{"cmd":"memory"}\n');
      const m = await reply;
      return { rss: m.rss ?? 0, heapUsed: m.heapUsed ?? 0 };
    },
    stop: () => new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.stdin.write('{"cmd":"exit"}\n');
    }),
  };
}

function record(name: string, value: number, unit: string, note?: string): void {
  results.push({ name, value: Number(value.toPrecision(4)), unit, ...(note === undefined ? {} : { note }) });
  console.log(`${name.padEnd(34)} ${value.toPrecision(4).padStart(10)} ${unit}${note ? `  (${note})` : ""}`);
}

function report(label: string, r: LoadResult): void {
  record(`${label} requests/s`, r.latencies.length / r.seconds, "req/s", r.failures ? `${r.failures} failed` : undefined);
  record(`${label} p50`, quantile(r.latencies, 0.5), "ms");
  record(`${label} p99`, quantile(r.latencies, 0.99), "ms");
}

const MiB = 1 << 20;

/** The loads; returns nothing, records the figures with `prefix`. */
async function measure(port: number, prefix: string): Promise<void> {
  for (const clients of [1, 100, 1000]) report(`${prefix}status page, ${clients} clients`, await sustainedLoad(port, PATH, clients, SECONDS));
  const bursts: LoadResult[] = [];
  for (let i = 0; i < BURSTS; i++) bursts.push(await burst(port, PATH, 1000));
  const failed = bursts.reduce((n, b) => n + b.failures, 0);
  const note = `fresh connections, ${BURSTS} bursts${failed ? `, ${failed} failed` : ""}${prefix ? "" : "; target < 500"}`;
  record(`${prefix}1,000 concurrent GETs p99`, quantile(bursts.flatMap((b) => b.latencies), 0.99), "ms", note);
}

const bare = startServer("bare");
await measure((await bare.ready).port ?? 0, "bare node:http, ");
await bare.stop();

const server = startServer("builtin");
const { port = 0 } = await server.ready;
await sustainedLoad(port, PATH, 10, 1); // warm-up
const before = await server.memory();
let peak = before.rss;
const sampler = setInterval(() => void server.memory().then((m) => (peak = Math.max(peak, m.rss))), 100);
try {
  await measure(port, "");
} finally {
  clearInterval(sampler);
}
// Memory after the load: polled each second until back within 10 % of before, for at most SETTLE_S.
const stopped = performance.now();
let after = await server.memory();
while (after.rss > before.rss * 1.1 && performance.now() - stopped < SETTLE_S * 1000) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  after = await server.memory();
}
const settledS = (performance.now() - stopped) / 1000;
record("server RSS before load", before.rss / MiB, "MiB");
record("server RSS peak", peak / MiB, "MiB");
record("server RSS after load", after.rss / MiB, "MiB", `${(((after.rss - before.rss) / before.rss) * 100).toFixed(1)} % over before, ${settledS.toFixed(0)} s after the load (target < 10 %)`);
record("server heap after load", after.heapUsed / MiB, "MiB", `before: ${(before.heapUsed / MiB).toFixed(1)} MiB`);
await server.stop();
console.log("BENCH_JSON " + JSON.stringify({ package: "@v8r/linux-shim", results }));
