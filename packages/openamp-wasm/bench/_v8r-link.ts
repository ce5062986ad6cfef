/**
 * One side of a v8r link for the benchmark: an RPMsg device (static vrings
 * over the shared buffer) and one endpoint per opened index.
 */
import type { OpenAmp } from "../src/openamp.ts";
import { RpmsgDevice } from "../src/rpmsg-device.ts";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import type { Link, LinkSide, OnMessage } from "./_link.ts";

/** Create one side; `kick` rings the peer's doorbell; `instrument` may wrap the imports (to count them). */
export async function v8rLink(oa: OpenAmp, shm: SharedArrayBuffer, side: LinkSide, kick: () => void,
  instrument?: (imports: WebAssembly.Imports) => void): Promise<Link> {
  const dev = await RpmsgDevice.create(oa.module, {
    role: side, layout: staticVringsLayout({ shmSize: shm.byteLength }), shm: { buffer: shm }, notify: kick,
  }, instrument);
  const eps: RpmsgEndpoint[] = [];
  return {
    open(i: number, onMessage: OnMessage) {
      eps[i] = dev.createEndpoint({ name: `bench-${i}`, onMessage });
    },
    ready: () => eps.every((ep) => ep.bound),
    send(i: number, payload: Uint8Array) {
      try {
        (eps[i] as RpmsgEndpoint).trySend(payload);
        return true;
      } catch {
        return false;
      }
    },
    poll: () => dev.poll(),
    idle: () => dev.idle(),
    dispose: () => dev.dispose(),
  };
}
