/**
 * Internal: which thread runs, slice timing and CPU accounting.
 *
 * Threads are async functions. A slice starts when the kernel resumes a
 * thread (its wait completed) and ends when the thread calls the next
 * blocking kernel primitive or returns. Synchronous work (work items,
 * timer expiry functions, event handlers) runs inside `cpu.busy()`.
 *
 * @module
 */
import type { Clock, CpuHandle } from "@v8r/fvp-core";
import { KThread, ThreadState, type ThreadStateName, type k_thread_entry_t } from "./thread.ts";

/**
 * The time source of slice measurements: `performance.now()` on a real
 * clock; the clock itself on a virtual clock, where synchronous code takes
 * no time, so runs stay deterministic.
 */
function timeSource(clock: Clock): () => number {
  return clock.kind === "virtual" ? () => clock.now() : () => globalThis.performance.now();
}

/** Internal scheduler state of one kernel. */
export class Scheduler {
  readonly clock: Clock;
  readonly cpu: CpuHandle | undefined;
  readonly threads: KThread[] = [];
  current: KThread | undefined = undefined;
  #sliceStart = 0;
  #onCrash: (thread: KThread, error: unknown) => void;
  readonly #now: () => number;

  constructor(clock: Clock, cpu: CpuHandle | undefined, onCrash: (thread: KThread, error: unknown) => void) {
    this.clock = clock;
    this.#now = timeSource(clock);
    this.cpu = cpu;
    this.#onCrash = onCrash;
  }

  /** Run a synchronous function as busy time of the CPU ("interrupt" context). */
  isr<T>(fn: () => T): T {
    return this.cpu ? this.cpu.busy(fn) : fn();
  }

  /** Run a synchronous function as a slice of `thread` (work queues). */
  runAs<T>(thread: KThread, fn: () => T): T {
    const previous = this.current;
    const previousStart = this.#sliceStart;
    this.current = thread;
    thread.state = ThreadState.RUNNING;
    thread.slices++;
    const t0 = this.#now();
    try {
      return this.isr(fn);
    } finally {
      thread.runtimeMs += this.#now() - t0;
      if (thread.state === ThreadState.RUNNING) thread.state = ThreadState.READY;
      this.current = previous;
      this.#sliceStart = previousStart + (this.#now() - t0);
    }
  }

  /** Make `thread` the running one and start timing its slice. */
  resume(thread: KThread): void {
    if (thread.state === ThreadState.DEAD) return;
    if (this.current && this.current !== thread) this.block(ThreadState.READY);
    this.current = thread;
    thread.state = ThreadState.RUNNING;
    thread.slices++;
    this.#sliceStart = this.#now();
  }

  /** End the current thread's slice; it enters `state`. Returns that thread. */
  block(state: ThreadStateName): KThread | undefined {
    const thread = this.current;
    if (!thread) return undefined;
    const ran = this.#now() - this.#sliceStart;
    thread.runtimeMs += ran;
    this.#accountCpu(ran);
    thread.state = state;
    this.current = undefined;
    return thread;
  }

  /** Create and start a thread after `delayMs`. */
  spawn(name: string, prio: number, entry: k_thread_entry_t, delayMs: number): KThread {
    const thread = new KThread(name, prio);
    this.threads.push(thread);
    this.clock.setTimeout(() => this.#start(thread, entry), delayMs);
    return thread;
  }

  /** Register a thread that is driven elsewhere (main, work queues, idle). */
  adopt(thread: KThread): KThread {
    this.threads.push(thread);
    return thread;
  }

  /** Mark a thread dead (its entry returned or threw). */
  finish(thread: KThread, error?: unknown): void {
    if (this.current === thread) this.block(ThreadState.DEAD);
    thread.state = ThreadState.DEAD;
    if (error !== undefined) {
      thread.error = error;
      this.#onCrash(thread, error);
    }
    thread._markJoined();
  }

  #start(thread: KThread, entry: k_thread_entry_t): void {
    if (thread.state === ThreadState.DEAD) return;
    this.resume(thread);
    let result: Promise<void> | void;
    try {
      result = entry(thread);
    } catch (error) {
      this.finish(thread, error);
      return;
    }
    Promise.resolve(result).then(
      () => this.finish(thread),
      (error: unknown) => this.finish(thread, error),
    );
  }

  /** Modelled busy time (`k_busy_wait`) from now on: charged to the current thread (if any) and the CPU. */
  chargeBusy(ms: number): void {
    if (this.current) this.current.runtimeMs += ms;
    if (this.cpu && ms > 0) this.cpu.chargeAhead(ms);
  }

  /** Charge an async slice (already run, so `busy()` cannot wrap it) to the CPU. */
  #accountCpu(ms: number): void {
    if (this.cpu && ms > 0) this.cpu.charge(ms);
  }
}
