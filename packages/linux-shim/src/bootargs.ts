/**
 * The kernel command line of the Linux guest (`bootargs`): space-separated
 * `key=value` words and bare flags, as `/proc/cmdline` shows them.
 *
 * @module
 */

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
  if (typeof cmdline !== "string") throw new TypeError(`[linux-shim] parseBootargs needs a string, got ${typeof cmdline}`);
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
 * Read an integer parameter (decimal or `0x` hex); `fallback` when absent.
 * Throws a TypeError naming the parameter when the value is not a number.
 */
export function bootargInt(args: ReadonlyMap<string, string>, key: string, fallback: number): number {
  const raw = args.get(key);
  if (raw === undefined || raw === "") return fallback;
  const value = /^0x[0-9a-f]+$/i.test(raw) ? Number.parseInt(raw.slice(2), 16) : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new TypeError(`[linux-shim] bootargs: ${key}=${raw} is not an integer`);
  return value;
}

/** Read a boolean parameter: `0`, `n`, `no`, `off`, `false` are false; a bare flag and anything else is true. */
export function bootargFlag(args: ReadonlyMap<string, string>, key: string, fallback: boolean): boolean {
  const raw = args.get(key);
  if (raw === undefined) return fallback;
  return !/^(0|n|no|off|false)$/i.test(raw);
}
