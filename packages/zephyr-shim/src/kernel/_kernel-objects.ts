/**
 * Internal: the kernel methods of the synchronisation and data-passing
 * objects ported code expects (`k_mutex`, `k_msgq`, `k_fifo`, `k_event`,
 * `k_poll`), with Zephyr's names and return codes. Waits take Zephyr
 * timeouts on the kernel clock, so they work the same on a VirtualClock.
 *
 * @module
 */
import { KernelBase } from "./_kernel-base.ts";
import { KEvent } from "./k-event.ts";
import { KFifo } from "./k-fifo.ts";
import { KMsgq, type k_msgq_attrs } from "./k-msgq.ts";
import { KMutex } from "./k-mutex.ts";
import { KPollEvent, KPollSignal, kPoll, type Pollable } from "./k-poll.ts";
import type { k_timeout_t } from "./timeout.ts";

const ANY = { all: false, reset: false, clear: false };

/** Kernel objects on top of {@link KernelBase}; {@link ZephyrKernel} extends it. */
export class KernelObjects extends KernelBase {
  // ---- mutexes ----

  /** `k_mutex_init`: a new, unlocked mutex. */
  k_mutex_init(): KMutex {
    return new KMutex(this._sched);
  }

  /** `k_mutex_lock`: 0, -EBUSY (K_NO_WAIT, locked by another thread) or -EAGAIN (timed out); the owner may lock again. */
  k_mutex_lock(mutex: KMutex, timeout: k_timeout_t): Promise<number> {
    return mutex.lock(timeout);
  }

  /** `k_mutex_unlock`: 0, -EINVAL when not locked, -EPERM when the caller is not the owner. */
  k_mutex_unlock(mutex: KMutex): number {
    return mutex.unlock();
  }

  // ---- message queues ----

  /** `k_msgq_init`: a queue of `maxMsgs` messages of `msgSize` bytes. */
  k_msgq_init(msgSize: number, maxMsgs: number): KMsgq {
    return new KMsgq(this._sched, msgSize, maxMsgs);
  }

  /** `k_msgq_put`: 0, -ENOMSG (full with K_NO_WAIT, or purged while waiting), -EAGAIN (timed out). */
  k_msgq_put(msgq: KMsgq, data: Uint8Array, timeout: k_timeout_t): Promise<number> {
    return msgq.put(data, timeout);
  }

  /** `k_msgq_get`: copies the oldest message into `data`; 0, -ENOMSG (empty with K_NO_WAIT), -EAGAIN (timed out). */
  k_msgq_get(msgq: KMsgq, data: Uint8Array, timeout: k_timeout_t): Promise<number> {
    return msgq.get(data, timeout);
  }

  /** `k_msgq_peek`: 0 or -ENOMSG. */
  k_msgq_peek(msgq: KMsgq, data: Uint8Array): number {
    return msgq.peek(data);
  }

  /** `k_msgq_peek_at`: 0 or -ENOMSG. */
  k_msgq_peek_at(msgq: KMsgq, data: Uint8Array, idx: number): number {
    return msgq.peekAt(data, idx);
  }

  /** `k_msgq_purge`: drop all messages; waiting putters get -ENOMSG. */
  k_msgq_purge(msgq: KMsgq): void {
    msgq.purge();
  }

  /** `k_msgq_num_free_get`. */
  k_msgq_num_free_get(msgq: KMsgq): number {
    return msgq.numFree();
  }

  /** `k_msgq_num_used_get`. */
  k_msgq_num_used_get(msgq: KMsgq): number {
    return msgq.numUsed();
  }

  /** `k_msgq_get_attrs`. */
  k_msgq_get_attrs(msgq: KMsgq): k_msgq_attrs {
    return msgq.attrs();
  }

  // ---- FIFOs ----

  /** `k_fifo_init`: an empty FIFO. */
  k_fifo_init<T = unknown>(): KFifo<T> {
    return new KFifo<T>(this._sched);
  }

  /** `k_fifo_put`. */
  k_fifo_put<T>(fifo: KFifo<T>, item: T): void {
    fifo.put(item);
  }

  /** `k_fifo_put_list`: several items, in order. */
  k_fifo_put_list<T>(fifo: KFifo<T>, items: readonly T[]): void {
    fifo.putList(items);
  }

