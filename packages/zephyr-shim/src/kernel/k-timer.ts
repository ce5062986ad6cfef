/**
 * `k_timer`: one-shot and periodic kernel timers with Zephyr's semantics
 * (first expiry after `duration`, then every `period`; status counts
 * expiries since it was last read).
 *
 * @module
 */
import type { Clock, TimerHandle } from "@v8r/fvp-core";
import { checkTimeout, isForever, type k_timeout_t } from "./timeout.ts";

/** Expiry or stop function of a timer; runs in interrupt context (synchronously). */
export type k_timer_fn = (timer: KTimer) => void;

/** Internal hooks a timer needs from its kernel. */
export interface TimerHost {
  readonly clock: Clock;
  isr<T>(fn: () => T): T;
}

/** A kernel timer (`struct k_timer`); create with `kernel.k_timer_init()`. */
export class KTimer {
  readonly #host: TimerHost;
  readonly #expiry: k_timer_fn | undefined;
  readonly #stop: k_timer_fn | undefined;
  #handle: TimerHandle | undefined = undefined;
  #deadline = 0;
  #period = 0;
  #status = 0;
  #waiters: Array<(status: number) => void> = [];
  /** Free slot for the application (`k_timer_user_data_set`). */
  user_data: unknown = undefined;

  /** Build a timer; prefer `kernel.k_timer_init(expiry, stop)`. */
  constructor(host: TimerHost, expiry?: k_timer_fn, stop?: k_timer_fn) {
    this.#host = host;
    this.#expiry = expiry;
    this.#stop = stop;
  }

  /** Whether the timer is running. */
  get running(): boolean {
    return this.#handle !== undefined;
  }

  /** `k_timer_start`: first expiry after `duration`, then every `period` (K_NO_WAIT/K_FOREVER period: one-shot). Restarting resets the status. */
  start(duration: k_timeout_t, period: k_timeout_t): void {
    checkTimeout("k_timer_start duration", duration);
    checkTimeout("k_timer_start period", period);
    this.#cancel();
    this.#status = 0;
    if (isForever(duration)) return;
    this.#period = isForever(period) ? 0 : period;
    this.#arm(this.#host.clock.now() + duration);
  }

  /** `k_timer_stop`: stop the timer; runs the stop function when it was running and releases status waiters with 0. */
  stop(): void {
    if (!this.#handle) return;
    this.#cancel();
    if (this.#stop) {
      const stop = this.#stop;
      this.#host.isr(() => stop(this));
    }
    this.#release(0);
  }

  /** `k_timer_status_get`: expiries since the last read; resets the count. */
  statusGet(): number {
    const status = this.#status;
    this.#status = 0;
    return status;
  }

  /** `k_timer_status_sync`: wait for the next expiry (or stop); resolves with the status, reset. */
  statusSync(): Promise<number> {
    if (this.#status > 0 || !this.#handle) return Promise.resolve(this.statusGet());
    return new Promise<number>((resolve) => this.#waiters.push(resolve));
  }

  /** `k_timer_remaining_get`: ms until the next expiry, 0 when stopped. */
  remainingGet(): number {
    if (!this.#handle) return 0;
    return Math.max(0, this.#deadline - this.#host.clock.now());
  }

  #arm(deadline: number): void {
    this.#deadline = deadline;
    const delay = Math.max(0, deadline - this.#host.clock.now());
    this.#handle = this.#host.clock.setTimeout(() => this.#fire(), delay);
  }

  #fire(): void {
    this.#handle = undefined;
    this.#status++;
    if (this.#period > 0) this.#arm(this.#deadline + this.#period);
    if (this.#expiry) {
      const expiry = this.#expiry;
      this.#host.isr(() => expiry(this));
    }
    if (this.#waiters.length > 0) this.#release(this.statusGet());
  }

  #release(status: number): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve(status);
  }

  #cancel(): void {
    this.#handle?.cancel();
    this.#handle = undefined;
  }
}
