import { PREFIX } from "./_format.ts";
import type { InterruptController } from "./interrupt-controller.ts";
import type { FvpTraceEvent, TraceSink } from "./trace-bus.ts";

const encoder = new TextEncoder();

/** Receives a UART's output, one complete line at a time. */
export interface UartSink {
  /** One output line, without its line terminator. */
  line(text: string, uart: Uart): void;
  /** The UART is being shut down. */
  close?(): void | Promise<void>;
}

/** Options of {@link Uart}. */
export interface UartOptions {
  /** Name, e.g. `"uart0"`. */
  name: string;
  /** MMIO base address from the platform model. */
  base: number;
  /** Interrupt ID from the platform model. */
  irq: number;
  /** The interrupt controller its receive interrupt goes to (without one, input reaches the receivers at once). */
  gic?: InterruptController;
  /** Bytes the receive FIFO holds until they are read; more input is dropped and counted in {@link Uart.overruns} (default 65536). */
  rxCapacity?: number;
  /** Receives `uart-output` events. */
  trace?: TraceSink<FvpTraceEvent>;
  /** A line longer than this many characters is emitted in pieces (default 4096). */
  maxLine?: number;
  /** How many of the latest lines are kept for {@link Uart.history} and replay on attach (default 512; 0 keeps none). */
  historyLines?: number;
}

/** Options of {@link Uart.attach}. */
export interface UartAttachOptions {
  /** Deliver the kept history (see {@link UartOptions.historyLines}) to the sink first, like a console that shows what was printed before you connected. Default false. */
  replay?: boolean;
}

/**
 * A PL011-flavoured console. Output bytes are decoded as UTF-8 and buffered
 * until a line feed (a trailing carriage return is dropped); each complete
 * line goes to every attached sink and to the trace bus. Input bytes go to
 * the guest through {@link Uart.onInput}. The latest lines are kept, so a
 * sink attached after boot can still see the boot log (`attach(sink, { replay: true })`).
 * Terminals that must show output as it comes, such as a prompt or the echo
 * of a key, read the raw stream with {@link Uart.onOutput} instead.
 *
 * @example
 * ```ts
 * const uart = new Uart({ name: "uart0", base: 0x9c09_0000, irq: 37 });
 * const mem = new MemorySink();
 * uart.attach(mem);
 * uart.write("hello\n");
 * mem.lines; // ["hello"]
 * ```
 */
export class Uart {
  /** Name, e.g. `"uart0"`. */
  readonly name: string;
  /** MMIO base address. */
  readonly base: number;
  /** Interrupt ID. */
  readonly irq: number;
  readonly #sinks = new Set<UartSink>();
  readonly #inputs = new Set<(bytes: Uint8Array) => void>();
  readonly #gic: InterruptController | undefined;
  readonly #rxCapacity: number;
  /** The receive FIFO: input not yet handed to the receivers. */
  #rx: Uint8Array[] = [];
  #rxBytes = 0;
  #overruns = 0;
  #offRx: (() => void) | undefined;
  readonly #outputs = new Set<(text: string) => void>();
  readonly #decoder = new TextDecoder("utf-8", { fatal: false });
  readonly #trace: TraceSink<FvpTraceEvent> | undefined;
  readonly #maxLine: number;
  readonly #historyLines: number;
  /** Ring of the latest lines; `#historyStart` is the oldest once it is full. */
  readonly #history: string[] = [];
  #historyStart = 0;
  #partial = "";

  /** Create a UART with no sinks. */
  constructor(opts: UartOptions) {
    this.name = opts.name;
    this.base = opts.base;
    this.irq = opts.irq;
    this.#trace = opts.trace;
    this.#gic = opts.gic;
    this.#rxCapacity = opts.rxCapacity ?? 65_536;
    this.#maxLine = opts.maxLine ?? 4096;
    const historyLines = opts.historyLines ?? 512;
    if (!Number.isInteger(historyLines) || historyLines < 0) throw new RangeError(`${PREFIX} creating ${opts.name}: historyLines must be a whole number >= 0, got ${historyLines}`);
    this.#historyLines = historyLines;
  }

  /** Attach an output sink, optionally replaying the kept history to it first; returns a function that detaches it. */
  attach(sink: UartSink, opts: UartAttachOptions = {}): () => void {
    if (!sink || typeof sink.line !== "function") throw new TypeError(`${PREFIX} attaching a sink to ${this.name}: it has no line() method`);
    if (opts.replay === true) for (const line of this.history()) sink.line(line, this);
    this.#sinks.add(sink);
    return () => {
      this.#sinks.delete(sink);
    };
  }

  /** The latest complete lines (at most `historyLines`), oldest first. */
  history(): string[] {
    return [...this.#history.slice(this.#historyStart), ...this.#history.slice(0, this.#historyStart)];
  }

  /** The unfinished last line (e.g. a shell prompt waiting for input), "" when output ended with a line feed. */
  pending(): string {
    return this.#partial;
  }

  /**
   * Receive the output as the guest writes it, decoded but not split into
   * lines (a prompt, a key's echo, `\b \b`); called after the line sinks of
   * the same write, so {@link Uart.pending} is current. Returns a function
   * that stops it.
   */
  onOutput(cb: (text: string) => void): () => void {
    this.#outputs.add(cb);
    return () => {
      this.#outputs.delete(cb);
    };
  }

  /** Transmit bytes (or a string, encoded as UTF-8) from the guest. */
  write(data: Uint8Array | string): void {
    const text = typeof data === "string" ? data : this.#decoder.decode(data, { stream: true });
    const buf = this.#partial + text;
    let start = 0;
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n", start)) {
      this.#emitLong(buf.slice(start, nl));
      start = nl + 1;
    }
    // A partial line longer than a line can be goes out in full chunks; the rest waits.
    while (buf.length - start > this.#maxLine) {
      this.#emit(buf.slice(start, start + this.#maxLine));
      start += this.#maxLine;
    }
    this.#partial = buf.slice(start);
    this.#raw(text); // after the lines, so pending() is current for the listeners
  }

