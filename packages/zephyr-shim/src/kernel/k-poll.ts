/**
 * `k_poll`: wait until any of several kernel objects is ready (a semaphore
 * with a count, a FIFO or message queue with data, a raised poll signal),
 * in Zephyr's notify-only mode: k_poll reports readiness in each event's
 * `state` and the caller then takes the object itself. As in Zephyr, the
 * caller resets `state` to K_POLL_STATE_NOT_READY before polling again, and
 * an object that becomes ready wakes one poller (the first registered).
 *
 * @module
 */
import { K_POLL_STATE, K_POLL_TYPE, PollSite, type Pollable, type PollRegistration } from "./_poll-site.ts";
import type { Scheduler } from "./_scheduler.ts";
import { WaitQueue } from "./_wait-queue.ts";
import { Errno } from "./errno.ts";
import { checkTimeout, type k_timeout_t } from "./timeout.ts";

export { K_POLL_STATE, K_POLL_TYPE, type Pollable } from "./_poll-site.ts";

/** `K_POLL_TYPE_IGNORE`: the event is skipped. */
export const K_POLL_TYPE_IGNORE = K_POLL_TYPE.IGNORE;
/** `K_POLL_TYPE_SIGNAL`: a `k_poll_signal` was raised. */
export const K_POLL_TYPE_SIGNAL = K_POLL_TYPE.SIGNAL;
/** `K_POLL_TYPE_SEM_AVAILABLE`: a semaphore has a count. */
export const K_POLL_TYPE_SEM_AVAILABLE = K_POLL_TYPE.SEM_AVAILABLE;
/** `K_POLL_TYPE_DATA_AVAILABLE`: a FIFO has an item. */
export const K_POLL_TYPE_DATA_AVAILABLE = K_POLL_TYPE.DATA_AVAILABLE;
/** `K_POLL_TYPE_FIFO_DATA_AVAILABLE` (same as DATA_AVAILABLE). */
export const K_POLL_TYPE_FIFO_DATA_AVAILABLE = K_POLL_TYPE.DATA_AVAILABLE;
/** `K_POLL_TYPE_MSGQ_DATA_AVAILABLE`: a message queue has a message. */
export const K_POLL_TYPE_MSGQ_DATA_AVAILABLE = K_POLL_TYPE.MSGQ_DATA_AVAILABLE;
/** `K_POLL_STATE_NOT_READY`. */
export const K_POLL_STATE_NOT_READY = K_POLL_STATE.NOT_READY;
/** `K_POLL_STATE_SIGNALED`. */
export const K_POLL_STATE_SIGNALED = K_POLL_STATE.SIGNALED;
/** `K_POLL_STATE_SEM_AVAILABLE`. */
export const K_POLL_STATE_SEM_AVAILABLE = K_POLL_STATE.SEM_AVAILABLE;
/** `K_POLL_STATE_DATA_AVAILABLE`. */
export const K_POLL_STATE_DATA_AVAILABLE = K_POLL_STATE.DATA_AVAILABLE;
/** `K_POLL_STATE_FIFO_DATA_AVAILABLE` (same as DATA_AVAILABLE). */
export const K_POLL_STATE_FIFO_DATA_AVAILABLE = K_POLL_STATE.DATA_AVAILABLE;
/** `K_POLL_STATE_CANCELLED`: `k_fifo_cancel_wait` while polling (k_poll returns -EINTR). */
export const K_POLL_STATE_CANCELLED = K_POLL_STATE.CANCELLED;
/** `K_POLL_STATE_MSGQ_DATA_AVAILABLE`. */
export const K_POLL_STATE_MSGQ_DATA_AVAILABLE = K_POLL_STATE.MSGQ_DATA_AVAILABLE;
/** `K_POLL_MODE_NOTIFY_ONLY`: the only mode Zephyr has. */
export const K_POLL_MODE_NOTIFY_ONLY = 0;

const TYPES = new Set<number>(Object.values(K_POLL_TYPE));

/** A poll signal (`struct k_poll_signal`); create with `kernel.k_poll_signal_init()`. */
export class KPollSignal implements Pollable {
  /** @internal poll events waiting for the signal. */
  readonly _poll: PollSite = new PollSite();
  /** 1 once raised, until reset. */
  signaled = 0;
  /** The value given to the last raise. */
  result = 0;

