// Event-channel round trips through bootXen (figures only, no pass/fail):
// two domains ping-pong a sequence number through a static shm region and a
// static event channel (test/guests/ping.ts and pong.ts); each send is a
// hypercall on the sender's thread that raises the event-channel upcall
// (PPI 31) on the peer vCPU's interface of its vGIC, which wakes the peer.
//  - in Workers (real time), with the idle vCPUs sleeping at once (spinUs 0)
//    and polling their wake word 50 µs first: µs per round trip;
//  - inline on a VirtualClock: simulated round trips per wall-clock second.
// Run: tsx packages/xen-dom0less/bench/evtchn.bench.ts
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { boot, type TestDomain } from "../test/guests/_harness.ts";

interface Result {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const pingPong = (rounds: number): TestDomain[] => {
  const shm = [{ id: "pingpong", addr: 0x7a00_0000, size: 0x1000 }];
  return [
    { name: "ping", image: "./ping.ts", bootargs: `rounds=${rounds} port=10`, shm, ports: [{ port: 10, label: "p10", peer: "q10" }] },
    { name: "pong", image: "./pong.ts", bootargs: "port=10", shm, ports: [{ port: 10, label: "q10", peer: "p10" }] },
  ];
};

/** µs per round trip in Workers, over `rounds` round trips after the first (which also waits for pong to boot). */
async function workerRun(rounds: number, spinUs: number): Promise<number> {
  const sys = await boot("worker", pingPong(rounds + 1), { spinUs });
  try {
    const done = await sys.waitFor((e) => e.type === "pingpong-done", 120_000);
    return (Number(done["steadyMs"]) * 1000) / rounds;
  } finally {
    await sys.close();
  }
}

async function inlineRun(rounds: number): Promise<{ wallMs: number }> {
  const sys = await boot("inline", pingPong(rounds));
  try {
    const t0 = performance.now();
    await sys.waitFor((e) => e.type === "pingpong-done", 600_000);
    return { wallMs: performance.now() - t0 };
  } finally {
    await sys.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const round = (x: number): number => Number(x.toPrecision(4));

const results: Result[] = [];
const ROUNDS = 10_000;
for (const spinUs of [0, 50]) {
  const runs: number[] = [];
  for (let k = 0; k < 3; k++) runs.push(await workerRun(ROUNDS, spinUs));
  results.push({ name: `evtchn round trip in Workers, spinUs ${spinUs}`, value: round(median(runs)), unit: "µs", note: `median of 3 runs of ${ROUNDS} rounds: ${runs.map((r) => r.toFixed(1)).join(", ")} µs` });
}
const INLINE_ROUNDS = 20_000;
const inline = await inlineRun(INLINE_ROUNDS);
results.push({ name: "evtchn round trips inline (VirtualClock)", value: round((INLINE_ROUNDS * 1000) / inline.wallMs), unit: "round trips/s", note: `${INLINE_ROUNDS} rounds in ${inline.wallMs.toFixed(0)} ms of wall time` });

for (const r of results) console.log(`${r.name.padEnd(48)} ${String(r.value).padStart(10)} ${r.unit}${r.note ? `  (${r.note})` : ""}`);
console.log(`BENCH_JSON ${JSON.stringify({ package: "@v8r/xen-dom0less", results })}`);
