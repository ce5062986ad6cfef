import { makeShmCopy } from "./_shm-copy.ts";
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

/** @internal What makeCore needs from its device. */
export interface CoreHost {
  disposed(): boolean;
  readonly defaultTimeoutMs: number;
  /** Around every C call that may call back into JS (a dispose() from a callback takes effect on leave). */
  enter(): void;
  leave(): void;
  out(): Uint32Array;
  /** A view of shared memory (uncached). */
  view(off: number, len: number): Uint8Array;
  /** The whole region, when the accessor offers it (the RPMsg header is then written from here). */
  readonly region: Uint8Array | undefined;
  readonly current: CurrentRx;
  wait(deadline: number): Promise<void>;
  now(): number;
  forget(handle: number): void;
  wake(): void;
}

/** @internal The endpoint-facing half of a device, over the module's exports. */
export function makeCore(x: OpenAmpExports, d: CoreHost): EndpointCore {
  // one view per transmit buffer (by tag), re-made only when the buffer behind the tag changes
  const txViews: Uint8Array[] = [];
  const txOffs: number[] = [];
  // with the region at hand the header is written here, beside the payload: one import less per send
  const region = d.region;
  const hdr = region && region.byteOffset % 4 === 0 ? new DataView(region.buffer, region.byteOffset, region.byteLength) : undefined;
  const copy = makeShmCopy();
  return {
    get disposed() { return d.disposed(); },
    defaultTimeoutMs: d.defaultTimeoutMs,
    takeTx: () => {
      d.enter();
      try {
        return x.v8r_tx_take();
      } finally {
        d.leave();
      }
    },
    txView: (tag) => {
      const out = d.out();
      const off = out[0] ?? 0, cap = out[1] ?? 0;
      let v = txViews[tag];
      if (v === undefined || txOffs[tag] !== off || v.length !== cap) {
        txViews[tag] = v = d.view(off, cap);
        txOffs[tag] = off;
      }
      return v;
    },
    copyIn: (buf, data) => copy(buf, data),
    sendTag: (tag, src, dst, len) => {
      d.enter();
      try {
        const at = (txOffs[tag] ?? 0) - 16;
        if (!hdr || at < 0) return x.v8r_tx_send(tag, src >>> 0, dst >>> 0, len);
        // src, dst, reserved 0, len (16 bits) and flags 0, little-endian, as C's write_header does
        hdr.setUint32(at, src >>> 0, true);
        hdr.setUint32(at + 4, dst >>> 0, true);
        hdr.setUint32(at + 8, 0, true);
        hdr.setUint32(at + 12, len & 0xffff, true);
        return x.v8r_tx_publish(tag, len);
      } finally {
        d.leave();
      }
    },
    releaseTag: (tag) => (d.disposed() ? 0 : x.v8r_tx_release(tag)),
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
