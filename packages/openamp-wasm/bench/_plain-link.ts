/**
 * The plain-JavaScript baseline: what a careful hand-written link between two
 * Workers costs, with no OpenAMP. Two single-producer rings (host -> remote,
 * remote -> host) over one SharedArrayBuffer, each with `num` slots of
 * `slotSize` bytes (a 16-byte header as RPMsg's, then the payload). Indices
 * run free; the producer publishes with one Atomics.store per message and the
 * consumer once per batch; a consumer that is awake sets `noKick` so the
 * producer skips the doorbell, and re-checks after clearing it before it
 * sleeps, as bench/_v8r-link.ts does with the virtio ring flags.
 */
import type { Link, LinkSide, OnMessage } from "./_link.ts";

const HDR = 16;
/** Endpoint i has address ADDR0 + i on both sides, as RPMsg's first dynamic address. */
const ADDR0 = 1024;
/** Int32 words per direction in the control block: produced, consumed, noKick. */
const CTL_WORDS = 4;
const CTL_BYTES = 64;

/** Bytes a plain link with `num` slots of `slotSize` bytes needs. */
export function plainLinkBytes(num: number, slotSize: number): number {
  return CTL_BYTES + 2 * num * slotSize;
}

/** One side of the plain-JS link. `kick` rings the peer's doorbell. */
export function plainLink(buf: SharedArrayBuffer, side: LinkSide, num: number, slotSize: number, kick: () => void): Link {
  const ctl = new Int32Array(buf, 0, CTL_BYTES >> 2);
  const u32 = new Uint32Array(buf);
  const u8 = new Uint8Array(buf);
  const tx = side === "host" ? 0 : 1;
  const rx = 1 - tx;
  const txBase = CTL_BYTES + tx * num * slotSize;
  const rxBase = CTL_BYTES + rx * num * slotSize;
  const [txProd, txCons, txNoKick] = [tx * CTL_WORDS, tx * CTL_WORDS + 1, tx * CTL_WORDS + 2];
  const [rxProd, rxCons, rxNoKick] = [rx * CTL_WORDS, rx * CTL_WORDS + 1, rx * CTL_WORDS + 2];
  const handlers = new Map<number, OnMessage>();
  const views: Uint8Array[] = [];
  const mask = num - 1;
  let produced = 0, peerConsumed = 0, consumed = 0, suppressed = false;

  const deliver = (at: number): void => {
    const w = at >>> 2;
    const src = u32[w] as number, dst = u32[w + 1] as number, len = (u32[w + 3] as number) & 0xffff;
    if (len > slotSize - HDR) return; // a broken header is dropped, as a careful receiver would
    const h = handlers.get(dst);
    if (!h) return;
    const slot = (at - rxBase) / slotSize;
    let v = views[slot];
    if (v === undefined || v.length !== len) views[slot] = v = u8.subarray(at + HDR, at + HDR + len);
    h(v, src);
  };

  return {
    open(i, onMessage) {
      handlers.set(ADDR0 + i, onMessage);
    },
    send(i, payload) {
      const src = ADDR0 + i, dst = src;
      if (produced - peerConsumed >= num) {
        peerConsumed = Atomics.load(ctl, txCons);
        if (produced - peerConsumed >= num) return false;
      }
      const at = txBase + (produced & mask) * slotSize;
      const w = at >>> 2;
      u32[w] = src;
      u32[w + 1] = dst;
      u32[w + 2] = 0;
      u32[w + 3] = payload.length;
      u8.set(payload, at + HDR);
      Atomics.store(ctl, txProd, ++produced);
      if (!Atomics.load(ctl, txNoKick)) kick();
      return true;
    },
    poll() {
      if (!suppressed) {
        Atomics.store(ctl, rxNoKick, 1);
        suppressed = true;
      }
      let n = 0;
      for (let avail = Atomics.load(ctl, rxProd); consumed !== avail; avail = Atomics.load(ctl, rxProd)) {
        if (((avail - consumed) >>> 0) > num) return n; // a broken index is ignored
        while (consumed !== avail) {
          deliver(rxBase + (consumed & mask) * slotSize);
          consumed++;
          n++;
        }
        Atomics.store(ctl, rxCons, consumed);
      }
      return n;
    },
    idle() {
      if (suppressed) {
        Atomics.store(ctl, rxNoKick, 0);
        suppressed = false;
      }
      return Atomics.load(ctl, rxProd) === consumed;
    },
    ready: () => true,
    dispose() {},
  };
}
