/**
 * A domain's kernel command line (`bootargs` of its kernel module, what
 * `DomainContext.bootargs` holds): space-separated `key=value` words and
 * bare flags, as `/proc/cmdline` shows them. The one parser every guest
 * and app of v8r uses.
 *
 * @module
 */

/** A bootarg whose value cannot be used: `code` is `"EINVAL"`, as a kernel parameter handler returns. */
export class BootargError extends Error {
  /** Always `"EINVAL"`. */
  readonly code = "EINVAL" as const;
  /** The parameter, e.g. `period_ms`. */
  readonly key: string;
  /** Its value as written. */
  readonly value: string;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(key: string, value: string, message: string) {
    super(message);
    this.name = "BootargError";
    this.key = key;
    this.value = value;
  }
}

/**
 * Split a command line into its parameters. A bare word maps to `""`; a
 * repeated key keeps its last value (as Linux's `__setup` handlers see it);
 * double quotes group a value with spaces (`console="hvc0 x"`).
 *
 * @example
 * ```ts
 * parseBootargs("console=hvc0 autorun=0 evtchn=0xa quiet").get("evtchn"); // "0xa"
 * ```
 */
export function parseBootargs(cmdline: string): Map<string, string> {
  if (typeof cmdline !== "string") throw new TypeError(`[xen-dom0less] parseBootargs needs a string, got ${typeof cmdline}`);
  const out = new Map<string, string>();
  const re = /([^\s=]+)(?:=("([^"]*)"|\S*))?/g;
  for (const m of cmdline.matchAll(re)) {
    const key = m[1] ?? "";
    const value = m[3] ?? m[2] ?? "";
    out.set(key, value);
  }
  return out;
}

/**
 * The words of a command line in order, as a program's argv gets them: a
 * double-quoted stretch belongs to its word, the quotes dropped.
 *
 * @example
 * ```ts
 * bootargWords('count=3 name="a b" quiet'); // ["count=3", "name=a b", "quiet"]
 * ```
 */
export function bootargWords(cmdline: string): string[] {
  if (typeof cmdline !== "string") throw new TypeError(`[xen-dom0less] bootargWords needs a string, got ${typeof cmdline}`);
  return [...cmdline.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0].replace(/"/g, ""));
}

/**
 * Write parameters back as a command line (values with spaces in double
 * quotes), in the map's order.
 *
 * @example
 * ```ts
 * formatBootargs(new Map([["period_ms", "500"], ["quiet", ""]])); // "period_ms=500 quiet"
 * ```
 */
export function formatBootargs(args: ReadonlyMap<string, string>): string {
  return [...args].map(([k, v]) => (v === "" ? k : /\s/.test(v) ? `${k}="${v}"` : `${k}=${v}`)).join(" ");
}

/** Inclusive limits of an integer parameter. */
export interface BootargRange {
  /** Smallest value allowed. */
  readonly min?: number;
  /** Largest value allowed. */
  readonly max?: number;
}

/**
 * Read an integer parameter (decimal or `0x` hex); `fallback` when absent or
 * empty. Throws a {@link BootargError} naming the parameter when the value is
 * not an integer or is outside `range`.
 *
 * @example
 * ```ts
 * bootargInt(parseBootargs("period_ms=500"), "period_ms", 1000, { min: 100, max: 60000 }); // 500
 * ```
 */
export function bootargInt(args: ReadonlyMap<string, string>, key: string, fallback: number, range: BootargRange = {}): number {
  const raw = args.get(key);
  if (raw === undefined || raw === "") return fallback;
  const value = /^0x[0-9a-f]+$/i.test(raw) ? Number.parseInt(raw.slice(2), 16) : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const limits = range.max === undefined ? (range.min === undefined ? "" : ` >= ${min}`) : range.min === undefined ? ` <= ${max}` : ` in ${min}..${max}`;
    throw new BootargError(key, raw, `[xen-dom0less] bootargs: ${key}=${raw} is not an integer${limits}`);
  }
  return value;
}

/** Read a boolean parameter: `0`, `n`, `no`, `off`, `false` are false; a bare flag and anything else is true. */
export function bootargFlag(args: ReadonlyMap<string, string>, key: string, fallback: boolean): boolean {
  const raw = args.get(key);
  if (raw === undefined) return fallback;
  return !/^(0|n|no|off|false)$/i.test(raw);
}
