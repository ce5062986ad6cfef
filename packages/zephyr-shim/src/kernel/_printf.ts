/**
 * Internal: the subset of C `printf` formatting that `printk` and the
 * `LOG_*` macros accept: `%d %i %u %x %X %o %c %s %p %f %%`, with flags
 * `-` and `0`, a width, a precision and the length modifiers `h l ll z`
 * (ignored: numbers are JS numbers or bigints).
 *
 * @module
 */

const SPEC = /%([-0+ #]*)(\d+|\*)?(?:\.(\d+|\*))?(?:hh|h|ll|l|z|j|t)?([diuxXocspfeg%])/g;

function toInteger(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === "boolean") return value ? 1n : 0n;
  return 0n;
}

function convert(conv: string, value: unknown, precision: number | undefined): string {
  switch (conv) {
    case "d":
    case "i":
    case "u":
      return toInteger(value).toString(10);
    case "x":
      return toInteger(value).toString(16);
    case "X":
      return toInteger(value).toString(16).toUpperCase();
    case "o":
      return toInteger(value).toString(8);
    case "p":
      return `0x${toInteger(value).toString(16)}`;
    case "c":
      return typeof value === "number" ? String.fromCharCode(value) : String(value).slice(0, 1);
    case "s": {
      const text = String(value);
      return precision === undefined ? text : text.slice(0, precision);
    }
    case "e":
      return Number(value).toExponential(precision ?? 6);
    case "g":
      return String(Number(Number(value).toPrecision(precision || 6)));
    default:
      return Number(value).toFixed(precision ?? 6);
  }
}

function pad(text: string, flags: string, width: number, numeric: boolean): string {
  if (text.length >= width) return text;
  if (flags.includes("-")) return text.padEnd(width);
  if (numeric && flags.includes("0")) {
    const sign = text.startsWith("-") ? "-" : "";
    return sign + text.slice(sign.length).padStart(width - sign.length, "0");
  }
  return text.padStart(width);
}

/** Format `fmt` with `args` like C's `printf`; extra arguments are ignored, missing ones print as 0 or "". */
export function formatPrintf(fmt: string, args: readonly unknown[]): string {
  let next = 0;
  const take = (): unknown => args[next++];
  return fmt.replace(SPEC, (_all, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
    if (conv === "%") return "%";
    const w = width === "*" ? Number(take()) : Number(width ?? 0);
    const p = precision === undefined ? undefined : precision === "*" ? Number(take()) : Number(precision);
    const value = take();
    const text = convert(conv, value ?? (conv === "s" ? "" : 0), p);
    return pad(text, flags, w, conv !== "s" && conv !== "c");
  });
}
