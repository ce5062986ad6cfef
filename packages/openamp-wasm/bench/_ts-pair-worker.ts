/**
 * The TypeScript twin of examples/c/ping.c and echo.c, for the C/TS figures:
 * one side of the pair in its own Worker, over the same shared block and the
 * same doorbell words as the C programs (bench/_c-guests.ts; a kick adds 1
 * to the peer's word and notifies it), blocking on its own word whenever it
 * has nothing to do, as a C program blocks in platform_poll. The host sends
 * `count` numbered payloads of `size` bytes, at most `pipeline` in flight,
 * checks that each comes back in order with every byte intact (as ping.c
 * does), and reports the rate and the median round trip; the remote echoes
 * every message until the host is done.
 */
import { parentPort, workerData } from "node:worker_threads";
import { OpenAmp } from "../src/openamp.ts";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { RpmsgDevice } from "../src/rpmsg-device.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";

/** What the runner posts to each side. */
export interface TsPairData {
  readonly module: WebAssembly.Module;
  readonly shm: SharedArrayBuffer;
  /** Doorbell words (Int32 0: host's, 1: remote's) and, at 2, the host's "done" flag. */
  readonly bells: SharedArrayBuffer;
  readonly me: 0 | 1;
  readonly count: number;
  readonly size: number;
  readonly pipeline: number;
}

/** What the host side reports (the remote reports how many it echoed). */
export interface TsPairResult { readonly msgsPerSec?: number; readonly medianUs?: number; readonly echoed?: number; readonly errors: number }

const HEADER = 8; // seq, len (little endian), as ping.c
const DONE = 2;

const d = workerData as TsPairData;
const words = new Int32Array(d.bells);
let seen = Atomics.load(words, d.me);

/** ping.c's payload `seq` of `len` bytes. */
function fill(p: Uint8Array, seq: number, len: number): void {
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  dv.setUint32(0, seq, true);
  dv.setUint32(4, len, true);
  for (let j = HEADER; j < len; j++) p[j] = (seq * 31 + j) & 0xff;
}

function intact(p: Uint8Array, seq: number, len: number): boolean {
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  if (p.byteLength !== len || dv.getUint32(0, true) !== seq >>> 0 || dv.getUint32(4, true) !== len) return false;
  for (let j = HEADER; j < len; j++) if (p[j] !== ((seq * 31 + j) & 0xff)) return false;
  return true;
}

/** Deliver what is pending; when nothing is (kicks asked for again), block on this side's doorbell. */
function step(dev: RpmsgDevice, stop: () => boolean): void {
  if (dev.poll() > 0 || !dev.idle() || stop()) return;
  if (Atomics.load(words, d.me) === seen) Atomics.wait(words, d.me, seen, 250);
  seen = Atomics.load(words, d.me);
}

async function main(): Promise<TsPairResult> {
  const oa = new OpenAmp(d.module);
  const peer = 1 - d.me;
  const dev = await RpmsgDevice.create(oa.module, {
    role: d.me === 0 ? "host" : "remote",
    layout: staticVringsLayout({ shmSize: d.shm.byteLength }),
    shm: { buffer: d.shm },
    notify: () => {
      Atomics.add(words, peer, 1);
      Atomics.notify(words, peer);
    },
  });
  let ep: RpmsgEndpoint;
  if (d.me === 1) {
    let echoed = 0;
    ep = dev.createEndpoint({ name: "rpmsg-echo", onMessage: (data) => void (ep.trySend(data), echoed++) });
    while (!Atomics.load(words, DONE)) step(dev, () => Atomics.load(words, DONE) !== 0);
    dev.dispose();
    return { echoed, errors: 0 };
  }
  let next = 0, errors = 0, sentAt = 0;
  const times = d.pipeline === 1 ? new Float64Array(d.count) : undefined;
  ep = dev.createEndpoint({
    name: "rpmsg-echo",
    onMessage: (data) => {
      if (!intact(data, next, d.size)) errors++;
      if (times) times[next] = performance.now() - sentAt;
      next++;
    },
  });
  while (!ep.bound) step(dev, () => false);
  const payload = new Uint8Array(d.size);
  const t0 = performance.now();
  for (let sent = 0; next < d.count;) {
    while (sent < d.count && sent - next < d.pipeline) {
      fill(payload, sent, d.size);
      sentAt = performance.now();
      ep.trySend(payload);
      sent++;
    }
    step(dev, () => false);
  }
  const secs = (performance.now() - t0) / 1000;
  Atomics.store(words, DONE, 1);
  Atomics.add(words, peer, 1);
  Atomics.notify(words, peer);
  dev.dispose();
  times?.sort();
  return { msgsPerSec: d.count / secs, ...(times ? { medianUs: (times[times.length >> 1] ?? 0) * 1000 } : {}), errors };
}

main().then((r) => parentPort?.postMessage(r), (e: unknown) => parentPort?.postMessage({ error: String(e) }));
