/**
 * The wire format's floor: RPMsg over the same legacy split virtqueues as v8r
 * (the static-vrings layout, descriptors, avail and used rings, 16-byte
 * RPMsg headers), written by hand in plain JavaScript with no OpenAMP and no
 * wasm. It does what an OpenAMP peer must do per message and nothing more:
 * the host takes a transmit buffer back from the used ring, fills it, writes
 * its descriptor and avail entry and publishes the avail index; the remote
 * reads the avail entry, the descriptor and the header, and returns the
 * buffer through the used ring once per batch. Each side keeps the send
 * queue's notifications off for good, as OpenAMP does, and turns the receive
 * queue's off while it drains (VRING_AVAIL_F_NO_INTERRUPT for the host's
 * receive queue, VRING_USED_F_NO_NOTIFY for the remote's).
 *
 * Set beside the plain ring (_plain-link.ts), it shows what the split
 * virtqueue itself costs (more shared cache lines per message), apart from
 * what v8r adds on top.
 */
import { makeShmCopy } from "../src/_shm-copy.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import type { Link, LinkSide, OnMessage } from "./_link.ts";

const HDR = 16;
/** Endpoint i has address ADDR0 + i on both sides, as in _plain-link.ts. */
const ADDR0 = 1024;
/** VRING_AVAIL_F_NO_INTERRUPT and VRING_USED_F_NO_NOTIFY: bit 0 of each flags word. */
const NO_KICK = 1;
/** VRING_DESC_F_WRITE: a receive buffer the device writes. */
const DESC_WRITE = 2;

/** Offsets (in bytes) of one vring's parts. */
interface Ring { desc: number; availFlags: number; availIdx: number; availRing: number; usedFlags: number; usedIdx: number; usedRing: number }

function ringAt(base: number, num: number, align: number): Ring {
  const avail = base + 16 * num;
  const used = Math.ceil((avail + 4 + 2 * num + 2) / align) * align;
  return { desc: base, availFlags: avail, availIdx: avail + 2, availRing: avail + 4, usedFlags: used, usedIdx: used + 2, usedRing: used + 4 };
}

