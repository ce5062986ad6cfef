/**
 * `k_fifo`: a first-in first-out queue of items (any values here; data
 * items with a reserved first word in C). An item put while a thread waits
 * in `k_fifo_get` goes straight to that thread.
 *
 * @module
 */
import { K_POLL_STATE, K_POLL_TYPE, PollSite, type Pollable } from "./_poll-site.ts";
import type { Scheduler } from "./_scheduler.ts";
import { WaitQueue } from "./_wait-queue.ts";
import { checkTimeout, type k_timeout_t } from "./timeout.ts";

/** A FIFO (`struct k_fifo`) of `T`; create with `kernel.k_fifo_init()`. */
export class KFifo<T = unknown> implements Pollable {
  /** @internal poll events waiting for data. */
  readonly _poll: PollSite = new PollSite();
  readonly #items: T[] = [];
  readonly #getters: WaitQueue<undefined, T | null>;

  /** Build a FIFO; prefer `kernel.k_fifo_init()`. */
  constructor(sched: Scheduler) {
    this.#getters = new WaitQueue(sched);
  }

  /** `k_fifo_put`: append `item` (null and undefined are refused: `k_fifo_get` returns null for "nothing"). */
  put(item: T): void {
    if (item === null || item === undefined) throw new TypeError("[zephyr-shim] k_fifo_put: the item must not be null or undefined");
    if (this.#getters.wakeFirst(item)) return;
    this.#items.push(item);
    this._poll.notify(K_POLL_STATE.DATA_AVAILABLE);
  }

  /** `k_fifo_put_list`: append several items at once, in order. */
  putList(items: readonly T[]): void {
    for (const item of items) this.put(item);
  }

  /** `k_fifo_get`: the oldest item, or null (empty with K_NO_WAIT, timed out, or `k_fifo_cancel_wait`). */
  get(timeout: k_timeout_t): Promise<T | null> {
    checkTimeout("k_fifo_get", timeout);
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as T);
    if (timeout === 0) return Promise.resolve(null);
    return this.#getters.pend(timeout, undefined, null);
  }

  /** `k_fifo_cancel_wait`: the first waiting getter returns null now; with none, a poller sees K_POLL_STATE_CANCELLED. */
  cancelWait(): void {
    if (this.#getters.wakeFirst(null)) return;
    this._poll.notify(K_POLL_STATE.CANCELLED);
  }

  /** `k_fifo_is_empty`: non-zero when empty. */
  isEmpty(): number {
    return this.#items.length === 0 ? 1 : 0;
  }

  /** `k_fifo_peek_head`: the oldest item without removing it, or null. */
  peekHead(): T | null {
    return this.#items[0] ?? null;
  }

  /** `k_fifo_peek_tail`: the newest item without removing it, or null. */
  peekTail(): T | null {
    return this.#items[this.#items.length - 1] ?? null;
  }

  /** @internal k_poll: ready while an item is queued. */
  _pollState(type: number): number {
    return type === K_POLL_TYPE.DATA_AVAILABLE && this.#items.length > 0 ? K_POLL_STATE.DATA_AVAILABLE : 0;
  }
}
