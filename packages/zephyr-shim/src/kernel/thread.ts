/**
 * Zephyr threads as cooperative named tasks: each is an async function with
 * a priority, a state and a measured run time.
 *
 * @module
 */

/** Thread states as Zephyr's thread analyzer and shell name them. */
export const ThreadState = {
  RUNNING: "running",
  READY: "ready",
  PENDING: "pending",
  SLEEPING: "sleeping",
  DEAD: "dead",
} as const;

/** One of the values of {@link ThreadState}. */
export type ThreadStateName = (typeof ThreadState)[keyof typeof ThreadState];

/** A thread's entry point: an async function that receives its own thread object. */
export type k_thread_entry_t = (self: KThread) => Promise<void> | void;

/** Runtime statistics of a thread, as `k_thread_runtime_stats_get` reports them (1 cycle = 1 µs). */
export interface k_thread_runtime_stats_t {
  /** Cycles (µs) the thread ran since it was created. */
  readonly execution_cycles: number;
  /** Same as `execution_cycles` (Zephyr counts idle separately). */
  readonly total_cycles: number;
  /** Number of slices the thread ran (times it was scheduled in). */
  readonly slices: number;
}

/**
 * A thread control block (`struct k_thread`). Created by
 * `kernel.k_thread_create`; the kernel updates its state and run time.
 */
export class KThread {
  /** Thread name (`k_thread_name_get`). */
  readonly name: string;
  /** Priority: lower is more urgent; negative values are cooperative in Zephyr. */
  prio: number;
  /** Current state. */
  state: ThreadStateName = ThreadState.READY;
  /** Milliseconds this thread has run in total (all its synchronous slices). */
  runtimeMs = 0;
  /** Number of slices run so far. */
  slices = 0;
  /** The error that ended the thread, when its entry threw. */
  error: unknown = undefined;
  /** Resolves when the thread is dead (`k_thread_join` with K_FOREVER). */
  readonly joined: Promise<void>;
  /** @internal resolves `joined`. */
  _markJoined: () => void = () => {};
  /** @internal wakes a sleeping thread early (`k_wakeup`). */
  _wake: (() => void) | undefined = undefined;

  /** Build a thread control block; use `kernel.k_thread_create` to run one. */
  constructor(name: string, prio: number) {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError("[zephyr-shim] creating a thread: the name must be a non-empty string");
    }
    if (!Number.isInteger(prio)) {
      throw new TypeError(`[zephyr-shim] creating thread ${name}: priority ${String(prio)} is not an integer`);
    }
    this.name = name;
    this.prio = prio;
    this.joined = new Promise<void>((resolve) => {
      this._markJoined = resolve;
    });
  }

  /** The thread's runtime statistics. */
  runtimeStats(): k_thread_runtime_stats_t {
    const cycles = Math.round(this.runtimeMs * 1000);
    return { execution_cycles: cycles, total_cycles: cycles, slices: this.slices };
  }
}
