import { PREFIX } from "./_format.ts";
import type { Clock, TimerHandle } from "./clock.ts";

/** Options of {@link RealClock}. */
export interface RealClockOptions {
  /** Absolute start time (ms, as `performance.timeOrigin + performance.now()`); pass another clock's `origin` to share its zero across threads. */
  origin?: number;
}

/** Absolute monotonic-ish time in ms, comparable across threads. */
export function absoluteNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Wall-clock time from `performance.now()`, timers from the host's
 * `setTimeout`/`setInterval`.
 *
 * @example
 * ```ts
 * const clock = new RealClock();
 * clock.setTimeout(() => console.log(clock.now()), 10);
 * ```
 */
export class RealClock implements Clock {
  /** Always `"real"`. */
  readonly kind = "real" as const;
  /** Absolute start time in ms; `now()` counts from here. */
  readonly origin: number;

  /** Start a clock at `opts.origin` (default: now). */
  constructor(opts: RealClockOptions = {}) {
    this.origin = opts.origin ?? absoluteNow();
  }

  /** Milliseconds since `origin`. */
  now(): number {
    return absoluteNow() - this.origin;
  }

  /** Real time passes anyway: returns `work` unchanged (a function is called at once). */
  hold<T>(work: Promise<T> | (() => Promise<T>)): Promise<T> {
    return typeof work === "function" ? work() : work;
  }

  /** Nothing to wait for on real time: returns `work` unchanged. */
  background<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  /** Run `cb` once after `delayMs`. */
  setTimeout(cb: () => void, delayMs: number): TimerHandle {
    checkCallback(cb);
    let active = true;
    const id = globalThis.setTimeout(() => {
      active = false;
      cb();
    }, Math.max(0, delayMs));
    return {
      cancel() {
        active = false;
        globalThis.clearTimeout(id);
      },
      get active() {
        return active;
      },
    };
  }

  /** Run `cb` every `periodMs` until cancelled. */
  setInterval(cb: () => void, periodMs: number): TimerHandle {
    checkCallback(cb);
    checkPeriod(periodMs);
    let active = true;
    const id = globalThis.setInterval(cb, periodMs);
    return {
      cancel() {
        active = false;
        globalThis.clearInterval(id);
      },
      get active() {
        return active;
      },
    };
  }
}

/** TypeError unless `cb` is a function. */
export function checkCallback(cb: unknown): void {
  if (typeof cb !== "function") throw new TypeError(`${PREFIX} scheduling a timer: the callback is not a function`);
}

/** RangeError unless `periodMs` is a positive finite number. */
export function checkPeriod(periodMs: number): void {
  if (!(periodMs > 0) || !Number.isFinite(periodMs)) {
    throw new RangeError(`${PREFIX} scheduling a periodic timer: period ${String(periodMs)} ms must be a positive finite number`);
  }
}
