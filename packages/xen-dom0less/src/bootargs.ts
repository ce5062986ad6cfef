/**
 * A domain's kernel command line (`bootargs` of its kernel module, what
 * `DomainContext.bootargs` holds): space-separated `key=value` words and
 * bare flags, as `/proc/cmdline` shows them, double quotes protecting
 * spaces in a value as Linux's parser reads them. The one parser every
 * guest and app of v8r uses, and the writer of the words v8r adds.
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
 * One parameter of a command line as Linux's `next_arg()` splits it: the
 * parameter name, its value (`undefined` for a bare word, which has no
 * `=`), and the word as written (quotes included).
 */
export interface Bootarg {
  /** The parameter name, e.g. `console`. */
  readonly key: string;
  /** Its value with the protecting quotes removed; `undefined` when the word has no `=`. */
  readonly value: string | undefined;
  /** The word as it stands on the command line, quotes and all. */
  readonly text: string;
  /** A double quote opened in this word is never closed, so it runs to the end of the line. */
  readonly unterminated: boolean;
}

/**
 * What separates words: the characters the kernel's `isspace()` takes in
 * ASCII (tab, LF, VT, FF, CR, space). The kernel also takes the byte 0xA0;
 * in UTF-8 that byte only occurs inside a multi-byte character, and v8r
 * reads characters, so it splits only here ({@link formatBootargs} quotes
 * every non-ASCII value so that a real kernel keeps it whole too).
 */
function isSpace(c: string): boolean {
  return c === " " || (c >= "\t" && c <= "\r");
}

/** The word starting at `at` (not a space): where it ends, and the parameter it holds. */
function nextArg(cmdline: string, at: number): { end: number; arg: Bootarg } {
  // The word may open with a quote ("key=a b") and so may its value (key="a b"); every quote
  // toggles whether a space ends the word, and nothing escapes a quote.
  const quoted = cmdline[at] === '"';
  const start = quoted ? at + 1 : at;
  let inQuote = quoted;
  let equals = -1;
  let end = start;
  for (; end < cmdline.length; end++) {
    const c = cmdline[end] ?? "";
    if (!inQuote && isSpace(c)) break;
    // as in next_arg(), an `=` first in the word is part of the name (which would be empty)
    if (equals < 0 && c === "=" && end > start) equals = end;
    if (c === '"') inQuote = !inQuote;
  }
  // Each opening quote (the word's, the value's) takes the word's last character with it when
  // that is a quote, but the last character goes only once.
  let stop = end;
  const dropClosingQuote = (): void => {
    if (stop === end && cmdline[end - 1] === '"') stop = end - 1;
  };
  let valueStart = -1;
  if (equals >= 0) {
    valueStart = equals + 1;
    if (cmdline[valueStart] === '"') {
      valueStart += 1;
      dropClosingQuote();
    }
  }
  if (quoted) dropClosingQuote();
  const key = cmdline.slice(start, equals >= 0 ? equals : stop);
  const value = equals < 0 ? undefined : cmdline.slice(valueStart, Math.max(valueStart, stop));
  return { end, arg: { key, value, text: cmdline.slice(at, end), unterminated: inQuote } };
}

/**
 * Split a command line into its parameters the way Linux does
 * (`next_arg()`): words end at white space outside double quotes; a quote
 * may open the value (`key="a b"`) or the whole word (`"key=a b"`), and is
 * removed with the word's closing quote; a quote elsewhere stays in the
 * value; there is no escape for a quote, and one never closed runs to the
 * end of the line.
 *
 * @example
 * ```ts
 * splitBootargs('quiet rootfs="/a b"').map((a) => a.value); // [undefined, "/a b"]
 * ```
 */
export function splitBootargs(cmdline: string): Bootarg[] {
  if (typeof cmdline !== "string") throw new TypeError(`[xen-dom0less] splitBootargs needs a string, got ${typeof cmdline}`);
  const out: Bootarg[] = [];
  let at = 0;
  for (;;) {
    while (at < cmdline.length && isSpace(cmdline[at] ?? "")) at++;
    if (at >= cmdline.length) return out;
    const { end, arg } = nextArg(cmdline, at);
    out.push(arg);
    at = end;
  }
}

