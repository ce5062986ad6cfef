/**
 * RPMsg benchmark: round trip and pipelined throughput, inline and across two
 * Workers sharing one SharedArrayBuffer. Run: `pnpm --filter @v8r/openamp-wasm bench`
 * (or `tsx packages/openamp-wasm/bench/rpmsg.bench.ts`). Prints a table and a
 * final `BENCH_JSON {...}` line. Targets are read from here, not asserted.
 */
import { Worker } from "node:worker_threads";
import { loadOpenAmp, type OpenAmp } from "../src/openamp.ts";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import type { Scenario } from "./_bench-worker.ts";

interface Row { name: string; value: number; unit: string }
const rows: Row[] = [];
const SHM = 0x40000; // 256 KiB: num = 128, enough for 64 messages in flight

function worker(oa: OpenAmp, shm: SharedArrayBuffer, ctl: SharedArrayBuffer, role: string, scenario: Scenario): Promise<Record<string, number>> {
  const url = new URL("./_bench-worker.ts", import.meta.url).href;
  const w = new Worker(new URL("./_bootstrap.mjs", import.meta.url), { workerData: { module: oa.module, shm, ctl, role, scenario, url } });
  return new Promise((resolve, reject) => {
    w.once("message", (m: Record<string, number>) => { resolve(m); void w.terminate(); });
    w.once("error", reject);
  });
}

async function workers(oa: OpenAmp, scenario: Scenario): Promise<Record<string, number>> {
  const shm = new SharedArrayBuffer(SHM);
  const ctl = new SharedArrayBuffer(32);
  const [host] = await Promise.all([worker(oa, shm, ctl, "host", scenario), worker(oa, shm, ctl, "remote", scenario)]);
  return host ?? {};
}

async function inlinePair(oa: OpenAmp, size: number): Promise<{ rttUs: number; pipe: number }> {
  const shm = new SharedArrayBuffer(SHM);
  const layout = staticVringsLayout({ shmSize: SHM });
  let toHost = 0, toRemote = 0;
  const host = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: () => void toRemote++ });
  const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => void toHost++ });
  const payload = new Uint8Array(size);
  let echo = true, got = 0, replies = 0;
  const r: RpmsgEndpoint = remote.createEndpoint({ name: "b", onMessage: () => { got++; if (echo) r.trySend(payload); } });
  const h = host.createEndpoint({ name: "b", onMessage: () => void replies++ });
  const pump = (): void => {
    while (toHost || toRemote) {
      if (toRemote) { toRemote = 0; remote.notified(); }
      if (toHost) { toHost = 0; host.notified(); }
    }
  };
  pump();
  const N = 50_000;
  let t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const tx = h.getTxBuffer();
    tx.data.set(payload);
    tx.send(size);
    pump();
  }
  const rttUs = ((performance.now() - t0) * 1000) / N;
  echo = false;
  got = 0;
  t0 = performance.now();
  let sent = 0;
  while (got < N) {
    while (sent < N && sent - got < 64) {
      try {
        const tx = h.getTxBuffer();
        tx.data.set(payload);
        tx.send(size);
        sent++;
      } catch {
        host.notified();
      }
    }
    remote.notified();
    toRemote = 0;
  }
  const pipe = N / ((performance.now() - t0) / 1000);
  host.dispose();
  remote.dispose();
  void replies;
  return { rttUs, pipe };
}

const oa = await loadOpenAmp();
for (const size of [32, 496]) {
  const inl = await inlinePair(oa, size);
  rows.push({ name: `inline round trip ${size} B (mean)`, value: inl.rttUs, unit: "us" });
  rows.push({ name: `inline pipelined ${size} B`, value: inl.pipe, unit: "msgs/s" });
  rows.push({ name: `inline pipelined ${size} B`, value: (inl.pipe * size) / 1e6, unit: "MB/s" });
}
for (const size of [32, 496]) {
  for (const mode of ["block", "spin"] as const) {
    const r = await workers(oa, { kind: "rtt", size, mode, iterations: mode === "block" ? 5000 : 20_000 });
    rows.push({ name: `workers round trip ${size} B, ${mode === "block" ? "blocking doorbell" : "spin-then-wait"} (median)`, value: r["medianUs"] ?? 0, unit: "us" });
  }
  const p = await workers(oa, { kind: "pipe", size, mode: "spin", iterations: 300_000 });
  const mps = p["msgsPerSec"] ?? 0;
  rows.push({ name: `workers pipelined ${size} B, 64 in flight`, value: mps, unit: "msgs/s" });
  rows.push({ name: `workers pipelined ${size} B, 64 in flight`, value: (mps * size) / 1e6, unit: "MB/s" });
}

const fmt = (v: number): string => (v >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2));
const width = Math.max(...rows.map((r) => r.name.length));
console.log(`${"benchmark".padEnd(width)}  value`);
for (const r of rows) console.log(`${r.name.padEnd(width)}  ${fmt(r.value)} ${r.unit}`);
console.log(`BENCH_JSON ${JSON.stringify({ package: "@v8r/openamp-wasm", results: rows.map((r) => ({ ...r, value: Number(r.value.toPrecision(6)) })) })}`);
