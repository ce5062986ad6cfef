/** A scheduled callback; `cancel()` is idempotent. */
export interface TimerHandle {
  /** Stop the timer; a one-shot timer that already fired is unaffected. */
  cancel(): void;
  /** True until the timer fired (one-shot) or was cancelled. */
  readonly active: boolean;
}

/**
 * Time source and timers of the platform. Times are milliseconds since the
 * clock started, fractional values allowed. Its `now` and `setTimeout` are
 * the one clock shape of v8r (openamp-wasm's `Clock`, which takes this one
 * as is); the rest is what a platform adds.
 */
export interface Clock {
  /** Milliseconds since the clock started. */
  now(): number;
  /** Run `cb` once after `delayMs` (negative delays count as 0). */
  setTimeout(cb: () => void, delayMs: number): TimerHandle;
  /** Run `cb` every `periodMs` (must be > 0) until cancelled. */
  setInterval(cb: () => void, periodMs: number): TimerHandle;
  /**
   * Mark real work (loading or compiling a module, file I/O) that takes no
   * simulated time: a virtual clock does not advance while it is pending, so
   * a run does not depend on how fast the host machine is. Pass the work as
   * a function when it has effects the simulation sees (it creates timers,
   * sends events, writes shared memory, prints): a virtual clock then starts
   * it only when the work held before it is done, so those effects happen
   * at the same point of every run. A real clock runs it at once and returns
   * its promise.
   */
  hold<T>(work: Promise<T> | (() => Promise<T>)): Promise<T>;
  /**
   * Mark real work that takes no simulated time and that the simulation
   * never waits for (writing a file the guest only publishes): a virtual
   * clock keeps firing timers while it is pending, but a run
   * (`VirtualClock.run`) does not end before it settled, so what the work
   * leaves behind is complete when the run returns. A real clock returns
   * `work` unchanged.
   */
  background<T>(work: Promise<T>): Promise<T>;
  /** `"real"` for wall-clock time, `"virtual"` for discrete-event time. */
  readonly kind: "real" | "virtual";
}
