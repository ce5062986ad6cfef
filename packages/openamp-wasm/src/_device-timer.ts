import type { Clock, TimerClock } from "./device-options.ts";

/** @internal A clock reduced to what a device needs: now() and a one-shot timer. */
export interface DeviceClock {
  now(): number;
  /** Run cb after ms; the returned function cancels it (for clocks that only sleep, cb is just skipped). */
  timer(cb: () => void, ms: number): () => void;
}

/** @internal Adapt the clock forms RpmsgDeviceOptions accepts. */
export function deviceClock(c: Clock | TimerClock | undefined): DeviceClock {
  if (!c) {
    return {
      now: () => performance.now(),
      timer: (cb, ms) => {
        const id = setTimeout(cb, ms);
        return () => clearTimeout(id);
      },
    };
  }
  const skippable = (start: (fire: () => void) => void, cb: () => void): () => void => {
    let live = true;
    start(() => { if (live) cb(); });
    return () => { live = false; };
  };
  if ("sleep" in c && typeof c.sleep === "function") {
    const s = c as Clock;
    return { now: () => s.now(), timer: (cb, ms) => skippable((fire) => void s.sleep(ms).then(fire), cb) };
  }
  const t = c as TimerClock;
  return { now: () => t.now(), timer: (cb, ms) => skippable((fire) => void t.setTimeout(fire, ms), cb) };
}

/**
 * @internal Waiters of one device: each waits until wake() or its deadline,
 * whichever comes first; one timer serves them all, re-armed for the earliest
 * of (now + poll interval, earliest deadline) and cancelled when none is left.
 * The poll is needed because a peer returns transmit buffers without a kick.
 */
export class Waiters {
  readonly #clock: DeviceClock;
  readonly #pollMs: number;
  readonly #onTick: () => void;
  readonly #waiting = new Set<{ deadline: number; resolve: () => void }>();
  #cancel: (() => void) | undefined;
  #due = Infinity;

  constructor(clock: DeviceClock, pollMs: number, onTick: () => void) {
    this.#clock = clock;
    this.#pollMs = pollMs;
    this.#onTick = onTick;
  }

  /** Resolves at the next wake(), the next poll tick, or the deadline. */
  wait(deadline: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.add({ deadline, resolve });
      this.#arm();
    });
  }

  /** Release every waiter now. */
  wake(): void {
    if (this.#waiting.size === 0 && !this.#cancel) return;
    const all = [...this.#waiting];
    this.#waiting.clear();
    this.#disarm();
    for (const w of all) w.resolve();
  }

  #arm(): void {
    const now = this.#clock.now();
    let due = now + this.#pollMs;
    for (const w of this.#waiting) due = Math.min(due, w.deadline);
    if (this.#cancel && this.#due <= due) return;
    this.#disarm();
    this.#due = due;
    this.#cancel = this.#clock.timer(() => this.#fire(), Math.max(0, due - now));
  }

  #disarm(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#due = Infinity;
  }

  #fire(): void {
    this.#cancel = undefined;
    this.#due = Infinity;
    this.#onTick();
    this.wake();
  }
}
