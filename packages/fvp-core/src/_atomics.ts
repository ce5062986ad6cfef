/** Internal: typed access to `Atomics.waitAsync` (ES2024; missing in some browsers). */

/** Result of `Atomics.waitAsync`. */
export type WaitAsyncResult =
  | { async: false; value: "not-equal" | "timed-out" }
  | { async: true; value: Promise<"ok" | "timed-out"> };

/** `Atomics.waitAsync` when the host has it. */
export const waitAsync: ((ta: Int32Array, index: number, value: number, timeoutMs?: number) => WaitAsyncResult) | undefined = (() => {
  const fn = (Atomics as unknown as { waitAsync?: (ta: Int32Array, i: number, v: number, t?: number) => WaitAsyncResult }).waitAsync;
  return typeof fn === "function" ? fn.bind(Atomics) : undefined;
})();
