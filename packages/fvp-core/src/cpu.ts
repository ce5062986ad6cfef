import { PREFIX } from "./_format.ts";
import type { Clock } from "./clock.ts";

/** What guest code sees of one physical CPU. */
export interface CpuHandle {
  /** Physical CPU index. */
  readonly index: number;
  /** Run `fn` now and account the time it takes (on the platform clock) as busy; nested calls count once. */
  busy<T>(fn: () => T): T;
  /** Run `fn`, a blocking wait inside {@link CpuHandle.busy} (a WFI), as idle time: the busy interval closes before it and opens again after it. */
  waiting<T>(fn: () => T): T;
  /** Account `ms` of busy time ending now (models work on a VirtualClock, where synchronous code takes no time). */
  charge(ms: number): void;
  /** Account `ms` of busy time starting now: modelled work the CPU is about to do (a busy wait), which the load of the next window shows. */
  chargeAhead(ms: number): void;
  /** Busy fraction (0..1) over the last `windowMs` (clamped to the kept history). */
  load(windowMs: number): number;
  /** Total busy and idle time since the CPU was created. */
  stats(): CpuStats;
}

/** Totals kept by a CPU. */
export interface CpuStats {
  /** Time accounted as busy, ms. */
  busyMs: number;
  /** Time not accounted as busy since creation, ms. */
  idleMs: number;
  /** Time since creation, ms. */
  uptimeMs: number;
}

/** Structured-cloneable description of a CPU's shared counters, to rebuild it in a Worker. */
export interface CpuDescriptor {
  /** Always `"v8r.cpu"`. */
  readonly kind: "v8r.cpu";
  /** Physical CPU index. */
  readonly index: number;
  /** The shared accounting buffer. */
  readonly buffer: SharedArrayBuffer;
}

/** Options of {@link Cpu}. */
export interface CpuOptions {
  /** Width of one history bucket, ms (default 10). */
  bucketMs?: number;
  /** Number of buckets kept (default 1024: 10.24 s at 10 ms). */
  buckets?: number;
}

// Layout of the shared Float64Array (single writer: the thread running the CPU's guest).
const H_BUCKET_MS = 0; // bucket width
const H_COUNT = 1; // number of buckets
const H_CREATED = 2; // clock time at creation
const H_BUSY_SINCE = 3; // start of the open busy interval, or -1
const H_TOTAL = 4; // closed busy time, ms
const HEADER = 5;

/**
 * One CPU's busy/idle accounting. The counters live in a SharedArrayBuffer
 * (a ring of fixed-width time buckets) so a guest running in a Worker
 * accounts its time there while the main thread reads the load.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const cpu = new Cpu(0, clock);
 * clock.advanceTo(1000);
 * cpu.charge(250);
 * cpu.load(1000); // 0.25
 * ```
 */
export class Cpu implements CpuHandle {
  /** Physical CPU index. */
  readonly index: number;
  /** The shared accounting buffer. */
  readonly buffer: SharedArrayBuffer;
  readonly #clock: Clock;
  readonly #f: Float64Array;
  #depth = 0;

  /**
   * Index, in the Float64Array over {@link Cpu.buffer}, of the start of the
   * open busy interval (-1 when the CPU is idle): what a watchdog in
   * another thread reads to tell which CPU is running guest code while the
   * thread that runs it is stuck (see {@link Cpu.busySince}).
   */
  static readonly BUSY_SINCE_SLOT = H_BUSY_SINCE;

