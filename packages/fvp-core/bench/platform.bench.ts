// The platform's own physical limits (figures only, no pass/fail):
//  - doorbell round trip between two Workers: blocking wait/notify, and
//    spin-then-wait with a time-based spin budget of 20 and 200 µs
//    (median/min/max µs);
//  - one-way streaming through a single-producer single-consumer ring in a
//    MemoryWindow at 16, 64 and 496 bytes, notifying only when the consumer
//    asked to be woken (msgs/s, MB/s).
// Run: tsx packages/fvp-core/bench/platform.bench.ts
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { PhysicalMemory } from "../src/mod.ts";
import { nodeWorkerFactory } from "../src/node.ts";
import type { WorkerLike } from "../src/worker-executor.ts";
import type { BenchJob } from "./_bench-worker.ts";

interface Result {
  name: string;
  value: number;
  unit: string;
  [k: string]: unknown;
}

function spawn(): { run<T>(job: BenchJob): Promise<T>; worker: WorkerLike } {
  const url = new URL("./_bench-worker.ts", import.meta.url);
  const worker = nodeWorkerFactory(url, { name: "bench", type: "module", modules: [] });
  const waiting: Array<(v: unknown) => void> = [];
  worker.addEventListener("message", (ev) => waiting.shift()?.(ev.data));
  worker.addEventListener("error", (ev) => {
    console.error(ev.error);
    process.exit(1);
  });
  return {
    worker,
    run: <T>(job: BenchJob) =>
      new Promise<T>((resolve) => {
        waiting.push(resolve as (v: unknown) => void);
        worker.postMessage(job);
      }),
  };
}

function summary(times: number[]): { median: number; min: number; max: number } {
  const s = [...times].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? 0, min: s[0] ?? 0, max: s[s.length - 1] ?? 0 };
}

async function doorbell(a: ReturnType<typeof spawn>, b: ReturnType<typeof spawn>, spinUs: number, rounds: number) {
  const bell = new Int32Array(new SharedArrayBuffer(8));
  const [pinged] = await Promise.all([
    a.run<{ times: number[] }>({ kind: "ping", bell, rounds, spinUs }),
    b.run<{ done: number }>({ kind: "pong", bell, rounds, spinUs }),
  ]);
  return summary(pinged.times.slice(Math.floor(rounds / 10))); // drop warm-up
}

async function stream(a: ReturnType<typeof spawn>, b: ReturnType<typeof spawn>, msgSize: number, count: number) {
  const mem = new PhysicalMemory();
  mem.map({ base: 0x7fe0_0000, size: 64 + 256 * 512, name: `ring-${msgSize}` });
  const window = mem.window(0x7fe0_0000, 64 + 256 * 512).describe();
  const [, consumed] = await Promise.all([
    a.run<{ notifies: number }>({ kind: "produce", window, msgSize, count, slots: 256 }),
    b.run<{ bytes: number; ms: number }>({ kind: "consume", window, msgSize, count, slots: 256 }),
  ]);
  const msgsPerSec = count / (consumed.ms / 1000);
  return { msgsPerSec, mbPerSec: consumed.bytes / 1e6 / (consumed.ms / 1000), ok: consumed.bytes === msgSize * count };
}

async function main(): Promise<void> {
  const a = spawn();
  const b = spawn();
  const results: Result[] = [];
  const rows: string[][] = [["case", "median", "min", "max / throughput"]];
  // A short spin budget loses to the wake-up latency (~15-50 µs): once one side
  // sleeps, the other's spin expires too and both keep waking each other. A
  // budget above the wake latency keeps both sides on the fast path.
  for (const [label, spinUs] of [["wait/notify", 0], ["spin 20 µs then wait", 20], ["spin 200 µs then wait", 200]] as const) {
    const s = await doorbell(a, b, spinUs, 5000);
    results.push({ name: `doorbell round trip, ${label}`, value: round(s.median), unit: "µs", min: round(s.min), max: round(s.max), spinUs, note: `median; min ${s.min.toFixed(2)}, max ${s.max.toFixed(1)}` });
    rows.push([`doorbell RTT ${label}`, `${s.median.toFixed(2)} µs`, `${s.min.toFixed(2)} µs`, `${s.max.toFixed(1)} µs`]);
  }
  for (const size of [16, 64, 496]) {
    const s = await stream(a, b, size, size > 64 ? 200_000 : 400_000);
    const note = s.ok ? "one way, notify only when asked" : "PAYLOAD CHECK FAILED";
    results.push({ name: `spsc ring ${size} B, msgs`, value: Math.round(s.msgsPerSec), unit: "msgs/s", verified: s.ok, note });
    results.push({ name: `spsc ring ${size} B, bytes`, value: round(s.mbPerSec), unit: "MB/s", verified: s.ok, note });
    rows.push([`spsc ring ${size} B`, `${Math.round(s.msgsPerSec).toLocaleString("en")} msgs/s`, "", `${s.mbPerSec.toFixed(1)} MB/s`]);
  }
  await Promise.all([a.worker.terminate(), b.worker.terminate()]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  "));
  console.log("BENCH_JSON " + JSON.stringify({ package: "@v8r/fvp-core", results }));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
