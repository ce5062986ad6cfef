/**
 * The guest's kernel ring buffer: `printk`-style lines with Linux
 * timestamps (`[    0.123456] message`), read back with `dmesg()`.
 *
 * @module
 */

/** Options of {@link KernelLog}. */
export interface KernelLogOptions {
  /** Clock in ms (e.g. the domain's clock); timestamps count from `bootMs`. */
  readonly now: () => number;
  /** Time of boot on that clock; defaults to `now()` when the log is created. */
  readonly bootMs?: number;
  /** Called with each formatted line as it is logged (the console). */
  readonly sink?: (line: string) => void;
  /** Lines kept for `dmesg()`; older lines are dropped first. Default 8192. */
  readonly capacity?: number;
}

/**
 * Format a Linux kernel timestamp: seconds right-aligned to five places
 * and microseconds to six, as `printk` does.
 *
 * @example
 * ```ts
 * formatKernelTimestamp(123.4567); // "[    0.123456]"
 * ```
 */
export function formatKernelTimestamp(elapsedMs: number): string {
  const us = Math.max(0, Math.floor(elapsedMs * 1000));
  const seconds = Math.floor(us / 1_000_000);
  const micros = us % 1_000_000;
  return `[${String(seconds).padStart(5, " ")}.${String(micros).padStart(6, "0")}]`;
}

/**
 * A kernel log. Each logged line gets the time since boot; a multi-line
 * message becomes one stamped line per line, like consecutive `printk`s.
 *
 * @example
 * ```ts
 * const klog = new KernelLog({ now: () => performance.now(), sink: console.log });
 * klog.log("Booting Linux on physical CPU 0x0000000100 [0x410fd0f0]");
 * console.log(klog.dmesg().join("\n"));
 * ```
 */
export class KernelLog {
  readonly #now: () => number;
  readonly #bootMs: number;
  readonly #sink: ((line: string) => void) | undefined;
  readonly #capacity: number;
  #lines: string[] = [];
  #dropped = 0;

  /** Start an empty log at boot time. */
  constructor(options: KernelLogOptions) {
    if (typeof options?.now !== "function") {
      throw new TypeError("[linux-shim] KernelLog needs a now() clock function");
    }
    const capacity = options.capacity ?? 8192;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`[linux-shim] KernelLog capacity must be a positive integer, got ${capacity}`);
    }
    this.#now = options.now;
    this.#bootMs = options.bootMs ?? options.now();
    this.#sink = options.sink;
    this.#capacity = capacity;
  }

  /** Log a message; returns the formatted line(s) as logged. */
  log(message: string): string {
    const stamp = formatKernelTimestamp(this.#now() - this.#bootMs);
    const lines = String(message).replace(/\r?\n$/, "").split(/\r?\n/).map((text) => `${stamp} ${text}`);
    for (const line of lines) {
      this.#lines.push(line);
      this.#sink?.(line);
    }
    const excess = this.#lines.length - this.#capacity;
    if (excess > 0) {
      this.#lines.splice(0, excess);
      this.#dropped += excess;
    }
    return lines.join("\n");
  }

  /** All lines still in the buffer, oldest first. */
  dmesg(): string[] {
    return this.#lines.slice();
  }

  /** Lines dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Empty the buffer (`dmesg -c`). */
  clear(): void {
    this.#lines = [];
  }
}
