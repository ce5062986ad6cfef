/**
 * Parse a kernel command line (`bootargs`) into `key=value` pairs; a bare
 * word is a key with the value `""`.
 *
 * @module
 */

/** Parse `"period_ms=500 seed=7 quiet"` into a map. */
export function parseBootargs(bootargs: string): Map<string, string> {
  const args = new Map<string, string>();
  for (const word of bootargs.split(/\s+/)) {
    if (word.length === 0) continue;
    const eq = word.indexOf("=");
    if (eq < 0) args.set(word, "");
    else args.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return args;
}

/** An integer bootarg in `min..max`, `fallback` when absent; a RangeError naming the argument when malformed. */
export function intArg(args: Map<string, string>, key: string, fallback: number, min: number, max: number): number {
  const text = args.get(key);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) {
    throw new RangeError(`[zephyr-shim] bootargs ${key}=${text}: expected an integer in ${min}..${max}`);
  }
  return value;
}