  /** Create accounting for CPU `index` on `clock`, or attach to an existing `buffer` (from {@link Cpu.describe}). */
  constructor(index: number, clock: Clock, opts: CpuOptions & { buffer?: SharedArrayBuffer } = {}) {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`${PREFIX} creating a CPU: index ${String(index)} is not a non-negative integer`);
    this.index = index;
    this.#clock = clock;
    if (opts.buffer) {
      this.buffer = opts.buffer;
      this.#f = new Float64Array(opts.buffer);
      return;
    }
    const bucketMs = opts.bucketMs ?? 10;
    const count = opts.buckets ?? 1024;
    if (!(bucketMs > 0) || !Number.isInteger(count) || count < 1) {
      throw new RangeError(`${PREFIX} creating CPU ${index}: bucketMs and buckets must be positive`);
    }
    this.buffer = new SharedArrayBuffer((HEADER + 2 * count) * 8);
    this.#f = new Float64Array(this.buffer);
    this.#f[H_BUCKET_MS] = bucketMs;
    this.#f[H_COUNT] = count;
    this.#f[H_CREATED] = clock.now();
    this.#f[H_BUSY_SINCE] = -1;
    this.#f.fill(-1, HEADER + count); // bucket tags: none yet
  }

  /** Rebuild a CPU handle in another thread; `clock` must share the origin of the creating thread's clock. */
  static fromDescriptor(d: CpuDescriptor, clock: Clock): Cpu {
    if (d?.kind !== "v8r.cpu") throw new TypeError(`${PREFIX} rebuilding a CPU: the descriptor is not a "v8r.cpu" object`);
    return new Cpu(d.index, clock, { buffer: d.buffer });
  }

  /** A plain description that can cross threads. */
  describe(): CpuDescriptor {
    return { kind: "v8r.cpu", index: this.index, buffer: this.buffer };
  }

  /** Run `fn` and account its duration as busy. */
  busy<T>(fn: () => T): T {
    if (this.#depth++ === 0) this.#f[H_BUSY_SINCE] = this.#clock.now();
    try {
      return fn();
    } finally {
      if (--this.#depth === 0) {
        const since = this.#f[H_BUSY_SINCE] ?? -1;
        this.#f[H_BUSY_SINCE] = -1;
        this.#add(since, this.#clock.now());
      }
    }
  }

  /** Run `fn` as idle time inside a busy interval (busy work within it, a service in the wait, counts on its own). */
  waiting<T>(fn: () => T): T {
    const depth = this.#depth;
    if (depth === 0) return fn();
    const since = this.#f[H_BUSY_SINCE] ?? -1;
    this.#f[H_BUSY_SINCE] = -1;
    this.#add(since, this.#clock.now());
    this.#depth = 0;
    try {
      return fn();
    } finally {
      this.#depth = depth;
      this.#f[H_BUSY_SINCE] = this.#clock.now();
    }
  }

  /** Account `ms` of busy time ending now. */
  charge(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`${PREFIX} charging CPU ${this.index}: ${String(ms)} ms is not a non-negative number`);
    const now = this.#clock.now();
    this.#add(now - ms, now);
  }

  /** Account `ms` of busy time starting now. */
  chargeAhead(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`${PREFIX} charging CPU ${this.index} ahead: ${String(ms)} ms is not a non-negative number`);
    const now = this.#clock.now();
    this.#add(now, now + ms);
  }

  /** Busy fraction over the last `windowMs`. */
  load(windowMs: number): number {
    if (!(windowMs > 0)) throw new RangeError(`${PREFIX} reading CPU ${this.index} load: window ${String(windowMs)} ms must be positive`);
    const f = this.#f;
    const w = f[H_BUCKET_MS] as number;
    const count = f[H_COUNT] as number;
    const now = this.#clock.now();
    const span = Math.min(windowMs, w * count - w, now - (f[H_CREATED] as number));
    if (span <= 0) return 0;
    const t0 = now - span;
    let busy = 0;
    for (let n = Math.floor(t0 / w); n <= Math.floor(now / w); n++) {
      const slot = mod(n, count);
      if (f[HEADER + count + slot] !== n) continue;
      const covered = Math.min(now, (n + 1) * w) - n * w;
      const overlap = Math.min(now, (n + 1) * w) - Math.max(t0, n * w);
      if (covered > 0 && overlap > 0) busy += ((f[HEADER + slot] as number) * overlap) / covered;
    }
    const since = f[H_BUSY_SINCE] as number;
    if (since >= 0) busy += Math.max(0, now - Math.max(since, t0));
    return Math.min(1, Math.max(0, busy / span));
  }

  /** When the CPU's current busy interval started (on its clock), or `undefined` when it is idle. */
  busySince(): number | undefined {
    const since = this.#f[H_BUSY_SINCE] as number;
    return since >= 0 ? since : undefined;
  }

  /** Totals since creation. */
  stats(): CpuStats {
    const since = this.#f[H_BUSY_SINCE] as number;
    const now = this.#clock.now();
    const busyMs = (this.#f[H_TOTAL] as number) + (since >= 0 ? now - since : 0);
    const uptimeMs = now - (this.#f[H_CREATED] as number);
    return { busyMs, idleMs: Math.max(0, uptimeMs - busyMs), uptimeMs };
  }

  #add(start: number, end: number): void {
    if (!(end > start)) return;
    const f = this.#f;
    const w = f[H_BUCKET_MS] as number;
    const count = f[H_COUNT] as number;
    f[H_TOTAL] = (f[H_TOTAL] as number) + (end - start);
    const first = Math.max(Math.floor(start / w), Math.floor(end / w) - count + 1);
    for (let n = first; n <= Math.floor(end / w); n++) {
      const slot = mod(n, count);
      if (f[HEADER + count + slot] !== n) {
        f[HEADER + count + slot] = n;
        f[HEADER + slot] = 0;
      }
      const overlap = Math.min(end, (n + 1) * w) - Math.max(start, n * w);
      if (overlap > 0) f[HEADER + slot] = (f[HEADER + slot] as number) + overlap;
    }
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
