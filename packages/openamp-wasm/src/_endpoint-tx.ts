import { makeShmCopy } from "./_shm-copy.ts";
import type { OpenAmpExports } from "./_wasm-api.ts";
import { RpmsgError, RpmsgErrorCode } from "./errors.ts";
import type { EndpointCore } from "./rpmsg-endpoint.ts";

/** @internal What the transmit half needs from its device. */
export interface TxHost {
  disposed(): boolean;
  /** Around every C call that may call back into JS (a dispose() from a callback takes effect on leave). */
  enter(): void;
  leave(): void;
  /** The module's out words (v8r_out_ptr). */
  out(): Uint32Array;
  /** A view of shared memory (uncached). */
  view(off: number, len: number): Uint8Array;
  /** The whole region, when the accessor offers it (the RPMsg header is then written from here). */
  readonly region: Uint8Array | undefined;
}

/** @internal The transmit half of an EndpointCore. */
export type TxCore = Pick<EndpointCore, "takeTx" | "txView" | "sendTag" | "releaseTag" | "send">;

/** @internal The transmit paths over the module's exports: lent buffers (takeTx ... sendTag) and trySend's send(). */
export function makeTx(x: OpenAmpExports, d: TxHost): TxCore {
  // one view per transmit buffer (by tag), re-made only when the buffer behind the tag changes
  const txViews: Uint8Array[] = [];
  const txOffs: number[] = [];
  // with the region at hand the header is written here, beside the payload: one import less per send
  const region = d.region;
  const hdr = region && region.byteOffset % 4 === 0 ? new DataView(region.buffer, region.byteOffset, region.byteLength) : undefined;
  const copy = makeShmCopy();
  /** The payload area of the buffer just taken (its offset and capacity in the module's out words). */
  const viewOf = (tag: number): Uint8Array => {
    const out = d.out();
    const off = out[0] ?? 0, cap = out[1] ?? 0;
    let v = txViews[tag];
    if (v === undefined || txOffs[tag] !== off || v.length !== cap) {
      txViews[tag] = v = d.view(off, cap);
      txOffs[tag] = off;
    }
    return v;
  };
  /** Publish buffer tag with len payload bytes (inside enter/leave). */
  const publish = (tag: number, src: number, dst: number, len: number): number => {
    const at = (txOffs[tag] ?? 0) - 16;
    if (!hdr || at < 0) return x.v8r_tx_send(tag, src >>> 0, dst >>> 0, len);
    // src, dst, reserved 0, len (16 bits) and flags 0, little-endian, as C's write_header does
    hdr.setUint32(at, src >>> 0, true);
    hdr.setUint32(at + 4, dst >>> 0, true);
    hdr.setUint32(at + 8, 0, true);
    hdr.setUint32(at + 12, len & 0xffff, true);
    return x.v8r_tx_publish(tag, len);
  };
  const release = (tag: number): number => (d.disposed() ? 0 : x.v8r_tx_release(tag));
  return {
    takeTx: () => {
      d.enter();
      try {
        return x.v8r_tx_take();
      } finally {
        d.leave();
      }
    },
    txView: viewOf,
    sendTag: (tag, src, dst, len) => {
      d.enter();
      try {
        return publish(tag, src, dst, len);
      } finally {
        d.leave();
      }
    },
    releaseTag: release,
    send: (src, dst, data, name) => {
      d.enter();
      try {
        const tag = x.v8r_tx_take();
        if (tag < 0) return tag;
        const buf = viewOf(tag);
        if (data.length > buf.length) {
          release(tag);
          // the capacity is this buffer's, known only here: say it in the error (the module's send path has no such code)
          throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_BUFF_SIZE, `trySend() of ${data.length} bytes on "${name}" (payload size ${buf.length})`);
        }
        copy(buf, data);
        const sent = publish(tag, src, dst, data.length);
        if (sent < 0) release(tag); // not published: give the buffer back, or it is lost for good
        return sent;
      } finally {
        d.leave();
      }
    },
  };
}
