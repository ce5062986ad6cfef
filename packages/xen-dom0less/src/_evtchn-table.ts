/**
 * Internal: the hypervisor's event channel table (Xen's `struct evtchn`
 * per port of each domain: free, reserved, unbound or interdomain, and
 * where it leads), in one SharedArrayBuffer that every domain's thread
 * reads and the hypercalls update. One Int32 word per port, so a lookup is
 * a single atomic load; a change of state takes the table lock (a spin
 * lock: critical sections are a few stores) so that the two ends of a
 * channel change together, as Xen's double event lock makes them.
 */
import { EVTCHN_2L_PORTS } from "./_evtchn-layout.ts";

/** `ECS_*`: the state of one port. */
export const ChannelState = {
  FREE: 0,
  /** Port 0: never usable. */
  RESERVED: 1,
  UNBOUND: 2,
  INTERDOMAIN: 3,
} as const;

/** One of the {@link ChannelState} values. */
export type ChannelStateValue = (typeof ChannelState)[keyof typeof ChannelState];

/** A decoded port: its state and, for unbound/interdomain, the remote domain and port. */
export interface Channel {
  readonly state: ChannelStateValue;
  /** Unbound: the domain allowed to bind it; interdomain: the peer domain. */
  readonly remoteDom: number;
  /** Interdomain: the peer's port. */
  readonly remotePort: number;
}

/** Words before the per-domain rows: the lock, then one limit word per domid slot. */
const LOCK = 0;
const LIMITS = 1;
/** Bits of a port word: remote port (12), remote domid (16), state (2). */
const PORT_BITS = 12;
const DOM_BITS = 16;

/** Largest domid the encoding holds. */
const MAX_DOMID = (1 << DOM_BITS) - 1;

/** The state in a port word. */
export function wordState(w: number): ChannelStateValue {
  return ((w >>> (PORT_BITS + DOM_BITS)) & 3) as ChannelStateValue;
}

/** The remote domid in a port word. */
export function wordRemoteDom(w: number): number {
  return (w >>> PORT_BITS) & MAX_DOMID;
}

/** The remote port in a port word. */
export function wordRemotePort(w: number): number {
  return w & ((1 << PORT_BITS) - 1);
}

/** A new table for domids 0..maxDomid, every port free and every domain absent. */
export function createChannelTable(maxDomid: number): SharedArrayBuffer {
  if (!Number.isInteger(maxDomid) || maxDomid < 1 || maxDomid > MAX_DOMID) throw new RangeError(`[xen-dom0less] channel table: domid ${maxDomid} is out of range`);
  return new SharedArrayBuffer(4 * (LIMITS + (maxDomid + 1) + (maxDomid + 1) * EVTCHN_2L_PORTS));
}

/** A view of the table (one per thread; the bytes are shared). */
export class ChannelTable {
  readonly #t: Int32Array;
  readonly #domains: number;

  /** View `buffer` (from {@link createChannelTable}). */
  constructor(buffer: SharedArrayBuffer) {
    this.#t = new Int32Array(buffer);
    this.#domains = Math.floor((this.#t.length - LIMITS) / (EVTCHN_2L_PORTS + 1));
  }

  /** Whether domain `domid` exists (it has a port limit). */
  exists(domid: number): boolean {
    return this.maxPort(domid) > 0;
  }

  /** The domain's highest usable port (`max_evtchn_port`), 0 when it does not exist. */
  maxPort(domid: number): number {
    return Number.isInteger(domid) && domid >= 0 && domid < this.#domains ? Atomics.load(this.#t, LIMITS + domid) : 0;
  }

  /** Make domain `domid` exist with ports 1..maxPort usable; port 0 is reserved. */
  addDomain(domid: number, maxPort: number): void {
    if (!(domid >= 0 && domid < this.#domains)) throw new RangeError(`[xen-dom0less] channel table: d${domid} does not fit the table`);
    Atomics.store(this.#t, LIMITS + domid, Math.min(maxPort, EVTCHN_2L_PORTS - 1));
    this.set(domid, 0, ChannelState.RESERVED, 0, 0);
  }

  /** The channel at `port` of `domid` (FREE for a port the domain cannot have). */
  get(domid: number, port: number): Channel {
    const w = this.word(domid, port);
    return { state: wordState(w), remoteDom: wordRemoteDom(w), remotePort: wordRemotePort(w) };
  }

  /** The encoded word of a port, read with one atomic load and no allocation (decode with the word* functions); 0 (free) for a port the domain cannot have. */
  word(domid: number, port: number): number {
    return this.valid(domid, port) ? Atomics.load(this.#t, this.#index(domid, port)) : 0;
  }

  /** Whether `port` is a port number domain `domid` can have (0..maxPort). */
  valid(domid: number, port: number): boolean {
    return Number.isInteger(port) && port >= 0 && port <= this.maxPort(domid);
  }

  /** Write a port (inside {@link ChannelTable.locked}, or before any guest runs). */
  set(domid: number, port: number, state: ChannelStateValue, remoteDom: number, remotePort: number): void {
    const w = (state << (PORT_BITS + DOM_BITS)) | ((remoteDom & MAX_DOMID) << PORT_BITS) | (remotePort & ((1 << PORT_BITS) - 1));
    Atomics.store(this.#t, this.#index(domid, port), w);
  }

  /** The lowest free port of `domid`, or -1 when all of 1..maxPort are taken (Xen's get_free_port). */
  freePort(domid: number): number {
    const max = this.maxPort(domid);
    for (let port = 1; port <= max; port++) if (this.get(domid, port).state === ChannelState.FREE) return port;
    return -1;
  }

  /** Every port of `domid` that is not free, ascending. */
  usedPorts(domid: number): number[] {
    const out: number[] = [];
    const max = this.maxPort(domid);
    for (let port = 1; port <= max; port++) if (this.get(domid, port).state !== ChannelState.FREE) out.push(port);
    return out;
  }

  /** Run `fn` holding the table lock. */
  locked<T>(fn: () => T): T {
    while (Atomics.compareExchange(this.#t, LOCK, 0, 1) !== 0) {
      // another thread is in a hypercall; its critical section is a few stores
    }
    try {
      return fn();
    } finally {
      Atomics.store(this.#t, LOCK, 0);
    }
  }

  #index(domid: number, port: number): number {
    return LIMITS + this.#domains + domid * EVTCHN_2L_PORTS + port;
  }
}
