/**
 * Internal: the layout of one domain's event-channel state in shared memory
 * (the v8r counterpart of the 2-level part of Xen's `shared_info` plus the
 * per-vCPU upcall flag), and the pure bit operations every thread runs over it.
 * One implementation of the bit logic, used by the sender's hypercall path and
 * by the receiving vCPU's upcall handler, inline and in Workers alike.
 */

/** Ports of the 2-level ABI: 0 .. 4095 (port 0 is never valid). */
export const EVTCHN_2L_PORTS = 4096;

const BITMAP_WORDS = EVTCHN_2L_PORTS / 32;

/** Int32 word offsets of the shared state. */
export const Word = {
  /** Pending bitmap, one bit per port (128 words). */
  PENDING: 0,
  /** Mask bitmap, one bit per port (128 words). */
  MASK: BITMAP_WORDS,
  /** Selector: one bit per pending-bitmap word (128 bits = 4 words). */
  SELECTOR: 2 * BITMAP_WORDS,
  /** Upcall pending flag (`evtchn_upcall_pending`); its 0 -> 1 edge raises the upcall PPI on the vGIC. */
  UPCALL: 2 * BITMAP_WORDS + 4,
  /** Run state set by the hypervisor, see {@link RunState}. */
  RUN: 2 * BITMAP_WORDS + 6,
  /** Shutdown request written by the guest, see {@link ShutdownCode}. */
  SHUTDOWN: 2 * BITMAP_WORDS + 7,
  /** Instance number of the domain (bumped at each restart). */
  GENERATION: 2 * BITMAP_WORDS + 8,
  /**
   * Shutdown asked by the toolstack (`xl shutdown` / `xl reboot`), a
   * {@link ShutdownCode}: the vCPU takes it at its next service, so a guest
   * blocked in WFI (a WASI program) gets it as well as one at rest.
   */
  REQUEST: 2 * BITMAP_WORDS + 9,
} as const;

/** Number of Int32 words of the shared state. */
export const STATE_WORDS = 2 * BITMAP_WORDS + 16;

/** Values of the {@link Word.RUN} word. */
export const RunState = { RUNNING: 0, PAUSED: 1, STOPPED: 2 } as const;

/** Values of the {@link Word.SHUTDOWN} word. */
export const ShutdownCode = { NONE: 0, POWEROFF: 1, REBOOT: 2, CRASH: 3 } as const;

/** A fresh shared state buffer: nothing pending, nothing masked, running. */
export function createEvtchnState(): SharedArrayBuffer {
  return new SharedArrayBuffer(STATE_WORDS * 4);
}

/** Clear pending, mask, selector, upcall, shutdown and request words for a new instance; RUN becomes RUNNING. */
export function resetEvtchnState(s: Int32Array, generation: number): void {
  for (let i = 0; i <= Word.UPCALL; i++) Atomics.store(s, i, 0);
  Atomics.store(s, Word.SHUTDOWN, ShutdownCode.NONE);
  Atomics.store(s, Word.REQUEST, ShutdownCode.NONE);
  Atomics.store(s, Word.GENERATION, generation);
  Atomics.store(s, Word.RUN, RunState.RUNNING);
}

/** True for an integer port the 2-level ABI can name (1 .. 4095). */
export function isPortNumber(port: unknown): port is number {
  return typeof port === "number" && Number.isInteger(port) && port > 0 && port < EVTCHN_2L_PORTS;
}

/** Whether `port`'s pending bit is set. */
export function portPending(s: Int32Array, port: number): boolean {
  return (Atomics.load(s, Word.PENDING + (port >>> 5)) & bitOf(port)) !== 0;
}

/** Whether `port`'s mask bit is set. */
export function portMasked(s: Int32Array, port: number): boolean {
  return (Atomics.load(s, Word.MASK + (port >>> 5)) & bitOf(port)) !== 0;
}

/** What {@link raisePort} did. */
export type RaiseResult = "coalesced" | "masked" | "raised" | "upcall";

