/**
 * Zephyr timeouts. A `k_timeout_t` here is a number of milliseconds;
 * `K_FOREVER` (-1) waits without limit and `K_NO_WAIT` (0) does not wait.
 *
 * @module
 */

/** A Zephyr timeout in milliseconds: `K_NO_WAIT`, `K_FOREVER` or `K_MSEC(n)`. */
export type k_timeout_t = number;

/** Do not wait. */
export const K_NO_WAIT: k_timeout_t = 0;

/** Wait without limit. */
export const K_FOREVER: k_timeout_t = -1;

/** A timeout of `ms` milliseconds. */
export function K_MSEC(ms: number): k_timeout_t {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`[zephyr-shim] K_MSEC(${ms}): a timeout must be a finite number of ms >= 0`);
  }
  return ms;
}

/** A timeout of `s` seconds. */
export function K_SECONDS(s: number): k_timeout_t {
  return K_MSEC(s * 1000);
}

/** Whether a timeout means "wait forever". */
export function isForever(timeout: k_timeout_t): boolean {
  return timeout === K_FOREVER || timeout === Number.POSITIVE_INFINITY;
}

/** Validate a timeout argument of a kernel call; returns it unchanged. */
export function checkTimeout(what: string, timeout: k_timeout_t): k_timeout_t {
  if (isForever(timeout)) return timeout;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(`[zephyr-shim] ${what}: timeout ${String(timeout)} is not K_NO_WAIT, K_FOREVER or a number of ms >= 0`);
  }
  return timeout;
}
