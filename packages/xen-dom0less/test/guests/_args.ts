/** Test guests read their parameters from bootargs: `key=value` words. */
export function args(bootargs: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const word of bootargs.split(/\s+/)) {
    const eq = word.indexOf("=");
    if (eq > 0) out.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return out;
}

/** A numeric bootarg, or `fallback`. */
export function num(a: Map<string, string>, key: string, fallback: number): number {
  const v = Number(a.get(key));
  return Number.isFinite(v) ? v : fallback;
}
