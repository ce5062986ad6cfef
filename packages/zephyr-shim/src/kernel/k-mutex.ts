/**
 * `k_mutex`: a reentrant mutex owned by a thread, with priority
 * inheritance: while more urgent threads wait, the owner runs at the most
 * urgent of their priorities, and gets its own back when it unlocks (or when
 * those waits time out).
 *
 * @module
 */
import type { Scheduler } from "./_scheduler.ts";
import { WaitQueue } from "./_wait-queue.ts";
import { Errno } from "./errno.ts";
import type { KThread } from "./thread.ts";
import { checkTimeout, type k_timeout_t } from "./timeout.ts";

/** A mutex (`struct k_mutex`); create with `kernel.k_mutex_init()`. */
export class KMutex {
  readonly #sched: Scheduler;
  readonly #waiters: WaitQueue<KThread, number>;
  #owner: KThread | undefined;
  #lockCount = 0;
  /** The owner's priority before inheritance. */
  #ownerPrio = 0;

  /** Build a mutex; prefer `kernel.k_mutex_init()`. */
  constructor(sched: Scheduler) {
    this.#sched = sched;
    this.#waiters = new WaitQueue(sched);
  }

  /** The owning thread, undefined when unlocked. */
  get owner(): KThread | undefined {
    return this.#owner;
  }

  /** How many times the owner has locked it (0 when unlocked). */
  get lockCount(): number {
    return this.#lockCount;
  }

  /** `k_mutex_lock`: 0 when locked (again, by its owner), -EBUSY with K_NO_WAIT, -EAGAIN on timeout. */
  lock(timeout: k_timeout_t): Promise<number> {
    checkTimeout("k_mutex_lock", timeout);
    const me = this.#current("k_mutex_lock");
    if (this.#owner === undefined || this.#owner === me) {
      if (this.#owner === undefined) {
        this.#owner = me;
        this.#ownerPrio = me.prio;
      }
      this.#lockCount++;
      return Promise.resolve(0);
    }
    if (timeout === 0) return Promise.resolve(-Errno.EBUSY);
    const owner = this.#owner;
    if (me.prio < owner.prio) owner.prio = me.prio;
    return this.#waiters.pend(timeout, me, -Errno.EAGAIN, () => this.#adjustOwnerPrio());
  }

  /** `k_mutex_unlock`: 0; -EINVAL when it is not locked, -EPERM when the caller does not own it. */
  unlock(): number {
    const me = this.#current("k_mutex_unlock");
    if (this.#owner === undefined) return -Errno.EINVAL;
    if (this.#owner !== me) return -Errno.EPERM;
    if (--this.#lockCount > 0) return 0;
    me.prio = this.#ownerPrio;
    const next = this.#waiters.first();
    if (next === undefined) {
      this.#owner = undefined;
      return 0;
    }
    this.#owner = next.data;
    this.#ownerPrio = next.data.prio;
    this.#lockCount = 1;
    this.#waiters.wake(next, 0);
    this.#adjustOwnerPrio();
    return 0;
  }

  /** Owner priority = the more urgent of its own and its most urgent waiter's. */
  #adjustOwnerPrio(): void {
    const owner = this.#owner;
    if (owner === undefined) return;
    const top = this.#waiters.first();
    owner.prio = top !== undefined ? Math.min(this.#ownerPrio, top.prio) : this.#ownerPrio;
  }

  #current(what: string): KThread {
    const me = this.#sched.current;
    if (me === undefined) throw new Error(`[zephyr-shim] ${what}: mutexes cannot be used in interrupt context (no thread is running)`);
    return me;
  }
}