/** One side of the split-virtqueue link over `buf` (sized as v8r's: a static-vrings layout). */
export function virtqLink(buf: SharedArrayBuffer, side: LinkSide, kick: () => void): Link {
  const lay = staticVringsLayout({ shmSize: buf.byteLength });
  const { num, bufferSize } = lay;
  const mask = num - 1;
  const u8 = new Uint8Array(buf), u16 = new Uint16Array(buf), u32 = new Uint32Array(buf);
  /** vring 1 carries host -> remote, vring 0 remote -> host (Zephyr's rx_addr and tx_addr). */
  const h2r = ringAt(lay.vring1Offset, num, lay.align), r2h = ringAt(lay.vring0Offset, num, lay.align);
  const rx = side === "host" ? r2h : h2r, tx = side === "host" ? h2r : r2h;
  /** The receive queue's flags word this side owns (its kick switch), and the send queue's. */
  const rxOwnFlags = side === "host" ? rx.availFlags : rx.usedFlags;
  const txOwnFlags = side === "host" ? tx.availFlags : tx.usedFlags;
  /** The peer's flags word on the send queue: whether it wants a kick. */
  const txPeerFlags = side === "host" ? tx.usedFlags : tx.availFlags;
  const poolEnd = lay.poolOffset + 2 * num * bufferSize;
  const handlers = new Map<number, OnMessage>();
  const views: Uint8Array[] = [];
  /** Payload views of the buffers this side fills, by descriptor, and a copier that stays fast when the payload is not 8-aligned (as v8r's). */
  const txViews: Uint8Array[] = [];
  const copy = makeShmCopy();
  let suppressed = false;

  Atomics.store(u16, txOwnFlags >>> 1, NO_KICK);
  // the host owns the descriptors of both queues: receive buffers are posted at once, send buffers on use
  /** The host's free send descriptors, in the order they came back (a FIFO of num). */
  const free = new Uint16Array(num);
  let freeHead = 0, freeCount = 0;
  let availIdx = 0, lastUsed = 0;
  let rxAvailIdx = 0; // the host re-posts receive buffers through this
  if (side === "host") {
    for (let id = 0; id < num; id++) {
      writeDesc(rx.desc, id, lay.poolOffset + id * bufferSize, bufferSize, DESC_WRITE);
      u16[(rx.availRing >>> 1) + id] = id;
      free[id] = id;
    }
    freeCount = num;
    rxAvailIdx = num;
    Atomics.store(u16, rx.availIdx >>> 1, rxAvailIdx & 0xffff);
  }
  /** The next entry this side takes from its receive queue (the host's used ring, the remote's avail ring). */
  let rxLast = 0;
  /** The remote's used index on each queue, and on its send queue the next avail entry it takes and the avail index it last read. */
  let rxUsedIdx = 0, txUsedIdx = 0, txLastAvail = 0, txAvailSeen = 0;

  function writeDesc(ring: number, id: number, addr: number, len: number, flags: number): void {
    const w = (ring + 16 * id) >>> 2;
    u32[w] = addr;
    u32[w + 1] = 0;
    u32[w + 2] = len;
    u32[w + 3] = flags; // flags (low 16 bits) and next (high 16 bits)
  }

  function writeMessage(id: number, at: number, src: number, payload: Uint8Array): void {
    const w = at >>> 2;
    u32[w] = src;
    u32[w + 1] = src;
    u32[w + 2] = 0;
    u32[w + 3] = payload.length; // len (low 16 bits), flags 0
    let v = txViews[id];
    if (v === undefined || v.byteOffset !== at + HDR || v.length !== payload.length) txViews[id] = v = u8.subarray(at + HDR, at + HDR + payload.length);
    copy(v, payload);
  }

  /** A buffer the peer named: in the pool and long enough for its header and payload, else dropped. */
  function deliver(id: number, addr: number, len: number): void {
    if (addr < lay.poolOffset || addr + len > poolEnd || len < HDR || (addr & 3) !== 0) return;
    const w = addr >>> 2;
    const src = u32[w] as number, dst = u32[w + 1] as number, n = (u32[w + 3] as number) & 0xffff;
    if (n > len - HDR) return;
    const h = handlers.get(dst);
    if (!h) return;
    let v = views[id];
    if (v === undefined || v.byteOffset !== addr + HDR || v.length !== n) views[id] = v = u8.subarray(addr + HDR, addr + HDR + n);
    h(v, src);
  }

  const peerWantsKick = (): boolean => (Atomics.load(u16, txPeerFlags >>> 1) & NO_KICK) === 0;

  /** The host's send: a free descriptor (reclaimed from the used ring when none is left), one avail entry. */
  function hostSend(src: number, payload: Uint8Array): boolean {
    if (freeCount === 0) {
      const used = Atomics.load(u16, tx.usedIdx >>> 1);
      for (; lastUsed !== used && freeCount < num; lastUsed = (lastUsed + 1) & 0xffff) {
        const id = u32[(tx.usedRing >>> 2) + 2 * (lastUsed & mask)] as number;
        if (id < num) free[(freeHead + freeCount++) & mask] = id;
      }
      if (freeCount === 0) return false;
    }
    const id = free[freeHead] as number;
    freeHead = (freeHead + 1) & mask;
    freeCount--;
    const at = lay.poolOffset + (num + id) * bufferSize;
    writeMessage(id, at, src, payload);
    writeDesc(tx.desc, id, at, HDR + payload.length, 0);
    u16[(tx.availRing >>> 1) + (availIdx & mask)] = id;
    availIdx = (availIdx + 1) & 0xffff;
    Atomics.store(u16, tx.availIdx >>> 1, availIdx);
    if (peerWantsKick()) kick();
    return true;
  }

  /** The remote's send: the next buffer the host posted, one used entry. */
  function remoteSend(src: number, payload: Uint8Array): boolean {
    if (txLastAvail === txAvailSeen) {
      txAvailSeen = Atomics.load(u16, tx.availIdx >>> 1);
      if (txLastAvail === txAvailSeen) return false;
    }
    const id = u16[(tx.availRing >>> 1) + (txLastAvail & mask)] as number;
    if (id >= num) return false;
    const d = (tx.desc + 16 * id) >>> 2;
    const at = u32[d] as number, cap = u32[d + 2] as number;
    if (at < lay.poolOffset || at + cap > poolEnd || (at & 3) !== 0 || cap < HDR + payload.length) return false;
    txLastAvail = (txLastAvail + 1) & 0xffff;
    writeMessage(id, at, src, payload);
    const uw = (tx.usedRing >>> 2) + 2 * (txUsedIdx & mask);
    u32[uw] = id;
    u32[uw + 1] = HDR + payload.length;
    txUsedIdx = (txUsedIdx + 1) & 0xffff;
    Atomics.store(u16, tx.usedIdx >>> 1, txUsedIdx);
    if (peerWantsKick()) kick();
    return true;
  }

  /** The host's receive: used entries of its receive queue, each buffer posted again; one avail publish per batch. */
  function hostPoll(): number {
    let n = 0;
    for (let used = Atomics.load(u16, rx.usedIdx >>> 1); rxLast !== used; used = Atomics.load(u16, rx.usedIdx >>> 1)) {
      if (((used - rxLast) & 0xffff) > num) return n; // a broken index is ignored
      while (rxLast !== used) {
        const uw = (rx.usedRing >>> 2) + 2 * (rxLast & mask);
        const id = u32[uw] as number, len = u32[uw + 1] as number;
        rxLast = (rxLast + 1) & 0xffff;
        n++;
        if (id >= num) continue;
        deliver(id, lay.poolOffset + id * bufferSize, Math.min(len, bufferSize));
        u16[(rx.availRing >>> 1) + (rxAvailIdx & mask)] = id;
        rxAvailIdx = (rxAvailIdx + 1) & 0xffff;
      }
      Atomics.store(u16, rx.availIdx >>> 1, rxAvailIdx);
    }
    return n;
  }

  /** The remote's receive: avail entries and their descriptors; one used publish per batch. */
  function remotePoll(): number {
    let n = 0;
    for (let avail = Atomics.load(u16, rx.availIdx >>> 1); rxLast !== avail; avail = Atomics.load(u16, rx.availIdx >>> 1)) {
      if (((avail - rxLast) & 0xffff) > num) return n;
      while (rxLast !== avail) {
        const id = u16[(rx.availRing >>> 1) + (rxLast & mask)] as number;
        rxLast = (rxLast + 1) & 0xffff;
        n++;
        if (id >= num) continue;
        const d = (rx.desc + 16 * id) >>> 2;
        const len = u32[d + 2] as number;
        deliver(id, u32[d] as number, len);
        const uw = (rx.usedRing >>> 2) + 2 * (rxUsedIdx & mask);
        u32[uw] = id;
        u32[uw + 1] = len;
        rxUsedIdx = (rxUsedIdx + 1) & 0xffff;
      }
      Atomics.store(u16, rx.usedIdx >>> 1, rxUsedIdx);
    }
    return n;
  }

  const send = side === "host" ? hostSend : remoteSend;
  const receive = side === "host" ? hostPoll : remotePoll;
  /** The receive queue's index the peer publishes. */
  const peerIdx = side === "host" ? rx.usedIdx : rx.availIdx;
  return {
    open(i, onMessage) {
      handlers.set(ADDR0 + i, onMessage);
    },
    send: (i, payload) => send(ADDR0 + i, payload),
    poll() {
      if (!suppressed) {
        Atomics.store(u16, rxOwnFlags >>> 1, NO_KICK);
        suppressed = true;
      }
      return receive();
    },
    idle() {
      if (suppressed) {
        Atomics.store(u16, rxOwnFlags >>> 1, 0);
        suppressed = false;
      }
      return Atomics.load(u16, peerIdx >>> 1) === rxLast;
    },
    ready: () => true,
    dispose() {},
  };
}
