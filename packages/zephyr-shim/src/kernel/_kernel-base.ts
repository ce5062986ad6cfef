/**
 * Internal: the core of the Zephyr kernel API subset, one instance per domain. Zephyr's
 * functions are methods of this object with Zephyr's names
 * (`k.k_msleep(100)`, `k.k_timer_start(t, K_MSEC(10), K_MSEC(10))`); the
 * object that Zephyr passes by pointer (`struct k_timer *`) is the object
 * returned by the matching `*_init` method.
 *
 * @module
 */
import { type Clock, type CpuHandle, describeError } from "@v8r/fvp-core";
import { Scheduler } from "./_scheduler.ts";
import { Errno } from "./errno.ts";
import { KHeap } from "./k-heap.ts";
import { KSem } from "./k-sem.ts";
import { KWorkQueue } from "./k-work.ts";
import { LogLevel, Logger, formatPrintf, type LogLevelValue } from "./log.ts";
import { KThread, ThreadState, type k_thread_entry_t, type k_thread_runtime_stats_t } from "./thread.ts";
import { checkTimeout, isForever, K_FOREVER, type k_timeout_t } from "./timeout.ts";

/** What a kernel runs on. */
export interface KernelOptions {
  /** The platform clock (uptime 0 is the moment the kernel is created). */
  readonly clock: Clock;
  /** The CPU whose busy time the kernel's work is charged to. */
  readonly cpu?: CpuHandle;
  /** Console output (printk, logs). */
  readonly write: (text: string) => void;
  /** System heap size in bytes (`CONFIG_HEAP_MEM_POOL_SIZE`), default 16384. */
  readonly heapSize?: number;
  /** Default level of new log modules, default `LOG_LEVEL_INF`. */
  readonly logLevel?: LogLevelValue;
}

/** Options of `k_thread_create`. */
export interface ThreadOptions {
  /** Thread name. */
  readonly name: string;
  /** Entry function; the thread is dead when it returns. */
  readonly entry: k_thread_entry_t;
  /** Priority, default 7 (lower is more urgent). */
  readonly prio?: number;
  /** Start delay, default K_NO_WAIT. */
  readonly delay?: k_timeout_t;
}

/** Priority of the main thread (`CONFIG_MAIN_THREAD_PRIORITY`). */
const MAIN_PRIO = 0;
/** Priority of the system work queue (`CONFIG_SYSTEM_WORKQUEUE_PRIORITY`). */
const SYSWORKQ_PRIO = -1;

/** The kernel's core: time, threads, console and logging (see {@link ZephyrKernel}). */
export class KernelBase {
  /** The clock the kernel runs on. */
  readonly clock: Clock;
  /** The system work queue (`k_sys_work_q`). */
  readonly k_sys_work_q: KWorkQueue;
  /** The main thread; it is the running thread when the kernel is created. */
  readonly main: KThread;
  /** The system heap behind `k_malloc`. */
  readonly heap: KHeap;
  /** @internal the scheduler, shared with the subclass. */
  protected readonly _sched: Scheduler;
  readonly #write: (text: string) => void;
  readonly #bootTime: number;
  readonly #logLevel: LogLevelValue;
  /** @internal the kernel's own log module ("os"). */
  protected readonly _log: Logger;
  readonly #pending = new Set<Promise<unknown>>();

  /** Create a kernel; prefer `bootZephyr(ctx)`, which also prints the banner. */
  constructor(options: KernelOptions) {
    this.clock = options.clock;
    this.#write = options.write;
    this.#bootTime = options.clock.now();
    this.#logLevel = options.logLevel ?? LogLevel.LOG_LEVEL_INF;
    this.heap = new KHeap(options.heapSize ?? 16384);
    this._log = this.LOG_MODULE_REGISTER("os");
    this._sched = new Scheduler(options.clock, options.cpu, (thread, error) =>
      this._log.LOG_ERR("thread %s exited with an error: %s", thread.name, describeError(error).error),
    );
    this.main = this._sched.adopt(new KThread("main", MAIN_PRIO));
    this._sched.resume(this.main);
    this.k_sys_work_q = this._workQueue("sysworkq", SYSWORKQ_PRIO);
  }