  /** `k_fifo_get`: the oldest item, or null (empty with K_NO_WAIT, timed out, cancelled). */
  k_fifo_get<T>(fifo: KFifo<T>, timeout: k_timeout_t): Promise<T | null> {
    return fifo.get(timeout);
  }

  /** `k_fifo_cancel_wait`: the first waiting getter returns null. */
  k_fifo_cancel_wait<T>(fifo: KFifo<T>): void {
    fifo.cancelWait();
  }

  /** `k_fifo_is_empty`: non-zero when empty. */
  k_fifo_is_empty<T>(fifo: KFifo<T>): number {
    return fifo.isEmpty();
  }

  /** `k_fifo_peek_head`. */
  k_fifo_peek_head<T>(fifo: KFifo<T>): T | null {
    return fifo.peekHead();
  }

  /** `k_fifo_peek_tail`. */
  k_fifo_peek_tail<T>(fifo: KFifo<T>): T | null {
    return fifo.peekTail();
  }

  // ---- events ----

  /** `k_event_init`: an event object with no bits set. */
  k_event_init(): KEvent {
    return new KEvent(this._sched);
  }

  /** `k_event_post`: OR bits in; returns their previous value. */
  k_event_post(event: KEvent, events: number): number {
    return event.post(events);
  }

  /** `k_event_set`: replace all bits; returns the previous bits. */
  k_event_set(event: KEvent, events: number): number {
    return event.set(events);
  }

  /** `k_event_set_masked`: replace the bits in `mask`; returns their previous value. */
  k_event_set_masked(event: KEvent, events: number, mask: number): number {
    return event.setMasked(events, mask);
  }

  /** `k_event_clear`: returns the previous value of the cleared bits. */
  k_event_clear(event: KEvent, events: number): number {
    return event.clear(events);
  }

  /** `k_event_test`: the bits of `mask` set now. */
  k_event_test(event: KEvent, mask: number): number {
    return event.test(mask);
  }

  /** `k_event_wait`: any of `events`; the matching bits, or 0 on timeout. */
  k_event_wait(event: KEvent, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
    return event.wait(events, { ...ANY, reset }, timeout);
  }

  /** `k_event_wait_all`: all of `events`; the bits, or 0 on timeout. */
  k_event_wait_all(event: KEvent, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
    return event.wait(events, { ...ANY, all: true, reset }, timeout);
  }

  /** `k_event_wait_safe`: like k_event_wait, and the received bits are cleared. */
  k_event_wait_safe(event: KEvent, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
    return event.wait(events, { ...ANY, reset, clear: true }, timeout);
  }

  /** `k_event_wait_all_safe`: like k_event_wait_all, and the received bits are cleared. */
  k_event_wait_all_safe(event: KEvent, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
    return event.wait(events, { all: true, reset, clear: true }, timeout);
  }

  // ---- polling ----

  /** `k_poll_signal_init`: a signal that is not raised. */
  k_poll_signal_init(): KPollSignal {
    return new KPollSignal();
  }

  /** `k_poll_signal_raise`: 0. */
  k_poll_signal_raise(signal: KPollSignal, result: number): number {
    return signal.raise(result);
  }

  /** `k_poll_signal_check`: whether it was raised, and with what result. */
  k_poll_signal_check(signal: KPollSignal): { signaled: number; result: number } {
    return { signaled: signal.signaled, result: signal.result };
  }

  /** `k_poll_signal_reset`: no longer raised. */
  k_poll_signal_reset(signal: KPollSignal): void {
    signal.signaled = 0;
  }

  /** `k_poll_event_init`: an event of `type` (K_POLL_TYPE_*) on `obj` in mode K_POLL_MODE_NOTIFY_ONLY. */
  k_poll_event_init(type: number, mode: number, obj?: Pollable): KPollEvent {
    return new KPollEvent(type, mode, obj);
  }

  /** `k_poll`: 0 when at least one event is ready, -EAGAIN on timeout, -EINTR when a polled FIFO wait was cancelled. */
  k_poll(events: readonly KPollEvent[], timeout: k_timeout_t): Promise<number> {
    return kPoll(this._sched, events, timeout);
  }
}
