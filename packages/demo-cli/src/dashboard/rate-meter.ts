/**
 * Messages per second from a cumulative counter, over a sliding window,
 * for the dashboard's link figures. Pure; works on any clock (wall or
 * simulated).
 *
 * @module
 */

/** A per-second rate over a sliding window. */
export interface RateMeter {
  /** Record the counter's running total at time `nowMs` (times must not go back). */
  record(total: number, nowMs: number): void;
  /** Events per second over the window ending at the last record; 0 with fewer than two records. */
  perSecond(): number;
}

/**
 * Build a rate meter.
 *
 * @param windowMs how far back the rate looks; default 5000
 * @example
 * ```ts
 * const tx = createRateMeter();
 * tx.record(0, 0);
 * tx.record(10, 2000);
 * tx.perSecond(); // 5
 * ```
 */
export function createRateMeter(windowMs = 5000): RateMeter {
  if (!(windowMs > 0)) throw new RangeError(`[v8r-demo] creating a rate meter: windowMs must be > 0 (got ${windowMs})`);
  const points: { t: number; total: number }[] = [];
  return {
    record(total, nowMs) {
      const last = points.at(-1);
      if (last !== undefined && nowMs < last.t) {
        throw new RangeError(`[v8r-demo] recording a rate: time went back from ${last.t} to ${nowMs}`);
      }
      points.push({ t: nowMs, total });
      // Keep one point at or before the window's start, to span the whole window.
      while (points.length > 2 && (points[1]?.t ?? 0) <= nowMs - windowMs) points.shift();
    },
    perSecond() {
      const first = points[0];
      const last = points.at(-1);
      if (first === undefined || last === undefined || last.t === first.t) return 0;
      return ((last.total - first.total) * 1000) / (last.t - first.t);
    },
  };
}
