/**
 * Internal: a kernel object's wait queue (Zephyr's `_wait_q_t`). A thread
 * that pends leaves the CPU (its slice ends), waits without blocking the JS
 * thread, and is woken by the object with a result, or by its timeout on
 * the kernel clock. Waiters are served by priority (lower is more urgent),
 * then in arrival order, as Zephyr's scheduler orders a wait queue.
 *
 * @module
 */
import type { TimerHandle } from "@v8r/fvp-core";
import type { Scheduler } from "./_scheduler.ts";
import { ThreadState, type KThread } from "./thread.ts";
import { isForever, type k_timeout_t } from "./timeout.ts";

/** One pended thread and what it waits with (`data`: the object's per-waiter record). */
export interface Waiter<D, R> {
  /** The pended thread; undefined when the wait started outside any thread. */
  readonly thread: KThread | undefined;
  /** Its priority when it pended. */
  readonly prio: number;
  /** What the object needs to serve it (a message buffer, an event mask, ...). */
  readonly data: D;
  /** @internal settles its wait. */
  readonly _resolve: (result: R) => void;
  /** @internal its timeout. */
  _timer: TimerHandle | undefined;
}

/** A priority-ordered queue of pended threads. */
export class WaitQueue<D, R> {
  readonly #sched: Scheduler;
  #waiters: Waiter<D, R>[] = [];

  /** A queue on `sched`'s clock and threads. */
  constructor(sched: Scheduler) {
    this.#sched = sched;
  }

  /** Number of waiters. */
  get size(): number {
    return this.#waiters.length;
  }

  /** The first waiter (most urgent, then oldest), if any. */
  first(): Waiter<D, R> | undefined {
    return this.#waiters[0];
  }

  /** The waiters in service order (a copy: waking during iteration is safe). */
  list(): readonly Waiter<D, R>[] {
    return [...this.#waiters];
  }

  /**
   * Pend the current thread with `data` until {@link WaitQueue.wake} or the
   * timeout (finite ms or `K_FOREVER`), which resolves with `onTimeout`
   * after calling `expired` (an object's cleanup, e.g. mutex priority).
   */
  pend(timeout: k_timeout_t, data: D, onTimeout: R, expired?: (waiter: Waiter<D, R>) => void): Promise<R> {
    const thread = this.#sched.block(ThreadState.PENDING);
    const result = new Promise<R>((resolve) => {
      const waiter: Waiter<D, R> = { thread, prio: thread?.prio ?? 0, data, _resolve: resolve, _timer: undefined };
      if (!isForever(timeout)) {
        waiter._timer = this.#sched.clock.setTimeout(() => {
          this.#remove(waiter);
          expired?.(waiter);
          resolve(onTimeout);
        }, timeout);
      }
      const index = this.#waiters.findIndex((w) => w.prio > waiter.prio);
      if (index < 0) this.#waiters.push(waiter);
      else this.#waiters.splice(index, 0, waiter);
    });
    return result.then((r) => {
      if (thread) this.#sched.resume(thread);
      return r;
    });
  }

  /** End `waiter`'s wait with `result`; false when it is no longer waiting. */
  wake(waiter: Waiter<D, R>, result: R): boolean {
    if (!this.#remove(waiter)) return false;
    waiter._timer?.cancel();
    waiter._resolve(result);
    return true;
  }

  /** Wake the first waiter with `result`; returns it, or undefined when none waits. */
  wakeFirst(result: R): Waiter<D, R> | undefined {
    const waiter = this.#waiters[0];
    if (waiter !== undefined) this.wake(waiter, result);
    return waiter;
  }

  /** Wake every waiter with `result`; returns how many. */
  wakeAll(result: R): number {
    const all = [...this.#waiters];
    for (const waiter of all) this.wake(waiter, result);
    return all.length;
  }

  #remove(waiter: Waiter<D, R>): boolean {
    const index = this.#waiters.indexOf(waiter);
    if (index < 0) return false;
    this.#waiters.splice(index, 1);
    return true;
  }
}
