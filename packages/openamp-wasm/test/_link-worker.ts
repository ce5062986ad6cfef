/**
 * One side of a cross-Worker RPMsg link, used by workers.test.ts: streams
 * `total` sequenced messages to the peer and checks the peer's stream.
 * Doorbell: Int32Array bells[0] rings the host, bells[1] the remote.
 */
import { parentPort, workerData } from "node:worker_threads";
import { OpenAmp } from "../src/openamp.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import { Stream } from "./_traffic.ts";

interface Data { module: WebAssembly.Module; shm: SharedArrayBuffer; bells: SharedArrayBuffer; role: "host" | "remote"; total: number; endpoints: number }
const { module, shm, bells, role, total, endpoints } = workerData as Data;
const bell = new Int32Array(bells);
const me = role === "host" ? 0 : 1;
const peer = 1 - me;
const layout = staticVringsLayout({ shmSize: shm.byteLength });
const dev = await new OpenAmp(module).createRpmsgDevice({
  role, layout, shm: { buffer: shm },
  notify: () => { Atomics.add(bell, peer, 1); Atomics.notify(bell, peer); },
});
// one sequenced stream per endpoint and direction
const links = Array.from({ length: endpoints }, (_, i) => {
  const out = new Stream((role === "host" ? 101 : 202) + 1000 * i, total);
  const inn = new Stream((role === "host" ? 202 : 101) + 1000 * i, total);
  const ep = dev.createEndpoint({ name: `workers-${i}`, onMessage: inn.onMessage });
  return { out, inn, ep };
});
const done = (): boolean => links.every((l) => l.out.sent === total && l.inn.received === total);
let last = -1;
const deadline = Date.now() + 40_000;
// keep serving until both sides are done (the peer needs our returned buffers)
while (Date.now() < deadline && !(done() && Atomics.load(bell, 2 + peer) === 1)) {
  if (done()) Atomics.store(bell, 2 + me, 1);
  for (const l of links) if (l.ep.bound) l.out.pushFrom(l.ep);
  const seen = Atomics.load(bell, me);
  if (seen !== last) {
    last = seen;
    dev.notified();
    continue;
  }
  Atomics.wait(bell, me, seen, 2);
}
Atomics.store(bell, 2 + me, 1);
Atomics.add(bell, peer, 1);
Atomics.notify(bell, peer);
parentPort?.postMessage({
  role,
  sent: links.map((l) => l.out.sent),
  received: links.map((l) => l.inn.received),
  errors: links.flatMap((l) => l.inn.errors),
  stats: dev.stats(),
});
dev.dispose();
