import { makeTx, type TxHost } from "./_endpoint-tx.ts";
import type { OpenAmpExports } from "./_wasm-api.ts";
import { RpmsgErrorCode } from "./errors.ts";
import type { EndpointCore, RpmsgEndpoint } from "./rpmsg-endpoint.ts";

/** @internal The receive buffer whose onMessage is running (one mutable record per device: no allocation per message). */
export interface CurrentRx {
  /** Whether a callback is running. */
  active: boolean;
  /** Index of the receive buffer. */
  k: number;
  /** Its payload view. */
  data: Uint8Array;
  /** Whether hold() was called for it. */
  held: boolean;
}

/** @internal What makeCore needs from its device (the transmit half's needs, TxHost, and these). */
export interface CoreHost extends TxHost {
  readonly defaultTimeoutMs: number;
  readonly current: CurrentRx;
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
    ...makeTx(x, d),
    hold: () => {
      const cur = d.current;
      if (!cur.active) return undefined;
      if (!cur.held) {
        cur.k = x.v8r_rx_hold();
        cur.held = cur.k >= 0;
      }
      return cur.held ? { k: cur.k, data: cur.data } : undefined;
    },
    releaseRx: (k) => {
      if (d.disposed()) return 0;
      d.enter();
      try {
        return x.v8r_rx_release(k);
      } finally {
        d.leave();
      }
    },
    waitForWork: (deadline) => d.wait(deadline),
    now: () => d.now(),
    destroyEndpoint: (ep: RpmsgEndpoint) => {
      d.forget(ep.handle);
      const h = ep.handle;
      ep.handle = 0;
      if (h) {
        d.enter();
        try {
          x.v8r_ept_destroy(h);
        } finally {
          d.leave();
        }
      }
      d.wake();
    },
    sendCopy: (src, dst, data) => {
      // upstream truncates to the buffer's payload size: copy no more than that into wasm memory
      const room = x.v8r_tx_size();
      const len = Math.min(data.length, Math.max(0, room));
      const ptr = x.v8r_alloc(len);
      if (!ptr) return RpmsgErrorCode.RPMSG_ERR_NO_MEM;
      new Uint8Array(x.memory.buffer, ptr, len).set(data.subarray(0, len));
      d.enter();
      try {
        return x.v8r_send_copy(src >>> 0, dst >>> 0, ptr, len, 0);
      } finally {
        d.leave();
        x.v8r_free(ptr);
      }
    },
  };
}
