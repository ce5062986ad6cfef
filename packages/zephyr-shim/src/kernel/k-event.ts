/**
 * `k_event`: 32 event bits that threads wait on, for any or all of a set.
 * Posting wakes every waiter whose condition the new bits satisfy; the
 * `_safe` waits consume the bits they receive.
 *
 * @module
 */
import type { Scheduler } from "./_scheduler.ts";
import { WaitQueue } from "./_wait-queue.ts";
import { checkTimeout, type k_timeout_t } from "./timeout.ts";

interface EventWait {
  readonly events: number;
  readonly all: boolean;
  readonly clear: boolean;
}

/** The bits of `current` that satisfy a wait for `desired` (all of them with `all`), else 0. */
function matched(desired: number, current: number, all: boolean): number {
  const match = (desired & current) >>> 0;
  return all && match !== desired ? 0 : match;
}

function u32(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`[zephyr-shim] ${what}: ${value} is not a 32-bit event set`);
  return value >>> 0;
}

/** An event object (`struct k_event`); create with `kernel.k_event_init()`. */
export class KEvent {
  #events = 0;
  readonly #waiters: WaitQueue<EventWait, number>;

  /** Build an event object; prefer `kernel.k_event_init()`. */
  constructor(sched: Scheduler) {
    this.#waiters = new WaitQueue(sched);
  }

  /** The current event bits. */
  get events(): number {
    return this.#events;
  }

  /** `k_event_post`: OR `events` in; returns the previous value of those bits. */
  post(events: number): number {
    const e = u32("k_event_post", events);
    return this.#update(e, e);
  }

  /** `k_event_set`: replace all bits; returns the previous bits. */
  set(events: number): number {
    return this.#update(u32("k_event_set", events), 0xffffffff);
  }

  /** `k_event_set_masked`: replace the bits in `mask`; returns their previous value. */
  setMasked(events: number, mask: number): number {
    return this.#update(u32("k_event_set_masked", events), u32("k_event_set_masked", mask));
  }

  /** `k_event_clear`: clear `events`; returns their previous value. */
  clear(events: number): number {
    return this.#update(0, u32("k_event_clear", events));
  }

  /** `k_event_test`: the bits of `mask` that are set now. */
  test(mask: number): number {
    return (this.#events & u32("k_event_test", mask)) >>> 0;
  }

  /**
   * `k_event_wait` / `_wait_all` / `_wait_safe` / `_wait_all_safe`: the
   * received bits, or 0 when the wait timed out (or nothing matched with
   * K_NO_WAIT). `reset` clears all bits before waiting; `clear` consumes
   * what is received.
   */
  wait(events: number, opts: { all: boolean; reset: boolean; clear: boolean }, timeout: k_timeout_t): Promise<number> {
    const desired = u32("k_event_wait", events);
    checkTimeout("k_event_wait", timeout);
    if (desired === 0) return Promise.resolve(0);
    if (opts.reset) this.#events = 0;
    const got = matched(desired, this.#events, opts.all);
    if (got !== 0) {
      if (opts.clear) this.#events = (this.#events & ~got) >>> 0;
      return Promise.resolve(got);
    }
    if (timeout === 0) return Promise.resolve(0);
    return this.#waiters.pend(timeout, { events: desired, all: opts.all, clear: opts.clear }, 0);
  }

  /** Apply `(events & mask)` over the bits in `mask`, wake the satisfied waiters, keep what they did not consume. */
  #update(events: number, mask: number): number {
    const previous = (this.#events & mask) >>> 0;
    const next = ((this.#events & ~mask) | (events & mask)) >>> 0;
    let consumed = 0;
    for (const w of this.#waiters.list()) {
      const got = matched(w.data.events, next, w.data.all);
      if (got === 0) continue;
      if (w.data.clear) consumed |= got;
      this.#waiters.wake(w, got);
    }
    this.#events = (next & ~consumed) >>> 0;
    return previous;
  }
}
