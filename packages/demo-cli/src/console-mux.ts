/**
 * Merge the console lines of Xen, the guests and v8r-demo itself into one
 * output: prefixed with their source, coloured on a terminal, or one JSON
 * object per line; keeps the last lines of each source for the dashboard.
 * Pure: writes to any {@link TextSink}.
 *
 * @module
 */
import type { LogFormat } from "./options.ts";

/** The console sources of the demo. Other names (more domains) work too. */
export const ConsoleSource = { xen: "xen", zephyr: "zephyr", linux: "linux", v8r: "v8r" } as const;
/** A console source name. */
export type ConsoleSource = (typeof ConsoleSource)[keyof typeof ConsoleSource] | (string & {});

/** Severity of a console line; `error` lines pass `--quiet`. */
export type ConsoleLevel = "info" | "error";

/** Where text goes (a stream, a test buffer). */
export interface TextSink {
  /** Write text as it is (it ends with a newline when it is a line). */
  write(text: string): void;
}

/** One line that went through the mux. */
export interface ConsoleEntry {
  /** Time the line was taken, from `now()`. */
  readonly t: number;
  /** Its source. */
  readonly source: ConsoleSource;
  /** The text, without the newline. */
  readonly line: string;
  /** Its severity. */
  readonly level: ConsoleLevel;
}

/** A byte or text stream of one source, cut into lines. */
export interface ConsoleWriter {
  /** Add output; complete lines are emitted at once. */
  write(chunk: string | Uint8Array): void;
  /** Emit a pending partial line. */
  flush(): void;
}

/** Options of {@link createConsoleMux}. */
export interface ConsoleMuxOptions {
  /** Where the lines go. */
  readonly out: TextSink;
  /** ANSI colours (see {@link shouldUseColor}); default false. */
  readonly color?: boolean;
  /** `text` (default) or `json`. */
  readonly format?: LogFormat;
  /** Only v8r's own lines and errors; default false. Tails keep everything. */
  readonly quiet?: boolean;
  /** Lines kept per source for {@link ConsoleMux.tail}; default 50. */
  readonly tailLines?: number;
  /** Clock for `t` (ms); default `Date.now`. A virtual clock fits. */
  readonly now?: () => number;
  /** Sources known up front (prefix width, order of `tails()`); default xen, zephyr, linux, v8r. */
  readonly sources?: readonly string[];
  /**
   * The output is a terminal a person types into: show unfinished lines
   * ({@link ConsoleMux.prompt}) as they come. Only in text format and not
   * quiet; default false.
   */
  readonly interactive?: boolean;
}

/** The merged console. */
export interface ConsoleMux {
  /** Emit one line (text with newlines is split into several). */
  line(source: ConsoleSource, text: string, level?: ConsoleLevel): void;
  /** A writer cutting a stream of `source` into lines (UTF-8 for bytes). */
  writer(source: ConsoleSource): ConsoleWriter;
  /** The last lines of `source`, oldest first. */
  tail(source: ConsoleSource): string[];
  /** The tails of every source seen or known. */
  tails(): Record<string, string[]>;
  /** Call `listener` for every line (also in quiet mode); returns an unsubscribe function. */
  subscribe(listener: (entry: ConsoleEntry) => void): () => void;
  /** Emit the partial lines of every writer. */
  flush(): void;
  /**
   * The unfinished last line of `source` (a shell prompt, then the guest's
   * echo of what is typed): on an interactive terminal it is shown at once,
   * without a line feed, and the next line completes or follows it. A
   * no-op when not interactive.
   */
  prompt(source: ConsoleSource, text: string): void;
  /**
   * What the user typed for `source` on a terminal that echoes it itself
   * (stdin in line mode): the terminal already shows the finished line, so
   * the guest's echo of it is not printed again.
   */
  typed(source: ConsoleSource, text: string): void;
}

const ANSI = { reset: "\x1b[0m", dim: "\x1b[2m", red: "\x1b[31m" } as const;
const SOURCE_COLOURS: Record<string, string> = {
  xen: "\x1b[33m",
  zephyr: "\x1b[36m",
  linux: "\x1b[32m",
  v8r: "\x1b[35m",
};
const EXTRA_COLOURS = ["\x1b[34m", "\x1b[96m", "\x1b[92m", "\x1b[93m"] as const;

/**
 * Whether to colour output: only on a terminal, and never when `NO_COLOR`
 * is set to a non-empty value (https://no-color.org); `FORCE_COLOR` set
 * to anything but `0` forces colours on.
 *
 * @example
 * ```ts
 * shouldUseColor({ isTTY: true, env: { NO_COLOR: "1" } }); // false
 * ```
 */
export function shouldUseColor(target: { isTTY?: boolean; env: Record<string, string | undefined> }): boolean {
  if ((target.env.NO_COLOR ?? "") !== "") return false;
  const force = target.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0";
  return target.isTTY === true;
}

function colourOf(source: string): string {
  const known = SOURCE_COLOURS[source];
  if (known !== undefined) return known;
  let h = 0;
  for (const ch of source) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return EXTRA_COLOURS[h % EXTRA_COLOURS.length] ?? ANSI.reset;
}

/**
 * One output line for `entry`: `source | text` with the source padded to
 * `width` (coloured when `color`), or a JSON object `{t, source, line}`
 * (plus `level` for errors).
 *
 * @example
 * ```ts
 * formatConsoleEntry({ t: 0, source: "xen", line: "hi", level: "info" }, { format: "text", color: false, width: 6 });
 * // "xen    | hi\n"
 * ```
 */