  // ---- time ----

  /** `k_uptime_get`: ms since boot (integer). */
  k_uptime_get(): number {
    return Math.floor(this.clock.now() - this.#bootTime);
  }

  /** `k_uptime_get_32`: ms since boot, wrapping at 2^32. */
  k_uptime_get_32(): number {
    return this.k_uptime_get() >>> 0;
  }

  /** `k_uptime_delta`: ms since `ref.value`; updates `ref.value` to now. */
  k_uptime_delta(ref: { value: number }): number {
    const now = this.k_uptime_get();
    const delta = now - ref.value;
    ref.value = now;
    return delta;
  }

  /** `k_cycle_get_32`: the 1 MHz cycle counter (µs since boot, wrapping). */
  k_cycle_get_32(): number {
    return Math.floor((this.clock.now() - this.#bootTime) * 1000) >>> 0;
  }

  /** `sys_clock_hw_cycles_per_sec`: 1,000,000 (one cycle per µs). */
  sys_clock_hw_cycles_per_sec(): number {
    return 1_000_000;
  }

  /** Uptime in fractional ms (log timestamps). */
  uptimeMs(): number {
    return this.clock.now() - this.#bootTime;
  }

  /** `k_sleep`: resolves with 0 after `timeout`, or with the ms left when woken early by `k_wakeup`. Never blocks the JS thread. */
  k_sleep(timeout: k_timeout_t): Promise<number> {
    checkTimeout("k_sleep", timeout);
    const thread = this._sched.block(ThreadState.SLEEPING);
    const started = this.clock.now();
    return new Promise<number>((resolve) => {
      let handle: { cancel(): void } | undefined;
      const done = (left: number): void => {
        if (thread) thread._wake = undefined;
        resolve(left);
      };
      if (!isForever(timeout)) handle = this.clock.setTimeout(() => done(0), timeout);
      if (thread) {
        thread._wake = () => {
          handle?.cancel();
          done(isForever(timeout) ? K_FOREVER : Math.ceil(Math.max(0, started + timeout - this.clock.now())));
        };
      }
    }).then((left) => {
      if (thread) this._sched.resume(thread);
      return left;
    });
  }

  /** `k_msleep`: sleep `ms` milliseconds. */
  k_msleep(ms: number): Promise<number> {
    return this.k_sleep(ms);
  }

  /** `k_usleep`: sleep `us` microseconds. */
  k_usleep(us: number): Promise<number> {
    return this.k_sleep(us / 1000);
  }

  /**
   * `k_busy_wait`: the current thread keeps the CPU busy for `us`
   * microseconds. v8r models it: the time is charged to the thread's runtime
   * and the CPU's load (the platform clock does not move, so a virtual-time
   * run stays deterministic), which is how guest code accounts for work it
   * models rather than does.
   */
  k_busy_wait(us: number): void {
    if (!(us >= 0) || !Number.isFinite(us)) throw new RangeError(`[zephyr-shim] k_busy_wait: ${String(us)} us is not a non-negative number`);
    this._sched.chargeBusy(us / 1000);
  }

  /** `k_yield`: let other ready work run, then continue. */
  k_yield(): Promise<void> {
    const thread = this._sched.block(ThreadState.READY);
    return new Promise<void>((resolve) => this.clock.setTimeout(resolve, 0)).then(() => {
      if (thread) this._sched.resume(thread);
    });
  }

  /** `k_wakeup`: end a thread's sleep early. */
  k_wakeup(thread: KThread): void {
    thread._wake?.();
  }

  // ---- threads ----

  /** `k_thread_create`: start `entry` as a named thread (after `delay`). */
  k_thread_create(options: ThreadOptions): KThread {
    const delay = checkTimeout("k_thread_create delay", options.delay ?? 0);
    if (isForever(delay)) throw new RangeError("[zephyr-shim] k_thread_create: a K_FOREVER delay would never start the thread");
    return this._sched.spawn(options.name, options.prio ?? 7, options.entry, delay);
  }

  /** `k_current_get`: the running thread, undefined in interrupt context. */
  k_current_get(): KThread | undefined {
    return this._sched.current;
  }

  /** `k_thread_name_get`. */
  k_thread_name_get(thread: KThread): string {
    return thread.name;
  }

  /** `k_thread_priority_get`. */
  k_thread_priority_get(thread: KThread): number {
    return thread.prio;
  }

  /** `k_thread_priority_set`. */
  k_thread_priority_set(thread: KThread, prio: number): void {
    if (!Number.isInteger(prio)) throw new TypeError(`[zephyr-shim] k_thread_priority_set: ${prio} is not an integer`);
    thread.prio = prio;
  }

  /** `k_thread_join`: 0 when the thread is dead, -EBUSY with K_NO_WAIT, -EAGAIN on timeout. */
  async k_thread_join(thread: KThread, timeout: k_timeout_t): Promise<number> {
    checkTimeout("k_thread_join", timeout);
    if (thread.state === ThreadState.DEAD) return 0;
    if (timeout === 0) return -Errno.EBUSY;
    const waiter = new KSem(this._sched, 0, 1);
    void thread.joined.then(() => waiter.give());
    return waiter.take(timeout);
  }

  /** `k_thread_abort`: end a thread now (its pending waits are abandoned); aborting `main` is how an app's main() "returns". */
  k_thread_abort(thread: KThread): void {
    if (thread.state !== ThreadState.DEAD) this._sched.finish(thread);
  }

  /** `k_thread_foreach`: visit every thread (dead ones included). */
  k_thread_foreach(visit: (thread: KThread) => void): void {
    for (const thread of [...this._sched.threads]) visit(thread);
  }

  /** `k_thread_runtime_stats_get`. */
  k_thread_runtime_stats_get(thread: KThread): k_thread_runtime_stats_t {
    return thread.runtimeStats();
  }

  /** `k_thread_runtime_stats_all_get`: totals over all threads. */
  k_thread_runtime_stats_all_get(): k_thread_runtime_stats_t {
    let cycles = 0;
    let slices = 0;
    for (const thread of this._sched.threads) {
      const stats = thread.runtimeStats();
      cycles += stats.execution_cycles;
      slices += stats.slices;
    }
    return { execution_cycles: cycles, total_cycles: cycles, slices };
  }

  // ---- console ----

  /** `printk`: printf-style output on the console (no newline added). */
  printk(fmt: string, ...args: unknown[]): void {
    this.#write(formatPrintf(fmt, args));
  }

  /** `LOG_MODULE_REGISTER`: a logger for module `name`. */
  LOG_MODULE_REGISTER(name: string, level: LogLevelValue = this.#logLevel): Logger {
    return new Logger({ uptimeMs: () => this.uptimeMs(), write: (text) => this.#write(text) }, name, level);
  }

  /**
   * Track work that takes real time even on a VirtualClock (such as
   * instantiating a wasm device): the platform clock is held while it is
   * pending (`Clock.hold`; given as a function, it starts in turn, so what it
   * does on its way happens at the same point of every run), and
   * {@link ZephyrKernel.settled} waits for it, so runs stay deterministic.
   */
  track<T>(work: Promise<T> | (() => Promise<T>)): Promise<T> {
    const held = this.clock.hold(work);
    this.#pending.add(held);
    const done = (): void => void this.#pending.delete(held);
    held.then(done, done);
    return held;
  }

  /** Resolves when no tracked work is pending. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** @internal a work queue with its own thread. */
  protected _workQueue(name: string, prio: number): KWorkQueue {
    return new KWorkQueue(this._sched, name, prio, (work, error) =>
      this._log.LOG_ERR("work handler on %s failed: %s", work._queue?.thread.name ?? "?", describeError(error).error),
    );
  }

  /** @internal run a synchronous function as interrupt work (charged to the CPU). */
  _isr<T>(fn: () => T): T {
    return this._sched.isr(fn);
  }
}
