import type { OpenAmpExports } from "./_wasm-api.ts";
import { RpmsgErrorCode } from "./errors.ts";
import type { EndpointCore, RpmsgEndpoint } from "./rpmsg-endpoint.ts";

/** @internal What makeCore needs from its device. */
export interface CoreHost {
  disposed(): boolean;
  readonly defaultTimeoutMs: number;
  /** Run a C call that may call back into JS. */
  call<T>(fn: () => T): T;
  out(): Uint32Array;
  view(off: number, len: number): Uint8Array;
  current(): { k: number; off: number; len: number; held: boolean } | undefined;
  wait(deadline: number): Promise<void>;
  now(): number;
  forget(handle: number): void;
  wake(): void;
}

/** @internal The endpoint-facing half of a device, over the module's exports. */
export function makeCore(x: OpenAmpExports, d: CoreHost): EndpointCore {
  return {
    get disposed() { return d.disposed(); },
    defaultTimeoutMs: d.defaultTimeoutMs,
    takeTx: () => {
      const r = d.call(() => x.v8r_tx_take());
      if (r < 0) return r;
      const out = d.out();
      return { off: out[0] ?? 0, cap: out[1] ?? 0, tag: out[2] ?? 0 };
    },
    sendTag: (tag, src, dst, len) => d.call(() => x.v8r_tx_send(tag, src >>> 0, dst >>> 0, len)),
    releaseTag: (tag) => (d.disposed() ? 0 : x.v8r_tx_release(tag)),
    view: (off, len) => d.view(off, len),
    hold: () => {
      const cur = d.current();
      if (!cur) return undefined;
      if (!cur.held) {
        cur.k = x.v8r_rx_hold();
        cur.held = cur.k >= 0;
      }
      return cur.held ? { k: cur.k, data: d.view(cur.off, cur.len) } : undefined;
    },
    releaseRx: (k) => (d.disposed() ? 0 : d.call(() => x.v8r_rx_release(k))),
    waitForWork: (deadline) => d.wait(deadline),
    now: () => d.now(),
    destroyEndpoint: (ep: RpmsgEndpoint) => {
      d.forget(ep.handle);
      const h = ep.handle;
      ep.handle = 0;
      if (h) d.call(() => x.v8r_ept_destroy(h));
      d.wake();
    },
    sendCopy: (src, dst, data) => {
      // upstream truncates to the buffer's payload size: copy no more than that into wasm memory
      const room = x.v8r_tx_size();
      const len = Math.min(data.length, Math.max(0, room));
      const ptr = x.v8r_alloc(len);
      if (!ptr) return RpmsgErrorCode.RPMSG_ERR_NO_MEM;
      new Uint8Array(x.memory.buffer, ptr, len).set(data.subarray(0, len));
      try {
        return d.call(() => x.v8r_send_copy(src >>> 0, dst >>> 0, ptr, len, 0));
      } finally {
        x.v8r_free(ptr);
      }
    },
  };
}
