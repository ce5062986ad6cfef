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
  readonly #background = new Set<Promise<void>>();
  /** Settles a macrotask after the latest held work was delivered (see {@link VirtualClock.hold}). */
  #holdTail: Promise<void> = Promise.resolve();
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
   * Returns a promise of `work`'s outcome that settles in the order the
   * work was held, each one a macrotask after the previous one (so the
   * continuations of one held piece run before the next one's): how fast
   * the host finishes each piece never changes what the simulation does
   * next. Work given as a function is started only then too (a macrotask
   * after the previous piece was delivered), so whatever it does on its
   * way (timers, events, shared memory, output) happens at the same point
   * of every run. Do not hold work that itself waits for work held later
   * (it would wait for itself): hold the outer work or the inner pieces,
   * not both.
   */
  hold<T>(work: Promise<T> | (() => Promise<T>)): Promise<T> {
    const previous = this.#holdTail;
    const started = typeof work === "function" ? previous.then(work) : work;
    const outcome = started.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const delivered = Promise.all([previous, outcome]).then(([, r]) => (r.ok ? r.value : Promise.reject(r.error)));
    this.#holdTail = delivered.then(afterMacrotask, afterMacrotask);
    track(this.#held, this.#holdTail);
    return delivered;
  }

  /** Number of pieces of held work still pending (see {@link VirtualClock.hold}). */
  held(): number {
    return this.#held.size;
  }

  /**
   * Mark real work the simulation does not wait for (a file write):
   * {@link VirtualClock.run} keeps firing timers while it is pending and
   * waits for it only before it returns. Its continuations should not feed
   * back into the simulation (they run at no particular simulated time).
   * Returns `work` itself.
   */
  background<T>(work: Promise<T>): Promise<T> {
    track(this.#background, work);
    return work;
  }

  /** Number of pieces of background work still pending (see {@link VirtualClock.background}). */
  backgroundPending(): number {
    return this.#background.size;
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
   * waiting for any work marked with {@link VirtualClock.hold} before the
   * next firing and for work marked with {@link VirtualClock.background}
   * before it returns. Resolves with the time set to `untilMs`.
   */
  async run(untilMs: number, limits: { maxSteps?: number } = {}): Promise<void> {
    if (Number.isNaN(untilMs)) throw new RangeError(`${PREFIX} running the VirtualClock: target time is NaN`);
    const maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
    const y = createYielder();
    try {
      await y.next();
      let steps = 0;
      for (;;) {
        if (this.#held.size > 0) await drain(this.#held, y);
        const next = this.#queue.peek();
        if (steps < maxSteps && next && next.at <= untilMs) {
          this.#fire(next);
          steps++;
          await y.next();
        } else if (steps < maxSteps && this.#background.size > 0) {
          // Settling background work may set a timer that is still due in this run.
          await Promise.race(this.#background);
          await y.next();
        } else break;
      }
      while (this.#held.size > 0 || this.#background.size > 0) {
        await drain(this.#held, y);
        await drain(this.#background, y);
      }
      if (untilMs > this.#now) this.#now = untilMs;
      await y.next();
    } finally {
      y.close();
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

/** Resolve after one macrotask, once every queued microtask has run. */
function afterMacrotask(): Promise<void> {
  const y = createYielder();
  return y.next().finally(() => y.close());
}

/** Keep `work` in `set` until it settles (either way). */
function track(set: Set<Promise<void>>, work: Promise<unknown>): void {
  const settled: Promise<void> = work.then(
    () => void set.delete(settled),
    () => void set.delete(settled),
  );
  set.add(settled);
}

/** Wait until `set` is empty, letting continuations run after each settlement. */
async function drain(set: Set<Promise<void>>, y: { next(): Promise<void> }): Promise<void> {
  while (set.size > 0) {
    await Promise.race(set);
    await y.next();
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
