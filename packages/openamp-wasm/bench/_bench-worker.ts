/**
 * One side of a benchmark link in a Worker that stays up for many runs: for
 * each { scenario, shm, ctl } posted to it, it builds its side of the link
 * (plain JS or v8r), runs the traffic with the wait protocol of _wait.ts and
 * posts the result. The host measures; the remote consumes (pipelined) or
 * echoes (round trip).
 */
import { parentPort, workerData } from "node:worker_threads";
import { OpenAmp } from "../src/openamp.ts";
import type { Link, LinkSide } from "./_link.ts";
import { plainLink } from "./_plain-link.ts";
import { v8rLink } from "./_v8r-link.ts";
import { virtqLink } from "./_virtq-link.ts";
import { type Impl, RING, type RunResult, type Scenario, WINDOW } from "./_scenario.ts";
import { addConsumed, Ctl, kicker, Waiter } from "./_wait.ts";

interface Data { impl: Impl; side: LinkSide; module: WebAssembly.Module }
interface Job { scenario: Scenario; shm: SharedArrayBuffer; ctl: SharedArrayBuffer }

const { impl, side, module } = workerData as Data;
const oa = new OpenAmp(module);

async function makeLink(shm: SharedArrayBuffer, ctl: Int32Array): Promise<Link> {
  const kick = kicker(ctl, side);
  if (impl === "js") return plainLink(shm, side, RING.num, RING.slot, kick);
  return impl === "vq" ? virtqLink(shm, side, kick) : v8rLink(oa, shm, side, kick);
}

async function remote(job: Job, ctl: Int32Array): Promise<RunResult> {
  const { scenario: s } = job;
  const link = await makeLink(job.shm, ctl);
  const payload = new Uint8Array(s.size);
  let got = 0, published = 0;
  for (let i = 0; i < s.endpoints; i++) {
    link.open(i, s.kind === "rtt" ? () => { got++; link.send(i, payload); } : () => void got++);
  }
  const w = new Waiter(link, ctl, "remote", s.spin);
  Atomics.store(ctl, Ctl.READY, 1);
  kicker(ctl, "remote")();
  while (!Atomics.load(ctl, Ctl.DONE)) {
    w.step();
    if (got !== published) {
      addConsumed(ctl, got - published);
      published = got;
    }
  }
  link.dispose();
  return { sleeps: w.sleeps };
}

function pipeline(link: Link, w: Waiter, ctl: Int32Array, s: Scenario): number {
  const payload = new Uint8Array(s.size);
  const t0 = performance.now();
  let sent = 0;
  for (let consumed = 0; consumed < s.n; consumed = Atomics.load(ctl, Ctl.CONSUMED)) {
    let progressed = false;
    while (sent < s.n && sent - consumed < WINDOW && link.send(sent % s.endpoints, payload)) {
      sent++;
      progressed = true;
    }
    if (!progressed) w.waitConsumed(consumed);
  }
  return s.n / ((performance.now() - t0) / 1000);
}

function roundTrips(link: Link, w: Waiter, s: Scenario, replies: { n: number }): number {
  const payload = new Uint8Array(s.size);
  const times = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) {
    const t0 = performance.now();
    const want = replies.n + 1;
    while (!link.send(0, payload)) w.step();
    while (replies.n < want) w.step();
    times[i] = (performance.now() - t0) * 1000;
  }
  times.sort();
  return times[times.length >> 1] ?? 0;
}

async function host(job: Job, ctl: Int32Array): Promise<RunResult> {
  const { scenario: s } = job;
  const link = await makeLink(job.shm, ctl);
  const replies = { n: 0 };
  for (let i = 0; i < s.endpoints; i++) link.open(i, () => void replies.n++);
  const w = new Waiter(link, ctl, "host", s.spin);
  while (!Atomics.load(ctl, Ctl.READY) || !link.ready()) w.step();
  const result: RunResult = s.kind === "pipe"
    ? { msgsPerSec: pipeline(link, w, ctl, s), sleeps: 0 }
    : { medianUs: roundTrips(link, w, s, replies), sleeps: 0 };
  result.sleeps = w.sleeps;
  Atomics.store(ctl, Ctl.DONE, 1);
  kicker(ctl, "host")();
  link.dispose();
  return result;
}

parentPort?.on("message", (job: Job) => {
  const ctl = new Int32Array(job.ctl);
  void (side === "host" ? host(job, ctl) : remote(job, ctl)).then(
    (r) => parentPort?.postMessage(r),
    (err: unknown) => parentPort?.postMessage({ error: String(err) }),
  );
});