export function formatConsoleEntry(entry: ConsoleEntry, style: { format: LogFormat; color: boolean; width: number }): string {
  if (style.format === "json") {
    const json: Record<string, unknown> = { t: entry.t, source: entry.source, line: entry.line };
    if (entry.level === "error") json.level = "error";
    return `${JSON.stringify(json)}\n`;
  }
  const prefix = entry.source.padEnd(style.width);
  if (!style.color) return `${prefix} | ${entry.line}\n`;
  const body = entry.level === "error" ? `${ANSI.red}${entry.line}${ANSI.reset}` : entry.line;
  return `${colourOf(entry.source)}${prefix}${ANSI.reset} ${ANSI.dim}|${ANSI.reset} ${body}\n`;
}

/**
 * Build a console mux.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const mux = createConsoleMux({ out: { write: (t) => out.push(t) } });
 * mux.line("zephyr", "sampling every 1000 ms");
 * out[0]; // "zephyr | sampling every 1000 ms\n"
 * ```
 */
export function createConsoleMux(options: ConsoleMuxOptions): ConsoleMux {
  const { out, color = false, format = "text", quiet = false, now = Date.now } = options;
  const tailLines = options.tailLines ?? 50;
  if (!Number.isInteger(tailLines) || tailLines < 0) {
    throw new RangeError(`[v8r-demo] creating a console mux: tailLines must be a whole number >= 0 (got ${tailLines})`);
  }
  const known = options.sources ?? Object.values(ConsoleSource);
  const tails = new Map<string, string[]>(known.map((s) => [s, []]));
  const width = Math.max(0, ...known.map((s) => s.length));
  const listeners = new Set<(entry: ConsoleEntry) => void>();
  const writers = new Set<ConsoleWriter>();
  const interactive = options.interactive === true && format === "text" && !quiet;
  /** An unfinished line on screen, the cursor after it. */
  let open: { source: string; text: string } | undefined;
  /** A line the terminal shows finished (prompt and what the user typed), until the guest echoes it. */
  let echoed: { source: string; line: string } | undefined;

  /** Write a line, continuing or closing the unfinished one on screen. */
  const show = (entry: ConsoleEntry): void => {
    if (echoed !== undefined && echoed.source === entry.source) {
      const seen = echoed.line === entry.line;
      echoed = undefined;
      if (seen) return;
    }
    if (open !== undefined) {
      const continues = open.source === entry.source && entry.line.startsWith(open.text);
      out.write(continues ? `${entry.line.slice(open.text.length)}\n` : "\n");
      open = undefined;
      if (continues) return;
    }
    out.write(formatConsoleEntry(entry, { format, color, width }));
  };

  const emit = (source: string, line: string, level: ConsoleLevel): void => {
    const entry: ConsoleEntry = { t: now(), source, line, level };
    let tail = tails.get(source);
    if (tail === undefined) tails.set(source, (tail = []));
    tail.push(line);
    if (tail.length > tailLines) tail.splice(0, tail.length - tailLines);
    if (!quiet || source === ConsoleSource.v8r || level === "error") show(entry);
    for (const listener of listeners) listener(entry);
  };

  const mux: ConsoleMux = {
    line(source, text, level = "info") {
      const lines = text.replace(/\r\n?/g, "\n").split("\n");
      if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
      for (const l of lines) emit(source, l, level);
    },
    writer(source) {
      const writer = createLineWriter((l) => emit(source, l, "info"));
      writers.add(writer);
      return writer;
    },
    tail: (source) => [...(tails.get(source) ?? [])],
    tails: () => Object.fromEntries([...tails].map(([s, t]) => [s, [...t]])),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush() {
      for (const w of writers) w.flush();
      if (open !== undefined) out.write("\n");
      open = undefined;
    },
    prompt(source, text) {
      if (!interactive || text === "") return;
      if (echoed !== undefined && echoed.source === source && echoed.line.startsWith(text)) return;
      if (open !== undefined && open.source === source && text.startsWith(open.text)) {
        out.write(text.slice(open.text.length));
        open = { source, text };
        return;
      }
      if (open !== undefined) out.write("\n");
      out.write(formatConsoleEntry({ t: now(), source, line: text, level: "info" }, { format, color, width }).slice(0, -1));
      open = { source, text };
    },
    typed(source, text) {
      if (!interactive || open === undefined || open.source !== source) return;
      const nl = text.search(/\r|\n/);
      if (nl < 0) return;
      echoed = { source, line: open.text + text.slice(0, nl) };
      open = undefined; // Enter moved the terminal to a new line
    },
  };
  return mux;
}

function createLineWriter(onLine: (line: string) => void): ConsoleWriter {
  const decoder = new TextDecoder();
  let pending = "";
  const take = (text: string): void => {
    pending += text;
    let nl = pending.search(/\r?\n|\r(?!$)/);
    while (nl >= 0) {
      onLine(pending.slice(0, nl));
      const skip = pending.startsWith("\r\n", nl) ? 2 : 1;
      pending = pending.slice(nl + skip);
      nl = pending.search(/\r?\n|\r(?!$)/);
    }
  };
  return {
    write(chunk) {
      take(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    },
    flush() {
      take(decoder.decode());
      if (pending.endsWith("\r")) pending = pending.slice(0, -1);
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}
