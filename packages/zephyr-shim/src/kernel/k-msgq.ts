/**
 * `k_msgq`: a ring of fixed-size messages, copied in and out (Zephyr's
 * message queue). Putters wait while it is full, getters while it is empty;
 * a message put while a getter waits goes straight to that getter.
 *
 * @module
 */
import { K_POLL_STATE, K_POLL_TYPE, PollSite, type Pollable } from "./_poll-site.ts";
import type { Scheduler } from "./_scheduler.ts";
import { WaitQueue } from "./_wait-queue.ts";
import { Errno } from "./errno.ts";
import { checkTimeout, type k_timeout_t } from "./timeout.ts";

/** `struct k_msgq_attrs`, from `k_msgq_get_attrs`. */
export interface k_msgq_attrs {
  /** Bytes per message. */
  readonly msg_size: number;
  /** Capacity in messages. */
  readonly max_msgs: number;
  /** Messages queued now. */
  readonly used_msgs: number;
}

/** A message queue (`struct k_msgq`); create with `kernel.k_msgq_init(msgSize, maxMsgs)`. */
export class KMsgq implements Pollable {
  /** @internal poll events waiting for a message. */
  readonly _poll: PollSite = new PollSite();
  /** Bytes per message. */
  readonly msgSize: number;
  /** Capacity in messages. */
  readonly maxMsgs: number;
  readonly #ring: Uint8Array[] = [];
  /** Getters wait with the buffer to fill. */
  readonly #getters: WaitQueue<Uint8Array, number>;
  /** Putters wait with a copy of their message. */
  readonly #putters: WaitQueue<Uint8Array, number>;

  /** Build a queue; prefer `kernel.k_msgq_init(msgSize, maxMsgs)`. */
  constructor(sched: Scheduler, msgSize: number, maxMsgs: number) {
    if (!Number.isInteger(msgSize) || msgSize < 1) throw new RangeError(`[zephyr-shim] k_msgq_init: message size ${msgSize} must be an integer >= 1`);
    if (!Number.isInteger(maxMsgs) || maxMsgs < 1) throw new RangeError(`[zephyr-shim] k_msgq_init: capacity ${maxMsgs} must be an integer >= 1`);
    this.msgSize = msgSize;
    this.maxMsgs = maxMsgs;
    this.#getters = new WaitQueue(sched);
    this.#putters = new WaitQueue(sched);
  }

  /** `k_msgq_put`: copy the first `msgSize` bytes of `data` in; 0, -ENOMSG (full with K_NO_WAIT, or purged while waiting), -EAGAIN on timeout. */
  put(data: Uint8Array, timeout: k_timeout_t): Promise<number> {
    checkTimeout("k_msgq_put", timeout);
    const msg = this.#copyIn("k_msgq_put", data);
    const getter = this.#getters.first();
    if (getter !== undefined) {
      getter.data.set(msg);
      this.#getters.wake(getter, 0);
      return Promise.resolve(0);
    }
    if (this.#ring.length < this.maxMsgs) {
      this.#ring.push(msg);
      this._poll.notify(K_POLL_STATE.MSGQ_DATA_AVAILABLE);
      return Promise.resolve(0);
    }
    if (timeout === 0) return Promise.resolve(-Errno.ENOMSG);
    return this.#putters.pend(timeout, msg, -Errno.EAGAIN);
  }

  /** `k_msgq_get`: copy the oldest message into `out`; 0, -ENOMSG (empty with K_NO_WAIT), -EAGAIN on timeout. */
  get(out: Uint8Array, timeout: k_timeout_t): Promise<number> {
    checkTimeout("k_msgq_get", timeout);
    this.#checkOut("k_msgq_get", out);
    const msg = this.#ring.shift();
    if (msg !== undefined) {
      out.set(msg);
      const putter = this.#putters.first();
      if (putter !== undefined) {
        this.#ring.push(putter.data);
        this.#putters.wake(putter, 0);
      }
      return Promise.resolve(0);
    }
    if (timeout === 0) return Promise.resolve(-Errno.ENOMSG);
    return this.#getters.pend(timeout, out, -Errno.EAGAIN);
  }

  /** `k_msgq_peek`: copy the oldest message without removing it; 0 or -ENOMSG. */
  peek(out: Uint8Array): number {
    return this.peekAt(out, 0);
  }

  /** `k_msgq_peek_at`: copy message `index` (0 = oldest); 0 or -ENOMSG. */
  peekAt(out: Uint8Array, index: number): number {
    this.#checkOut("k_msgq_peek_at", out);
    const msg = Number.isInteger(index) && index >= 0 ? this.#ring[index] : undefined;
    if (msg === undefined) return -Errno.ENOMSG;
    out.set(msg);
    return 0;
  }

  /** `k_msgq_purge`: drop every message; waiting putters give up with -ENOMSG. */
  purge(): void {
    this.#putters.wakeAll(-Errno.ENOMSG);
    this.#ring.length = 0;
  }

  /** `k_msgq_num_used_get`. */
  numUsed(): number {
    return this.#ring.length;
  }

  /** `k_msgq_num_free_get`. */
  numFree(): number {
    return this.maxMsgs - this.#ring.length;
  }

  /** `k_msgq_get_attrs`. */
  attrs(): k_msgq_attrs {
    return { msg_size: this.msgSize, max_msgs: this.maxMsgs, used_msgs: this.#ring.length };
  }

  /** @internal k_poll: ready while a message is queued. */
  _pollState(type: number): number {
    return type === K_POLL_TYPE.MSGQ_DATA_AVAILABLE && this.#ring.length > 0 ? K_POLL_STATE.MSGQ_DATA_AVAILABLE : 0;
  }

  #copyIn(what: string, data: Uint8Array): Uint8Array {
    if (!(data instanceof Uint8Array)) throw new TypeError(`[zephyr-shim] ${what}: the message must be a Uint8Array`);
    if (data.length < this.msgSize) throw new RangeError(`[zephyr-shim] ${what}: the message has ${data.length} bytes, the queue's messages have ${this.msgSize}`);
    return data.slice(0, this.msgSize);
  }

  #checkOut(what: string, out: Uint8Array): void {
    if (!(out instanceof Uint8Array)) throw new TypeError(`[zephyr-shim] ${what}: the buffer must be a Uint8Array`);
    if (out.length < this.msgSize) throw new RangeError(`[zephyr-shim] ${what}: the buffer has ${out.length} bytes, the queue's messages have ${this.msgSize}`);
  }
}