  /** Emit a pending partial line, if any. */
  flush(): void {
    const tail = this.#decoder.decode();
    this.#raw(tail);
    const rest = this.#partial + tail;
    this.#partial = "";
    if (rest !== "") this.#emit(rest);
  }

  /** Receive bytes (e.g. keystrokes from a terminal): into the receive FIFO, raising the receive interrupt; without a GIC, to the receivers at once. */
  input(bytes: Uint8Array | string): void {
    const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
    const gic = this.#gic;
    if (gic === undefined) return this.#deliver(data);
    const room = this.#rxCapacity - this.#rxBytes;
    if (data.length > room) this.#overruns += data.length - Math.max(0, room);
    if (room <= 0) return;
    const kept = data.length > room ? data.slice(0, room) : data;
    this.#rx.push(kept);
    this.#rxBytes += kept.length;
    gic.raise(this.irq); // PL011 RXINTR: the FIFO holds data (PL011 TRM 3.4.3)
  }

  /** Input bytes dropped because the receive FIFO was full. */
  get overruns(): number {
    return this.#overruns;
  }

  /** Register a receiver of input bytes (the guest side); returns a function that removes it. The first one connects the receive interrupt handler. */
  onInput(cb: (bytes: Uint8Array) => void): () => void {
    this.#inputs.add(cb);
    const gic = this.#gic;
    if (gic !== undefined && this.#offRx === undefined) {
      this.#offRx = gic.onIrq(gic.target(this.irq), this.irq, () => this.#receive());
      gic.enable(this.irq);
    }
    return () => {
      this.#inputs.delete(cb);
    };
  }

  /** The receive interrupt handler: empty the FIFO into the receivers. */
  #receive(): void {
    const chunks = this.#rx;
    this.#rx = [];
    this.#rxBytes = 0;
    for (const c of chunks) this.#deliver(c);
  }

  #deliver(data: Uint8Array): void {
    for (const cb of [...this.#inputs]) cb(data);
  }

  /** Flush, then close and detach every sink. */
  async close(): Promise<void> {
    this.flush();
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    this.#inputs.clear();
    this.#outputs.clear();
    this.#offRx?.();
    this.#offRx = undefined;
    await Promise.all(sinks.map((s) => s.close?.()));
  }

  #raw(text: string): void {
    if (text !== "") for (const cb of [...this.#outputs]) cb(text);
  }

  #emitLong(line: string): void {
    let rest = line;
    while (rest.length > this.#maxLine) {
      this.#emit(rest.slice(0, this.#maxLine));
      rest = rest.slice(this.#maxLine);
    }
    this.#emit(rest);
  }

  #emit(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    this.#remember(line);
    for (const s of [...this.#sinks]) s.line(line, this);
    if (this.#trace?.active) this.#trace.emit({ type: "uart-output", uart: this.name, line });
  }

  #remember(line: string): void {
    if (this.#historyLines === 0) return;
    if (this.#history.length < this.#historyLines) {
      this.#history.push(line);
      return;
    }
    this.#history[this.#historyStart] = line;
    this.#historyStart = (this.#historyStart + 1) % this.#historyLines;
  }
}

/**
 * A sink that keeps every line in memory (for tests and dashboards).
 *
 * @example
 * ```ts
 * const sink = new MemorySink();
 * sink.line("boot ok", uart);
 * sink.text(); // "boot ok\n"
 * ```
 */
export class MemorySink implements UartSink {
  /** Lines received so far. */
  readonly lines: string[] = [];
  readonly #limit: number;

  /** Keep at most `limit` lines (oldest dropped first; default unlimited). */
  constructor(opts: { limit?: number } = {}) {
    this.#limit = opts.limit ?? Infinity;
  }

  /** Store a line. */
  line(text: string): void {
    this.lines.push(text);
    if (this.lines.length > this.#limit) this.lines.shift();
  }

  /** All lines joined, each followed by a line feed. */
  text(): string {
    return this.lines.map((l) => `${l}\n`).join("");
  }
}

/**
 * A sink that writes `"<prefix>line"` to a text writer, e.g. a terminal:
 * `new PrefixSink((s) => process.stdout.write(s))` prints `[uart0] hello`.
 */
export class PrefixSink implements UartSink {
  readonly #write: (text: string) => void;
  readonly #prefix: ((uart: Uart) => string) | string | undefined;

  /** Write through `write`; the prefix defaults to `"[<uart name>] "`. */
  constructor(write: (text: string) => void, opts: { prefix?: string | ((uart: Uart) => string) } = {}) {
    this.#write = write;
    this.#prefix = opts.prefix;
  }

  /** Write one prefixed line with a trailing line feed. */
  line(text: string, uart: Uart): void {
    const p = this.#prefix;
    const prefix = p === undefined ? `[${uart.name}] ` : typeof p === "string" ? p : p(uart);
    this.#write(`${prefix}${text}\n`);
  }
}
