/**
 * `k_sem`: a counting semaphore with a limit; takers wait asynchronously,
 * highest priority first, FIFO among equal priorities.
 *
 * @module
 */
import type { TimerHandle } from "@v8r/fvp-core";
import type { Scheduler } from "./_scheduler.ts";
import { Errno } from "./errno.ts";
import { ThreadState, type KThread } from "./thread.ts";
import { checkTimeout, isForever, type k_timeout_t } from "./timeout.ts";

interface Waiter {
  readonly thread: KThread | undefined;
  readonly prio: number;
  readonly resolve: (result: number) => void;
  timer: TimerHandle | undefined;
}

/** A counting semaphore (`struct k_sem`); create with `kernel.k_sem_init(initial, limit)`. */
export class KSem {
  readonly #sched: Scheduler;
  #count: number;
  readonly #limit: number;
  #waiters: Waiter[] = [];

  /** Build a semaphore; prefer `kernel.k_sem_init(initial, limit)`. */
  constructor(sched: Scheduler, initial: number, limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`[zephyr-shim] k_sem_init: limit ${limit} must be an integer >= 1`);
    }
    if (!Number.isInteger(initial) || initial < 0 || initial > limit) {
      throw new RangeError(`[zephyr-shim] k_sem_init: initial count ${initial} must be an integer in 0..${limit}`);
    }
    this.#sched = sched;
    this.#count = initial;
    this.#limit = limit;
  }

  /** `k_sem_count_get`. */
  countGet(): number {
    return this.#count;
  }

  /** Number of threads waiting. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** `k_sem_take`: 0 when taken, -EBUSY when not available with K_NO_WAIT, -EAGAIN on timeout. */
  take(timeout: k_timeout_t): Promise<number> {
    checkTimeout("k_sem_take", timeout);
    if (this.#count > 0) {
      this.#count--;
      return Promise.resolve(0);
    }
    if (timeout === 0) return Promise.resolve(-Errno.EBUSY);
    const thread = this.#sched.block(ThreadState.PENDING);
    const result = new Promise<number>((resolve) => {
      const waiter: Waiter = { thread, prio: thread?.prio ?? 0, resolve, timer: undefined };
      if (!isForever(timeout)) {
        waiter.timer = this.#sched.clock.setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          resolve(-Errno.EAGAIN);
        }, timeout);
      }
      this.#enqueue(waiter);
    });
    return result.then((code) => {
      if (thread) this.#sched.resume(thread);
      return code;
    });
  }

  /** `k_sem_give`: wake the first waiter, or count up to the limit. */
  give(): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.timer?.cancel();
      waiter.resolve(0);
      return;
    }
    if (this.#count < this.#limit) this.#count++;
  }

  /** `k_sem_reset`: count to 0; waiters are released with -EAGAIN. */
  reset(): void {
    this.#count = 0;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      waiter.timer?.cancel();
      waiter.resolve(-Errno.EAGAIN);
    }
  }

  #enqueue(waiter: Waiter): void {
    const index = this.#waiters.findIndex((w) => w.prio > waiter.prio);
    if (index < 0) this.#waiters.push(waiter);
    else this.#waiters.splice(index, 0, waiter);
  }
}
