import { PREFIX } from "./_format.ts";
import { createYielder } from "./_macrotask.ts";
import { type QueuedTimer, TimerQueue } from "./_timer-queue.ts";
import type { Clock, TimerHandle } from "./clock.ts";
import { checkCallback, checkPeriod } from "./real-clock.ts";

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** Initial time in ms (default 0). */
  start?: number;
}

/** Limits of {@link VirtualClock.runUntilIdle}. */
export interface RunLimits {
  /** Stop before firing a timer later than `now() + maxTimeMs`. */
  maxTimeMs?: number;
  /** Stop after this many firings (default 1,000,000). */
  maxSteps?: number;
}

const DEFAULT_MAX_STEPS = 1_000_000;

/**
 * Discrete-event time: nothing happens until the clock is driven, then time
 * jumps from one timer to the next. Timers due at the same instant fire in
 * the order they were set, so a run is fully deterministic.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * let ticks = 0;
 * clock.setInterval(() => ticks++, 1000);
 * clock.advanceTo(3_600_000); // one simulated hour, instantly
 * ticks; // 3600
 * ```
 */
export class VirtualClock implements Clock {
  /** Always `"virtual"`. */
  readonly kind = "virtual" as const;
  readonly #queue = new TimerQueue();
  readonly #held = new Set<Promise<void>>();
  #now: number;

  /** Create a clock at `opts.start` ms (default 0). */
  constructor(opts: VirtualClockOptions = {}) {
    const start = opts.start ?? 0;
    if (!Number.isFinite(start)) throw new RangeError(`${PREFIX} creating a VirtualClock: start ${String(start)} is not finite`);
    this.#now = start;
  }

  /** Current virtual time in ms. */
  now(): number {
    return this.#now;
  }

  /** Run `cb` once at `now() + delayMs`. */
  setTimeout(cb: () => void, delayMs: number): TimerHandle {
    checkCallback(cb);
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    return handleOf(this.#queue.push(this.#now + delay, 0, cb));
  }

  /** Run `cb` at `now() + k * periodMs` for k = 1, 2, ... until cancelled. */
  setInterval(cb: () => void, periodMs: number): TimerHandle {
    checkCallback(cb);
    checkPeriod(periodMs);
    return handleOf(this.#queue.push(this.#now + periodMs, periodMs, cb));
  }

  /**
   * Hold the clock while `work` (real I/O or compilation) is pending:
   * {@link VirtualClock.run} fires no further timer until it settles.
   * Returns `work` itself.
   */
  hold<T>(work: Promise<T>): Promise<T> {
    const settled: Promise<void> = work.then(
      () => void this.#held.delete(settled),
      () => void this.#held.delete(settled),
    );
    this.#held.add(settled);
    return work;
  }

  /** Number of pieces of held work still pending (see {@link VirtualClock.hold}). */
  held(): number {
    return this.#held.size;
  }

  /** Number of active timers. */
  pending(): number {
    return this.#queue.activeCount();
  }

  /** Time of the next active timer, if any. */
  nextAt(): number | undefined {
    return this.#queue.peek()?.at;
  }

  /** Fire, in order, every timer due at or before `t`, then set the time to `t` (never backwards). Microtasks do not run in between: use {@link VirtualClock.run} for async guest code. */
  advanceTo(t: number): void {
    if (Number.isNaN(t)) throw new RangeError(`${PREFIX} advancing the VirtualClock: target time is NaN`);
    for (;;) {
      const next = this.#queue.peek();
      if (!next || next.at > t) break;
      this.#fire(next);
    }
    if (t > this.#now) this.#now = t;
  }

  /** Fire timers in order until none is left or a limit is hit; returns how many fired. Synchronous. */
  runUntilIdle(limits: RunLimits = {}): number {
    const maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
    const until = limits.maxTimeMs === undefined ? Infinity : this.#now + limits.maxTimeMs;
    let steps = 0;
    while (steps < maxSteps) {
      const next = this.#queue.peek();
      if (!next || next.at > until) break;
      this.#fire(next);
      steps++;
    }
    return steps;
  }

  /**
   * Drive the clock up to `untilMs`, letting every promise continuation run
   * between two firings (it yields a macrotask after each one), so async
   * guest code such as `await sleep(10)` loops proceeds deterministically,
   * and waiting for any work marked with {@link VirtualClock.hold}.
   * Resolves with the time set to `untilMs`.
   */
  async run(untilMs: number, limits: { maxSteps?: number } = {}): Promise<void> {
    if (Number.isNaN(untilMs)) throw new RangeError(`${PREFIX} running the VirtualClock: target time is NaN`);
    const maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
    const y = createYielder();
    try {
      await y.next();
      for (let steps = 0; steps < maxSteps; steps++) {
        await this.#waitForHeld(y);
        const next = this.#queue.peek();
        if (!next || next.at > untilMs) break;
        this.#fire(next);
        await y.next();
      }
      await this.#waitForHeld(y);
      if (untilMs > this.#now) this.#now = untilMs;
      await y.next();
    } finally {
      y.close();
    }
  }

  async #waitForHeld(y: { next(): Promise<void> }): Promise<void> {
    while (this.#held.size > 0) {
      await Promise.race(this.#held);
      await y.next();
    }
  }

  #fire(t: QueuedTimer): void {
    this.#queue.pop();
    this.#now = t.at;
    if (t.period > 0) this.#queue.reinsert(t, t.at + t.period);
    else t.active = false;
    t.cb();
  }
}

function handleOf(t: QueuedTimer): TimerHandle {
  return {
    cancel() {
      t.active = false;
    },
    get active() {
      return t.active;
    },
  };
}
