/**
 * Internal: the WASI calls about time and scheduling, answered from the
 * platform clock (so virtual time applies) instead of the host's:
 * `clock_time_get`, `clock_res_get`, `poll_oneoff` (clock subscriptions
 * sleep on the platform clock; descriptor subscriptions are ready at once),
 * `sched_yield` and `random_get`.
 */
import type { MaybeAsync } from "./_asyncify.ts";
import type { Waits } from "./_waits.ts";

const ERRNO_SUCCESS = 0;
const ERRNO_INVAL = 28;
const CLOCK_REALTIME = 0;
const EVENTTYPE_CLOCK = 0;
const SUBSCRIPTION_BYTES = 48;
const EVENT_BYTES = 32;
const ABSTIME = 1;

/** What the clock calls need. */
export interface WasiClockHost {
  /** Platform time in ms. */
  now(): number;
  /** Wall-clock time (ms since 1970) at platform time 0. */
  readonly epochMs: number;
  /** Fill `bytes` with random bytes. */
  random(bytes: Uint8Array): void;
  /** The program's waits. */
  readonly waits: Waits;
  /** The program's memory. */
  memory(): WebAssembly.Memory;
}

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
/** Below this many ms (about 104 days), a time in ns is an exact double. */
const MAX_EXACT_MS = Number.MAX_SAFE_INTEGER / 1e6;

/** The overriding WASI functions (module `wasi_snapshot_preview1`). */
export function wasiClockImports(h: WasiClockHost): Record<string, (...args: never[]) => MaybeAsync<number>> {
  // over ArrayBufferLike: a memory's buffer may be a SharedArrayBuffer (Deno's lib says so)
  let dv: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  // one view per memory buffer (a new one after memory.grow()): clock_gettime runs per message in a timed loop
  const view = (): DataView<ArrayBufferLike> => {
    const b = h.memory().buffer;
    return dv.buffer === b ? dv : (dv = new DataView(b));
  };
  const epochNs = BigInt(Math.round(h.epochMs)) * 1_000_000n; // kept apart: ms since 1970 in ns exceed a double's precision
  const nowNs = (id: number): bigint => (id === CLOCK_REALTIME ? epochNs : 0n) + ns(h.now());
  return {
    clock_res_get: (_id: number, out: number): number => {
      view().setBigUint64(out >>> 0, 1000n, true);
      return ERRNO_SUCCESS;
    },
    clock_time_get: (id: number, _precision: bigint, out: number): number => {
      const v = view();
      const ms = h.now();
      if (id !== CLOCK_REALTIME && ms >= 0 && ms < MAX_EXACT_MS) {
        // monotonic time in ns fits a double exactly: written as two words, no BigInt made
        const t = Math.round(ms * 1e6);
        v.setUint32(out >>> 0, t % 0x1_0000_0000, true);
        v.setUint32((out >>> 0) + 4, Math.floor(t / 0x1_0000_0000), true);
      } else {
        v.setBigUint64(out >>> 0, nowNs(id), true);
      }
      return ERRNO_SUCCESS;
    },
    sched_yield: (): MaybeAsync<number> => andThen(h.waits.sleepUs(0), () => ERRNO_SUCCESS),
    random_get: (ptr: number, len: number): number => {
      const bytes = new Uint8Array(len >>> 0);
      h.random(bytes);
      new Uint8Array(h.memory().buffer).set(bytes, ptr >>> 0);
      return ERRNO_SUCCESS;
    },
    poll_oneoff: (inPtr: number, outPtr: number, n: number, neventsPtr: number): MaybeAsync<number> => {
      n >>>= 0;
      if (n === 0) return ERRNO_INVAL;
      const subs = readSubscriptions(view(), inPtr >>> 0, n, nowNs);
      const fds = subs.filter((s) => s.type !== EVENTTYPE_CLOCK);
      const deadlineNs = fds.length > 0 ? 0n : subs.reduce((min, s) => (s.deadlineNs < min ? s.deadlineNs : min), subs[0]!.deadlineNs);
      const report = (): number => {
        const ready = fds.length > 0 ? fds : subs.filter((s) => s.deadlineNs === deadlineNs || s.deadlineNs <= nowNs(s.clock));
        const dv = view();
        ready.forEach((s, i) => writeEvent(dv, (outPtr >>> 0) + i * EVENT_BYTES, s));
        dv.setUint32(neventsPtr >>> 0, ready.length, true);
        return ERRNO_SUCCESS;
      };
      if (fds.length > 0) return report();
      const clock = subs.find((s) => s.deadlineNs === deadlineNs)!.clock;
      // the deadline on the platform clock (a realtime deadline is converted)
      const deadlineMs = Number(deadlineNs - (clock === CLOCK_REALTIME ? epochNs : 0n)) / 1e6;
      return andThen(h.waits.sleepUntil(deadlineMs), report);
    },
  };
}

interface Subscription {
  readonly userdata: bigint;
  readonly type: number;
  readonly clock: number;
  readonly deadlineNs: bigint;
}

function readSubscriptions(dv: DataView, base: number, n: number, nowNs: (id: number) => bigint): Subscription[] {
  const subs: Subscription[] = [];
  for (let i = 0; i < n; i++) {
    const o = base + i * SUBSCRIPTION_BYTES;
    const type = dv.getUint8(o + 8);
    const clock = dv.getUint32(o + 16, true);
    let deadlineNs = 0n;
    if (type === EVENTTYPE_CLOCK) {
      const timeout = dv.getBigUint64(o + 24, true);
      const abs = (dv.getUint16(o + 40, true) & ABSTIME) !== 0;
      deadlineNs = abs ? timeout : nowNs(clock) + timeout;
    }
    subs.push({ userdata: dv.getBigUint64(o, true), type, clock, deadlineNs });
  }
  return subs;
}

function writeEvent(dv: DataView, o: number, s: Subscription): void {
  dv.setBigUint64(o, s.userdata, true);
  dv.setUint16(o + 8, ERRNO_SUCCESS, true);
  dv.setUint8(o + 10, s.type);
  dv.setBigUint64(o + 16, 0n, true); // fd events: nothing to read (stdin is empty), writes never block
  dv.setUint16(o + 24, 0, true);
}

/** Apply `f` to a value now or later (named so: a module exporting `then` would be a thenable). */
export function andThen<T, U>(v: MaybeAsync<T>, f: (v: T) => U): MaybeAsync<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}
