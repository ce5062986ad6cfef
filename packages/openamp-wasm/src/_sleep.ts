/**
 * @internal The sleep behind libmetal's `metal_sleep_usec`: a real sleep where
 * this thread may block (a Worker, Node's main thread: `Atomics.wait` on a
 * private cell nobody notifies), a plain return (a yield) where it may not (a
 * browser's main thread).
 */
export function makeSleep(canBlock: boolean = agentCanBlock()): (usec: number) => void {
  if (!canBlock) return () => {};
  const cell = new Int32Array(new SharedArrayBuffer(4));
  return (usec) => {
    if (usec > 0) Atomics.wait(cell, 0, 0, usec / 1000);
  };
}

/** Whether `Atomics.wait` may block here: probe with a value that does not match, which returns at once where allowed. */
export function agentCanBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
