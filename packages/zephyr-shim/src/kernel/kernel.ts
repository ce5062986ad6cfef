/**
 * The Zephyr kernel API subset, one instance per domain. Zephyr's
 * functions are methods of this object with Zephyr's names
 * (`k.k_msleep(100)`, `k.k_timer_start(t, K_MSEC(10), K_MSEC(10))`); the
 * object that Zephyr passes by pointer (`struct k_timer *`) is the object
 * returned by the matching `*_init` method.
 *
 * @module
 */
import { KernelObjects } from "./_kernel-objects.ts";
import type { HeapBlock, sys_memory_stats } from "./k-heap.ts";
import { KSem } from "./k-sem.ts";
import { KTimer, type k_timer_fn } from "./k-timer.ts";
import { KWork, KWorkDelayable, KWorkQueue, cancelDelayable, scheduleDelayable, type k_work_handler_t } from "./k-work.ts";
import { ThreadState } from "./thread.ts";
import type { k_timeout_t } from "./timeout.ts";

export type { KernelOptions, ThreadOptions } from "./_kernel-base.ts";

/** A Zephyr kernel instance (one per domain; no global state). */
export class ZephyrKernel extends KernelObjects {
  // ---- timers ----

  /** `k_timer_init`: a new timer with an expiry and a stop function (both run in interrupt context). */
  k_timer_init(expiry?: k_timer_fn, stop?: k_timer_fn): KTimer {
    return new KTimer(this._sched, expiry, stop);
  }

  /** `k_timer_start`: first expiry after `duration`, then every `period`. */
  k_timer_start(timer: KTimer, duration: k_timeout_t, period: k_timeout_t): void {
    timer.start(duration, period);
  }

  /** `k_timer_stop`. */
  k_timer_stop(timer: KTimer): void {
    timer.stop();
  }

  /** `k_timer_status_get`: expiries since the last call. */
  k_timer_status_get(timer: KTimer): number {
    return timer.statusGet();
  }

  /** `k_timer_status_sync`: wait for the next expiry or stop. */
  k_timer_status_sync(timer: KTimer): Promise<number> {
    const thread = this._sched.block(ThreadState.PENDING);
    return timer.statusSync().then((status) => {
      if (thread) this._sched.resume(thread);
      return status;
    });
  }

  /** `k_timer_remaining_get`: ms to the next expiry. */
  k_timer_remaining_get(timer: KTimer): number {
    return timer.remainingGet();
  }

  // ---- work ----

  /** `k_work_init`: a new work item. */
  k_work_init(handler: k_work_handler_t): KWork {
    return new KWork(handler);
  }

  /** `k_work_init_delayable`: a new delayable work item. */
  k_work_init_delayable(handler: k_work_handler_t): KWorkDelayable {
    return new KWorkDelayable(handler);
  }

  /** `k_work_queue_start`: a new work queue with its own thread. */
  k_work_queue_start(name: string, prio: number): KWorkQueue {
    return this._workQueue(name, prio);
  }

  /** `k_work_submit`: queue on the system work queue (0 already queued, 1 queued, 2 queued while running). */
  k_work_submit(work: KWork): number {
    return this.k_sys_work_q.submit(work);
  }

  /** `k_work_submit_to_queue`. */
  k_work_submit_to_queue(queue: KWorkQueue, work: KWork): number {
    return queue.submit(work);
  }

  /** `k_work_cancel`: remove a queued item; returns whether it is still running. */
  k_work_cancel(work: KWork): boolean {
    work._queue?.remove(work);
    return work._running;
  }

  /** `k_work_is_pending`. */
  k_work_is_pending(work: KWork): boolean {
    return work.isPending();
  }

  /** `k_work_schedule`: run after `delay` on the system queue, unless already scheduled. */
  k_work_schedule(dwork: KWorkDelayable, delay: k_timeout_t): number {
    return scheduleDelayable(this._sched, this.k_sys_work_q, dwork, delay);
  }

  /** `k_work_schedule_for_queue`. */
  k_work_schedule_for_queue(queue: KWorkQueue, dwork: KWorkDelayable, delay: k_timeout_t): number {
    return scheduleDelayable(this._sched, queue, dwork, delay);
  }

  /** `k_work_reschedule`: (re)start the delay on the system queue. */
  k_work_reschedule(dwork: KWorkDelayable, delay: k_timeout_t): number {
    cancelDelayable(dwork);
    return scheduleDelayable(this._sched, this.k_sys_work_q, dwork, delay);
  }

  /** `k_work_cancel_delayable`: returns whether the handler is still running. */
  k_work_cancel_delayable(dwork: KWorkDelayable): boolean {
    return cancelDelayable(dwork);
  }

  /** `k_work_delayable_is_pending`. */
  k_work_delayable_is_pending(dwork: KWorkDelayable): boolean {
    return dwork.isPending();
  }

  // ---- semaphores ----

  /** `k_sem_init`: a new semaphore. */
  k_sem_init(initial: number, limit: number): KSem {
    return new KSem(this._sched, initial, limit);
  }

  /** `k_sem_take`: 0, -EBUSY (K_NO_WAIT, unavailable) or -EAGAIN (timed out). */
  k_sem_take(sem: KSem, timeout: k_timeout_t): Promise<number> {
    return sem.take(timeout);
  }

  /** `k_sem_give`. */
  k_sem_give(sem: KSem): void {
    sem.give();
  }

  /** `k_sem_reset`. */
  k_sem_reset(sem: KSem): void {
    sem.reset();
  }

  /** `k_sem_count_get`. */
  k_sem_count_get(sem: KSem): number {
    return sem.countGet();
  }

  // ---- heap ----

  /** `k_malloc`: a block from the system heap, or null when it is exhausted. */
  k_malloc(size: number): HeapBlock | null {
    return this.heap.alloc(size);
  }

  /** `k_free`. */
  k_free(block: HeapBlock | null): void {
    this.heap.free(block);
  }

  /** `sys_heap_runtime_stats_get` of the system heap. */
  sys_heap_runtime_stats_get(): sys_memory_stats {
    return this.heap.stats();
  }

}
