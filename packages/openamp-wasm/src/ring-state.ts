/**
 * The state of a static-vrings link read from shared memory the way a
 * debugger would: the virtio status byte and the index words of both
 * vrings. Tools that watch a link (a dashboard, a test) call this instead of
 * computing vring offsets or redefining virtio constants, so a change of
 * the layout reaches them through {@link layoutRegions}.
 *
 * @module
 */
import { layoutRegions } from "./layout-regions.ts";
import { createShmAccessor, type ShmInput } from "./shm.ts";
import type { StaticVringsLayout } from "./static-vrings-layout.ts";

/** Bits of the virtio device status byte (virtio 1.x section 2.1). */
export const VIRTIO_STATUS = {
  /** The guest noticed the device. */
  ACKNOWLEDGE: 0x01,
  /** The guest knows how to drive it. */
  DRIVER: 0x02,
  /** The driver is ready: the remote may use the rings. */
  DRIVER_OK: 0x04,
  /** Feature negotiation is complete. */
  FEATURES_OK: 0x08,
  /** The device hit an error it cannot recover from. */
  NEEDS_RESET: 0x40,
  /** The driver gave up on the device. */
  FAILED: 0x80,
} as const;

/** Offsets (from the start of the region) of the two index words of one split vring. */
export interface VringIndexOffsets {
  /** `avail.idx`: advanced by the side that offers buffers. */
  readonly availIdx: number;
  /** `used.idx`: advanced by the side that consumes them. */
  readonly usedIdx: number;
}

/** One vring's indices as read now. */
export interface VringState {
  /** `avail.idx` (16 bits, wraps). */
  readonly availIdx: number;
  /** `used.idx` (16 bits, wraps). */
  readonly usedIdx: number;
  /** Buffers offered and not yet consumed: `(avail - used) mod 2^16`, at most `num`. */
  readonly inFlight: number;
}

/** A static-vrings link as read from shared memory. */
export interface RingState {
  /** The virtio device status byte. */
  readonly status: number;
  /** Whether {@link VIRTIO_STATUS}.DRIVER_OK is set (the host finished setting up the link). */
  readonly driverOk: boolean;
  /** Entries per vring. */
  readonly num: number;
  /** Vring 1: host -> remote messages. */
  readonly toRemote: VringState;
  /** Vring 0: remote -> host messages. */
  readonly toHost: VringState;
}

function region(layout: StaticVringsLayout, name: string): number {
  const r = layoutRegions(layout).find((p) => p.name === name);
  if (r === undefined) throw new TypeError(`[openamp-wasm] the layout has no part named ${name}`);
  return r.offset;
}

/**
 * Where the index words of both vrings of `layout` are (`idx` follows the
 * 16-bit `flags` of the avail and the used ring).
 *
 * @example
 * ```ts
 * ringIndexOffsets(staticVringsLayout({ shmSize: 0x10000 })).toRemote.availIdx; // 33286
 * ```
 */
export function ringIndexOffsets(layout: StaticVringsLayout): { readonly toRemote: VringIndexOffsets; readonly toHost: VringIndexOffsets } {
  const at = (vring: "vring0" | "vring1"): VringIndexOffsets => ({ availIdx: region(layout, `${vring}.avail`) + 2, usedIdx: region(layout, `${vring}.used`) + 2 });
  return { toRemote: at("vring1"), toHost: at("vring0") };
}

/**
 * Read the status byte and the vring indices of the link laid out as
 * `layout` in `shm` (the whole region; acquire loads, as the peers store
 * them with release stores). Reads only; never throws for a corrupted
 * region (the values are whatever the bytes say).
 *
 * @example
 * ```ts
 * const state = readRingState(layout, { buffer: sab });
 * if (state.driverOk) console.log(`${state.toRemote.inFlight} of ${state.num} buffers waiting for the remote`);
 * ```
 */
export function readRingState(layout: StaticVringsLayout, shm: ShmInput): RingState {
  const acc = createShmAccessor(shm);
  const offsets = ringIndexOffsets(layout);
  const vring = (o: VringIndexOffsets): VringState => {
    const availIdx = acc.loadAcquire16(o.availIdx);
    const usedIdx = acc.loadAcquire16(o.usedIdx);
    return { availIdx, usedIdx, inFlight: Math.min((availIdx - usedIdx) & 0xffff, layout.num) };
  };
  const status = acc.read8(region(layout, "status"));
  return { status, driverOk: (status & VIRTIO_STATUS.DRIVER_OK) !== 0, num: layout.num, toRemote: vring(offsets.toRemote), toHost: vring(offsets.toHost) };
}
