/**
 * Internal: the `k_poll` side of a pollable kernel object (semaphore, FIFO,
 * message queue, poll signal): the poll events registered on it and the
 * state bits Zephyr defines (`K_POLL_STATE_*`, `K_POLL_TYPE_*`).
 *
 * @module
 */

/** `K_POLL_TYPE_*`: what a poll event waits for (one bit each, as in Zephyr). */
export const K_POLL_TYPE = {
  IGNORE: 0,
  SIGNAL: 1,
  SEM_AVAILABLE: 2,
  DATA_AVAILABLE: 4,
  MSGQ_DATA_AVAILABLE: 8,
} as const;

/** `K_POLL_STATE_*`: why a poll event is ready (one bit each, as in Zephyr). */
export const K_POLL_STATE = {
  NOT_READY: 0,
  SIGNALED: 1,
  SEM_AVAILABLE: 2,
  DATA_AVAILABLE: 4,
  CANCELLED: 8,
  MSGQ_DATA_AVAILABLE: 16,
} as const;

/** A poll event registered on an object by a waiting `k_poll`. */
export interface PollRegistration {
  /** The object became ready (`state`): mark the event and wake the poller. */
  fire(state: number): void;
}

/** An object `k_poll` can wait on. */
export interface Pollable {
  /** @internal the poll events registered on it. */
  readonly _poll: PollSite;
  /** @internal the K_POLL_STATE bit when it satisfies a `type` event now, else 0. */
  _pollState(type: number): number;
}

/** The poll events waiting on one object. */
export class PollSite {
  #regs: PollRegistration[] = [];

  /** Register a waiting poll event. */
  add(reg: PollRegistration): void {
    this.#regs.push(reg);
  }

  /** Forget a poll event (its k_poll returned). */
  remove(reg: PollRegistration): void {
    const i = this.#regs.indexOf(reg);
    if (i >= 0) this.#regs.splice(i, 1);
  }

  /** The object became ready: like Zephyr, signal the first registered poll event only. */
  notify(state: number): void {
    this.#regs.shift()?.fire(state);
  }
}
