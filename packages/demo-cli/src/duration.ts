/**
 * Parse human durations such as `90s`, `1h30m` or `500ms`.
 *
 * @module
 */

/** Milliseconds per duration unit accepted by {@link parseDuration}. */
export const DURATION_UNITS_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;

/** A unit name accepted by {@link parseDuration}. */
export type DurationUnit = keyof typeof DURATION_UNITS_MS;

/** Error thrown by {@link parseDuration} for text that is not a duration. */
export class DurationError extends Error {
  /** Stable code callers can test for. */
  readonly code = "V8R_DEMO_DURATION" as const;
  /** The text that could not be read. */
  readonly input: string;
  /** Build an error for `input`; `reason` says what was wrong. */
  constructor(input: string, reason: string) {
    super(`[v8r-demo] reading the duration "${input}": ${reason}`);
    this.name = "DurationError";
    this.input = input;
  }
}

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Turn a duration such as `1h`, `90s`, `500ms`, `2m`, `1.5s` or `1h30m`
 * into whole milliseconds (rounded). A bare number is refused: say the unit.
 *
 * @param text the duration; units `ms`, `s`, `m`, `h`, `d`, largest first
 * @returns the duration in milliseconds, >= 0
 * @throws DurationError for anything else
 * @example
 * ```ts
 * parseDuration("1h"); // 3600000
 * parseDuration("1m30s"); // 90000
 * ```
 */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (input === "") throw new DurationError(text, "it is empty");
  if (/^\d+(\.\d+)?$/.test(input)) {
    throw new DurationError(text, "it has no unit (write e.g. 90s, 500ms, 2m or 1h)");
  }
  let total = 0;
  let lastUnitMs = Number.POSITIVE_INFINITY;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const start = PART.lastIndex;
    const match = PART.exec(input);
    if (match === null) {
      throw new DurationError(text, `unexpected "${input.slice(start)}" (units: ms, s, m, h, d)`);
    }
    const unitMs = DURATION_UNITS_MS[match[2] as DurationUnit];
    if (unitMs >= lastUnitMs) {
      throw new DurationError(text, "units must go from largest to smallest, each once");
    }
    lastUnitMs = unitMs;
    total += Number(match[1]) * unitMs;
  }
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) throw new DurationError(text, "it is too long");
  return ms;
}

/**
 * Format milliseconds the way {@link parseDuration} reads them, e.g.
 * `formatDuration(90000) === "1m30s"`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`[v8r-demo] formatting a duration: ${ms} is not a whole number of ms >= 0`);
  }
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = DURATION_UNITS_MS[unit];
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