/**
 * The parameters of a command line by name (see {@link splitBootargs} for
 * the quoting rules): a bare word maps to `""`; a repeated key keeps its
 * last value (as Linux's `__setup` handlers see it).
 *
 * @example
 * ```ts
 * parseBootargs("console=hvc0 autorun=0 evtchn=0xa quiet").get("evtchn"); // "0xa"
 * parseBootargs('rootfs="/tmp/my dir" quiet').get("rootfs"); // "/tmp/my dir"
 * ```
 */
export function parseBootargs(cmdline: string): Map<string, string> {
  if (typeof cmdline !== "string") throw new TypeError(`[xen-dom0less] parseBootargs needs a string, got ${typeof cmdline}`);
  return new Map(splitBootargs(cmdline).map((a) => [a.key, a.value ?? ""]));
}

/**
 * The words of a command line in order, as a program's argv gets them and
 * as Linux hands unknown parameters to init: `key=value` with the
 * protecting quotes removed (see {@link splitBootargs}).
 *
 * @example
 * ```ts
 * bootargWords('count=3 name="a b" quiet'); // ["count=3", "name=a b", "quiet"]
 * ```
 */
export function bootargWords(cmdline: string): string[] {
  if (typeof cmdline !== "string") throw new TypeError(`[xen-dom0less] bootargWords needs a string, got ${typeof cmdline}`);
  return splitBootargs(cmdline).map((a) => (a.value === undefined ? a.key : `${a.key}=${a.value}`));
}

/**
 * Why `value` cannot be carried by a kernel command line, or `undefined`
 * when it can: Linux has no escape for a double quote, NUL ends the device
 * tree string, and the command line is one line of text.
 *
 * @example
 * ```ts
 * bootargValueProblem("/tmp/my dir"); // undefined (it is written in quotes)
 * bootargValueProblem('/tmp/say "hi"'); // "contains a double quote, ..."
 * ```
 */
export function bootargValueProblem(value: string): string | undefined {
  if (value.includes('"')) return "contains a double quote, which a kernel command line cannot carry (Linux's parser has no escape for it)";
  const control = /[\u0000-\u001f\u007f]/.exec(value)?.[0];
  if (control !== undefined) {
    const code = `U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    return `contains a control character (${code}), which a kernel command line cannot carry (NUL ends it, and it is one line of text)`;
  }
  return undefined;
}

/**
 * Write parameters back as a command line, in the map's order; `""` writes
 * a bare word. A value with white space, or with any non-ASCII character
 * (its UTF-8 may hold the byte 0xA0, which the kernel's `isspace()` takes),
 * is written `key="value"`. Throws a {@link BootargError} for a value that
 * {@link bootargValueProblem} refuses, a RangeError for a key that is not
 * one word without `=` or quotes.
 *
 * @example
 * ```ts
 * formatBootargs(new Map([["period_ms", "500"], ["quiet", ""], ["rootfs", "/a b"]])); // 'period_ms=500 quiet rootfs="/a b"'
 * ```
 */
export function formatBootargs(args: ReadonlyMap<string, string>): string {
  const words: string[] = [];
  for (const [key, value] of args) {
    if (!/^[\u0021-\u007e]+$/.test(key) || /[="]/.test(key)) {
      throw new RangeError(`[xen-dom0less] formatBootargs: the key ${JSON.stringify(key)} is not a parameter name (printable ASCII, no space, = or ")`);
    }
    const problem = bootargValueProblem(value);
    if (problem !== undefined) throw new BootargError(key, value, `[xen-dom0less] bootargs: the value of ${key}, ${JSON.stringify(value)}, ${problem}`);
    // past the checks, anything but printable ASCII is a space or a non-ASCII character
    words.push(value === "" ? key : /[^\u0021-\u007e]/.test(value) ? `${key}="${value}"` : `${key}=${value}`);
  }
  return words.join(" ");
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
