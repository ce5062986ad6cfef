import type { Clock, TimerHandle } from "./device-options.ts";

/**
 * @internal Waiters of one device: each waits until wake() or its deadline,
 * whichever comes first; one timer serves them all, re-armed for the earliest
 * of (now + poll interval, earliest deadline) and cancelled when none is left.
 * The poll is needed because a peer returns transmit buffers without a kick.
 */
export class Waiters {
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #onTick: () => void;
  readonly #waiting = new Set<{ deadline: number; resolve: () => void }>();
  #timer: TimerHandle | undefined;
  #due = Infinity;

  constructor(clock: Clock, pollMs: number, onTick: () => void) {
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
    if (this.#waiting.size === 0 && !this.#timer) return;
    const all = [...this.#waiting];
    this.#waiting.clear();
    this.#disarm();
    for (const w of all) w.resolve();
  }

  #arm(): void {
    const now = this.#clock.now();
    let due = now + this.#pollMs;
    for (const w of this.#waiting) due = Math.min(due, w.deadline);
    if (this.#timer && this.#due <= due) return;
    this.#disarm();
    this.#due = due;
    this.#timer = this.#clock.setTimeout(() => this.#fire(), Math.max(0, due - now));
  }

  #disarm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#due = Infinity;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#due = Infinity;
    this.#onTick();
    this.wake();
  }
}
