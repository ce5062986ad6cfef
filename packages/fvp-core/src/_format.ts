/** Internal formatting helpers for error messages. */

/** Format an address as `0x7fe0_1000` (groups of four hex digits). */
export function hex(n: number | bigint): string {
  const digits = n.toString(16);
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 4) {
    groups.unshift(digits.slice(Math.max(0, end - 4), end));
  }
  return `0x${groups.join("_")}`;
}

/** Format a half-open range `[base, base + size)` as `0x1000..0x2000`. */
export function range(base: number, size: number): string {
  return `${hex(base)}..${hex(base + size)}`;
}

/** Prefix used by every error message of this package. */
export const PREFIX = "[fvp-core]";