/**
 * The sending half of `EVTCHNOP_send` on the receiver's state: set the pending
 * bit; when it was clear and the port is not masked, set the selector bit and
 * the upcall flag. `"upcall"` means the flag went from 0 to 1 (the vCPU must be
 * woken); `"raised"` that an upcall was already pending; `"coalesced"` that the
 * bit was already set; `"masked"` that it stays pending behind the mask.
 */
export function raisePort(s: Int32Array, port: number): RaiseResult {
  const bit = bitOf(port);
  const old = Atomics.or(s, Word.PENDING + (port >>> 5), bit);
  if (old & bit) return "coalesced";
  if (Atomics.load(s, Word.MASK + (port >>> 5)) & bit) return "masked";
  return markUpcall(s, port) ? "upcall" : "raised";
}

/** Set the selector bit of `port`'s word and the upcall flag; true when the flag was clear. */
export function markUpcall(s: Int32Array, port: number): boolean {
  const w = port >>> 5;
  Atomics.or(s, Word.SELECTOR + (w >>> 5), bitOf(w));
  return Atomics.exchange(s, Word.UPCALL, 1) === 0;
}

/** Clear the pending bit of `port` (`clear_event_channel`, and Xen when it frees a port). */
export function clearPort(s: Int32Array, port: number): void {
  Atomics.and(s, Word.PENDING + (port >>> 5), ~bitOf(port));
}

/** Set the mask bit of `port`. */
export function maskPort(s: Int32Array, port: number): void {
  Atomics.or(s, Word.MASK + (port >>> 5), bitOf(port));
}

/** Clear the mask bit; when the port is pending, raise the upcall again. Returns true when the vCPU must be woken. */
export function unmaskPort(s: Int32Array, port: number): boolean {
  Atomics.and(s, Word.MASK + (port >>> 5), ~bitOf(port));
  return reannounce(s, port);
}

/** Re-announce a pending, unmasked port (after a handler was bound); true when the vCPU must be woken. */
export function reannounce(s: Int32Array, port: number): boolean {
  return portPending(s, port) && !portMasked(s, port) ? markUpcall(s, port) : false;
}

/** Callbacks of {@link scanUpcall}. */
export interface ScanHooks {
  /** Whether `port` has a handler: ports without one keep their pending bit (missed events). */
  accepts(port: number): boolean;
  /** Run the handler of `port`; its pending bit has just been cleared by this scan. */
  run(port: number): void;
  /** Checked after each handler: when false the scan stops and re-announces what it did not reach. */
  alive(): boolean;
}

/**
 * The upcall handler of a 2-level guest: clear the upcall flag, take the
 * selector, and for each selected word handle `pending & ~mask` in ascending
 * port order, clearing each pending bit atomically before its handler runs
 * (a bit someone else cleared first is skipped, so nothing runs twice).
 * Returns the number of handlers run.
 */
export function scanUpcall(s: Int32Array, hooks: ScanHooks): number {
  Atomics.store(s, Word.UPCALL, 0);
  let ran = 0;
  for (let sw = 0; sw < 4; sw++) {
    let sel = Atomics.exchange(s, Word.SELECTOR + sw, 0);
    while (sel !== 0) {
      const b = lowestBit(sel);
      sel &= sel - 1;
      const w = sw * 32 + b;
      let bits = Atomics.load(s, Word.PENDING + w) & ~Atomics.load(s, Word.MASK + w);
      while (bits !== 0) {
        const i = lowestBit(bits);
        bits &= bits - 1;
        const port = w * 32 + i;
        if (!hooks.accepts(port)) continue;
        const bit = bitOf(i);
        if ((Atomics.and(s, Word.PENDING + w, ~bit) & bit) === 0) continue;
        hooks.run(port);
        ran++;
        if (!hooks.alive()) {
          abandon(s, sw, sel, w);
          return ran;
        }
      }
    }
  }
  return ran;
}

/** Give back the selector bits a stopped scan did not reach, so no pending port loses its announcement. */
function abandon(s: Int32Array, sw: number, rest: number, current: number): void {
  // Words after `sw` were not taken from the selector yet: they are still announced.
  Atomics.or(s, Word.SELECTOR + sw, rest | bitOf(current));
  Atomics.store(s, Word.UPCALL, 1);
}

function bitOf(n: number): number {
  return 1 << (n & 31);
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}
