/**
 * `k_work`, `k_work_delayable` and `k_work_q`: work items run in order,
 * one at a time, by a work queue thread.
 *
 * @module
 */
import type { TimerHandle } from "@v8r/fvp-core";
import type { Scheduler } from "./_scheduler.ts";
import { KThread, ThreadState } from "./thread.ts";
import { checkTimeout, isForever, type k_timeout_t } from "./timeout.ts";

/** A work handler; runs synchronously on the work queue's thread. */
export type k_work_handler_t = (work: KWork) => void;

/** Items a queue runs before it yields to other timers and threads. */
const BATCH = 64;

/** A work item (`struct k_work`); create with `kernel.k_work_init(handler)`. */
export class KWork {
  /** The handler. */
  readonly handler: k_work_handler_t;
  /** @internal the queue holding or running it. */
  _queue: KWorkQueue | undefined = undefined;
  /** @internal whether it waits in a queue. */
  _queued = false;
  /** @internal whether its handler is running. */
  _running = false;
  /** Free slot for the application (Zephyr uses CONTAINER_OF instead). */
  user_data: unknown = undefined;

  /** Build a work item. */
  constructor(handler: k_work_handler_t) {
    if (typeof handler !== "function") throw new TypeError("[zephyr-shim] k_work_init: the handler must be a function");
    this.handler = handler;
  }

  /** `k_work_is_pending`: queued or running. */
  isPending(): boolean {
    return this._queued || this._running;
  }
}

/** A work queue (`struct k_work_q`) with its own thread. */
export class KWorkQueue {
  /** The queue's thread (for runtime statistics). */
  readonly thread: KThread;
  readonly #sched: Scheduler;
  readonly #onError: (work: KWork, error: unknown) => void;
  #items: KWork[] = [];
  #drainScheduled = false;

  /** Build a queue; prefer `kernel.k_work_queue_start(name, prio)`. */
  constructor(sched: Scheduler, name: string, prio: number, onError: (work: KWork, error: unknown) => void) {
    this.#sched = sched;
    this.#onError = onError;
    this.thread = sched.adopt(new KThread(name, prio));
    this.thread.state = ThreadState.PENDING;
  }

  /** Items waiting now. */
  get length(): number {
    return this.#items.length;
  }

  /** `k_work_submit_to_queue`: 0 already queued, 1 queued, 2 queued while running. */
  submit(work: KWork): number {
    if (work._queued) return 0;
    work._queued = true;
    work._queue = this;
    this.#items.push(work);
    this.#scheduleDrain();
    return work._running ? 2 : 1;
  }

  /** Remove a queued item; returns whether it was queued. */
  remove(work: KWork): boolean {
    const index = this.#items.indexOf(work);
    if (index < 0) return false;
    this.#items.splice(index, 1);
    work._queued = false;
    return true;
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    this.thread.state = ThreadState.READY;
    this.#sched.clock.setTimeout(() => this.#drain(), 0);
  }

  #drain(): void {
    this.#drainScheduled = false;
    for (let n = 0; n < BATCH; n++) {
      const work = this.#items.shift();
      if (!work) break;
      work._queued = false;
      work._running = true;
      try {
        this.#sched.runAs(this.thread, () => work.handler(work));
      } catch (error) {
        this.#onError(work, error);
      } finally {
        work._running = false;
      }
    }
    if (this.#items.length > 0) this.#scheduleDrain();
    else this.thread.state = ThreadState.PENDING;
  }
}

/** A delayable work item (`struct k_work_delayable`). */
export class KWorkDelayable extends KWork {
  /** @internal the pending delay timer. */
  _timer: TimerHandle | undefined = undefined;

  /** `k_work_delayable_is_pending`: delayed, queued or running. */
  override isPending(): boolean {
    return this._timer !== undefined || super.isPending();
  }
}

/** `k_work_schedule_for_queue`: no change when already scheduled or queued (returns 0), else 1. */
export function scheduleDelayable(
  sched: Scheduler,
  queue: KWorkQueue,
  dwork: KWorkDelayable,
  delay: k_timeout_t,
): number {
  checkTimeout("k_work_schedule", delay);
  if (dwork._timer || dwork._queued) return 0;
  if (isForever(delay)) return 0;
  if (delay === 0) return queue.submit(dwork);
  dwork._timer = sched.clock.setTimeout(() => {
    dwork._timer = undefined;
    queue.submit(dwork);
  }, delay);
  return 1;
}

/** `k_work_cancel_delayable`: stop the delay and unqueue; returns whether it is still running. */
export function cancelDelayable(dwork: KWorkDelayable): boolean {
  dwork._timer?.cancel();
  dwork._timer = undefined;
  dwork._queue?.remove(dwork);
  return dwork._running;
}