  /** `k_poll_signal_raise`: set it with `result` and wake a poller; returns 0. */
  raise(result: number): number {
    if (!Number.isInteger(result)) throw new TypeError(`[zephyr-shim] k_poll_signal_raise: result ${String(result)} is not an integer`);
    this.signaled = 1;
    this.result = result;
    this._poll.notify(K_POLL_STATE.SIGNALED);
    return 0;
  }

  /** @internal k_poll: ready while raised. */
  _pollState(type: number): number {
    return type === K_POLL_TYPE.SIGNAL && this.signaled !== 0 ? K_POLL_STATE.SIGNALED : 0;
  }
}

/** A poll event (`struct k_poll_event`); create with `kernel.k_poll_event_init(type, mode, obj)`. */
export class KPollEvent {
  /** What it waits for (a K_POLL_TYPE_* value). */
  readonly type: number;
  /** K_POLL_MODE_NOTIFY_ONLY. */
  readonly mode: number;
  /** The object polled (undefined for K_POLL_TYPE_IGNORE). */
  readonly obj: Pollable | undefined;
  /** K_POLL_STATE_* bits set by k_poll; reset it to K_POLL_STATE_NOT_READY before polling again. */
  state: number = K_POLL_STATE.NOT_READY;
  /** A tag of the caller's own, untouched by the kernel. */
  tag = 0;

  /** Build an event; prefer `kernel.k_poll_event_init(type, mode, obj)`. */
  constructor(type: number, mode: number, obj: Pollable | undefined) {
    if (!TYPES.has(type)) throw new RangeError(`[zephyr-shim] k_poll_event_init: type ${type} is not one of the K_POLL_TYPE_* values`);
    if (mode !== K_POLL_MODE_NOTIFY_ONLY) throw new RangeError(`[zephyr-shim] k_poll_event_init: mode ${mode} is not K_POLL_MODE_NOTIFY_ONLY`);
    if (type !== K_POLL_TYPE.IGNORE && !isPollable(obj)) {
      throw new TypeError("[zephyr-shim] k_poll_event_init: the object is not a semaphore, FIFO, message queue or poll signal of this kernel");
    }
    this.type = type;
    this.mode = mode;
    this.obj = obj;
  }
}

function isPollable(obj: unknown): obj is Pollable {
  return typeof obj === "object" && obj !== null && (obj as Pollable)._poll instanceof PollSite && typeof (obj as Pollable)._pollState === "function";
}

/**
 * `k_poll`: 0 as soon as at least one event is ready (its `state` says
 * why), -EAGAIN when none is within `timeout` (at once with K_NO_WAIT),
 * -EINTR when a polled FIFO's wait was cancelled.
 */
export function kPoll(sched: Scheduler, events: readonly KPollEvent[], timeout: k_timeout_t): Promise<number> {
  checkTimeout("k_poll", timeout);
  if (!Array.isArray(events) || events.some((e) => !(e instanceof KPollEvent))) {
    throw new TypeError("[zephyr-shim] k_poll: events must be an array of k_poll_event_init() results");
  }
  let ready = false;
  for (const e of events) {
    const state = e.obj?._pollState(e.type) ?? 0;
    if (state !== 0) {
      e.state |= state;
      ready = true;
    }
  }
  if (ready) return Promise.resolve(0);
  if (timeout === 0) return Promise.resolve(-Errno.EAGAIN);
  const queue = new WaitQueue<undefined, number>(sched);
  const regs: Array<{ site: PollSite; reg: PollRegistration }> = [];
  const unregister = (): void => regs.forEach(({ site, reg }) => site.remove(reg));
  const result = queue.pend(timeout, undefined, -Errno.EAGAIN, unregister);
  const waiter = queue.first();
  for (const e of events) {
    if (e.obj === undefined || e.type === K_POLL_TYPE.IGNORE) continue;
    const reg: PollRegistration = {
      fire: (state) => {
        e.state |= state;
        unregister();
        if (waiter !== undefined) queue.wake(waiter, state === K_POLL_STATE.CANCELLED ? -Errno.EINTR : 0);
      },
    };
    e.obj._poll.add(reg);
    regs.push({ site: e.obj._poll, reg });
  }
  return result;
}
