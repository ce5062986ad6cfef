/**
 * One side of a benchmark link in a Worker. Doorbell words in `ctl`
 * (Int32Array): [0] rings the host, [1] rings the remote, [2] messages the
 * remote consumed, [3] set when the run is over, [4]/[5] host/remote is
 * about to sleep (the ringer only pays for Atomics.notify then).
 * Waiting: "block" = Atomics.wait at once; "spin" = poll the bell for up to
 * SPIN_BUDGET_US, then Atomics.wait (no CPU burnt when idle).
 */
import { parentPort, workerData } from "node:worker_threads";
import { OpenAmp } from "../src/openamp.ts";
import type { RpmsgDevice } from "../src/rpmsg-device.ts";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";

export interface Scenario { kind: "rtt" | "pipe"; size: number; mode: "block" | "spin"; iterations: number }
interface Data { module: WebAssembly.Module; shm: SharedArrayBuffer; ctl: SharedArrayBuffer; role: "host" | "remote"; scenario: Scenario }

const SPIN_BUDGET_US = 50;
const { module, shm, ctl: ctlBuf, role, scenario } = workerData as Data;
const ctl = new Int32Array(ctlBuf);
const me = role === "host" ? 0 : 1;
const peer = 1 - me;

const dev: RpmsgDevice = await new OpenAmp(module).createRpmsgDevice({
  role, layout: staticVringsLayout({ shmSize: shm.byteLength }), shm: { buffer: shm },
  notify: () => {
    Atomics.add(ctl, peer, 1);
    if (Atomics.load(ctl, 4 + peer)) Atomics.notify(ctl, peer);
  },
});

let lastBell = -1;
/** Wait until our bell changes (or the run ends); then process. */
function waitBell(): void {
  const seen = Atomics.load(ctl, me);
  if (seen === lastBell) {
    if (scenario.mode === "spin") {
      const end = performance.now() + SPIN_BUDGET_US / 1000;
      while (Atomics.load(ctl, me) === seen && performance.now() < end && !Atomics.load(ctl, 3));
    }
    Atomics.store(ctl, 4 + me, 1);
    if (Atomics.load(ctl, me) === seen && !Atomics.load(ctl, 3)) Atomics.wait(ctl, me, seen, 100);
    Atomics.store(ctl, 4 + me, 0);
  }
  lastBell = Atomics.load(ctl, me);
  dev.notified();
}

const payload = new Uint8Array(scenario.size);
let replies = 0;
let ep: RpmsgEndpoint;
if (role === "remote") {
  ep = dev.createEndpoint({
    name: "bench",
    onMessage: () => {
      Atomics.add(ctl, 2, 1);
      if (scenario.kind === "pipe" && Atomics.load(ctl, 4)) Atomics.notify(ctl, 2);
      if (scenario.kind === "rtt") ep.trySend(payload);
    },
  });
  while (!Atomics.load(ctl, 3)) waitBell();
  parentPort?.postMessage({ role });
} else {
  ep = dev.createEndpoint({ name: "bench", onMessage: () => void replies++ });
  while (!ep.bound) waitBell();
  const result = scenario.kind === "rtt" ? roundTrips() : pipeline();
  Atomics.store(ctl, 3, 1);
  Atomics.notify(ctl, 1);
  parentPort?.postMessage({ role, ...result });
}

function send(): void {
  for (;;) {
    try {
      const tx = ep.getTxBuffer();
      tx.data.set(payload); // the payload is written into shared memory
      tx.send(scenario.size);
      return;
    } catch {
      dev.notified(); // reclaim; the remote never kicks for returned buffers
    }
  }
}

function roundTrips(): { medianUs: number } {
  const times = new Float64Array(scenario.iterations);
  for (let i = 0; i < scenario.iterations; i++) {
    const t0 = performance.now();
    const want = replies + 1;
    send();
    while (replies < want) waitBell();
    times[i] = (performance.now() - t0) * 1000;
  }
  times.sort();
  return { medianUs: times[times.length >> 1] ?? 0 };
}

function pipeline(): { msgsPerSec: number } {
  const n = scenario.iterations;
  const t0 = performance.now();
  let sent = 0;
  for (let consumed = 0; consumed < n; consumed = Atomics.load(ctl, 2)) {
    while (sent < n && sent - consumed < 64) {
      send();
      sent++;
    }
    if (sent < n && sent - Atomics.load(ctl, 2) < 64) continue;
    waitConsumed(consumed);
  }
  return { msgsPerSec: n / ((performance.now() - t0) / 1000) };
}

/** Window full: spin (bounded) until the remote consumed more, then sleep on the counter. */
function waitConsumed(seen: number): void {
  const end = performance.now() + SPIN_BUDGET_US / 1000;
  while (Atomics.load(ctl, 2) === seen && performance.now() < end);
  if (Atomics.load(ctl, 2) !== seen) return;
  Atomics.store(ctl, 4, 1);
  if (Atomics.load(ctl, 2) === seen) Atomics.wait(ctl, 2, seen, 100);
  Atomics.store(ctl, 4, 0);
}
