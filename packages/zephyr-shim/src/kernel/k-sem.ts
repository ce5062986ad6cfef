/**
 * `k_sem`: a counting semaphore with a limit; takers wait asynchronously,
 * highest priority first, FIFO among equal priorities.
 *
 * @module
 */
import { K_POLL_STATE, K_POLL_TYPE, PollSite, type Pollable } from "./_poll-site.ts";
import type { Scheduler } from "./_scheduler.ts";
import { WaitQueue } from "./_wait-queue.ts";
import { Errno } from "./errno.ts";
import { checkTimeout, type k_timeout_t } from "./timeout.ts";

/** A counting semaphore (`struct k_sem`); create with `kernel.k_sem_init(initial, limit)`. */
export class KSem implements Pollable {
  /** @internal poll events waiting for a count. */
  readonly _poll: PollSite = new PollSite();
  #count: number;
  readonly #limit: number;
  readonly #waiters: WaitQueue<undefined, number>;

  /** Build a semaphore; prefer `kernel.k_sem_init(initial, limit)`. */
  constructor(sched: Scheduler, initial: number, limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`[zephyr-shim] k_sem_init: limit ${limit} must be an integer >= 1`);
    }
    if (!Number.isInteger(initial) || initial < 0 || initial > limit) {
      throw new RangeError(`[zephyr-shim] k_sem_init: initial count ${initial} must be an integer in 0..${limit}`);
    }
    this.#waiters = new WaitQueue(sched);
    this.#count = initial;
    this.#limit = limit;
  }

  /** `k_sem_count_get`. */
  countGet(): number {
    return this.#count;
  }

  /** Number of threads waiting. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** `k_sem_take`: 0 when taken, -EBUSY when not available with K_NO_WAIT, -EAGAIN on timeout. */
  take(timeout: k_timeout_t): Promise<number> {
    checkTimeout("k_sem_take", timeout);
    if (this.#count > 0) {
      this.#count--;
      return Promise.resolve(0);
    }
    if (timeout === 0) return Promise.resolve(-Errno.EBUSY);
    return this.#waiters.pend(timeout, undefined, -Errno.EAGAIN);
  }

  /** `k_sem_give`: wake the first waiter, or count up to the limit (and tell a poller). */
  give(): void {
    if (this.#waiters.wakeFirst(0)) return;
    if (this.#count < this.#limit) this.#count++;
    this._poll.notify(K_POLL_STATE.SEM_AVAILABLE);
  }

  /** `k_sem_reset`: count to 0; waiters are released with -EAGAIN. */
  reset(): void {
    this.#count = 0;
    this.#waiters.wakeAll(-Errno.EAGAIN);
  }

  /** @internal k_poll: available when the count is positive. */
  _pollState(type: number): number {
    return type === K_POLL_TYPE.SEM_AVAILABLE && this.#count > 0 ? K_POLL_STATE.SEM_AVAILABLE : 0;
  }
}
