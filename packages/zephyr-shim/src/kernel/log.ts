/**
 * `printk` and the logging subsystem: `LOG_MODULE_REGISTER` gives a logger
 * whose `LOG_ERR`/`LOG_WRN`/`LOG_INF`/`LOG_DBG` print in Zephyr's format,
 * `[00:00:01.234,000] <inf> rpmsg_host: message`, on the domain console.
 *
 * @module
 */
import { formatPrintf } from "./_printf.ts";

/** Log levels (`LOG_LEVEL_*`). */
export const LogLevel = {
  LOG_LEVEL_NONE: 0,
  LOG_LEVEL_ERR: 1,
  LOG_LEVEL_WRN: 2,
  LOG_LEVEL_INF: 3,
  LOG_LEVEL_DBG: 4,
} as const;

/** One of the values of {@link LogLevel}. */
export type LogLevelValue = (typeof LogLevel)[keyof typeof LogLevel];

const TAGS = ["", "err", "wrn", "inf", "dbg"] as const;

/** Where formatted lines go and what time they carry. */
export interface LogSink {
  /** Uptime in ms (fractional allowed). */
  uptimeMs(): number;
  /** Write text to the console. */
  write(text: string): void;
}

/** Format an uptime in ms as Zephyr's log timestamp `[hh:mm:ss.mmm,uuu]`. */
export function formatLogTimestamp(uptimeMs: number): string {
  const totalUs = Math.max(0, Math.floor(uptimeMs * 1000));
  const us = totalUs % 1000;
  const totalMs = Math.floor(totalUs / 1000);
  const ms = totalMs % 1000;
  const totalS = Math.floor(totalMs / 1000);
  const s = totalS % 60;
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600);
  const two = (n: number): string => String(n).padStart(2, "0");
  const three = (n: number): string => String(n).padStart(3, "0");
  return `[${two(h)}:${two(m)}:${two(s)}.${three(ms)},${three(us)}]`;
}

/** A registered log module (`LOG_MODULE_REGISTER(name, level)`). */
export class Logger {
  /** Module name printed after the level tag. */
  readonly name: string;
  /** Messages above this level are dropped. */
  level: LogLevelValue;
  readonly #sink: LogSink;

  /** Build a logger; prefer `kernel.LOG_MODULE_REGISTER(name, level)`. */
  constructor(sink: LogSink, name: string, level: LogLevelValue) {
    this.#sink = sink;
    this.name = name;
    this.level = level;
  }

  /** Log at error level (printf-style format). */
  LOG_ERR(fmt: string, ...args: unknown[]): void {
    this.#log(LogLevel.LOG_LEVEL_ERR, fmt, args);
  }

  /** Log at warning level (printf-style format). */
  LOG_WRN(fmt: string, ...args: unknown[]): void {
    this.#log(LogLevel.LOG_LEVEL_WRN, fmt, args);
  }

  /** Log at info level (printf-style format). */
  LOG_INF(fmt: string, ...args: unknown[]): void {
    this.#log(LogLevel.LOG_LEVEL_INF, fmt, args);
  }

  /** Log at debug level (printf-style format). */
  LOG_DBG(fmt: string, ...args: unknown[]): void {
    this.#log(LogLevel.LOG_LEVEL_DBG, fmt, args);
  }

  #log(level: LogLevelValue, fmt: string, args: readonly unknown[]): void {
    if (level > this.level || level === LogLevel.LOG_LEVEL_NONE) return;
    const stamp = formatLogTimestamp(this.#sink.uptimeMs());
    this.#sink.write(`${stamp} <${TAGS[level]}> ${this.name}: ${formatPrintf(fmt, args)}\n`);
  }
}

export { formatPrintf };
