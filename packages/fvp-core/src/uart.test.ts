import { describe, expect, it } from "vitest";
import { InterruptController } from "./interrupt-controller.ts";
import { TraceBus, type FvpTraceEvent } from "./trace-bus.ts";
import { MemorySink, PrefixSink, Uart } from "./uart.ts";

const make = (opts: { maxLine?: number; historyLines?: number } = {}) => new Uart({ name: "uart0", base: 0x9c09_0000, irq: 37, ...opts });

describe("Uart", () => {
  it.each([
    { name: "one line", chunks: ["hello\n"], lines: ["hello"] },
    { name: "split line", chunks: ["hel", "lo\nwor", "ld\n"], lines: ["hello", "world"] },
    { name: "CRLF", chunks: ["a\r\nb\r\n"], lines: ["a", "b"] },
    { name: "empty lines", chunks: ["\n\n"], lines: ["", ""] },
    { name: "no newline yet", chunks: ["partial"], lines: [] },
  ])("buffers output into lines: $name", ({ chunks, lines }) => {
    const uart = make();
    const sink = new MemorySink();
    uart.attach(sink);
    for (const c of chunks) uart.write(c);
    expect(sink.lines).toEqual(lines);
  });

  it("decodes UTF-8 split across byte writes", () => {
    const uart = make();
    const sink = new MemorySink();
    uart.attach(sink);
    const bytes = new TextEncoder().encode("héllo €\n");
    for (const b of bytes) uart.write(new Uint8Array([b]));
    expect(sink.lines).toEqual(["héllo €"]);
  });

  it("flush() emits a partial line", () => {
    const uart = make();
    const sink = new MemorySink();
    uart.attach(sink);
    uart.write("no newline");
    uart.flush();
    expect(sink.lines).toEqual(["no newline"]);
  });

  it("splits overlong lines", () => {
    const uart = make({ maxLine: 4 });
    const sink = new MemorySink();
    uart.attach(sink);
    uart.write("abcdefghij\n");
    expect(sink.lines).toEqual(["abcd", "efgh", "ij"]);
  });

  it("a detached sink receives nothing more; every attached sink receives each line", () => {
    const uart = make();
    const a = new MemorySink();
    const b = new MemorySink();
    const offA = uart.attach(a);
    uart.attach(b);
    uart.write("1\n");
    offA();
    uart.write("2\n");
    expect(a.lines).toEqual(["1"]);
    expect(b.text()).toBe("1\n2\n");
  });

  it.each([
    { name: "fewer lines than kept", historyLines: 4, written: "1\n2\n", kept: ["1", "2"] },
    { name: "exactly full", historyLines: 3, written: "1\n2\n3\n", kept: ["1", "2", "3"] },
    { name: "wrapped around twice", historyLines: 3, written: "1\n2\n3\n4\n5\n6\n7\n", kept: ["5", "6", "7"] },
    { name: "history off", historyLines: 0, written: "1\n2\n", kept: [] },
  ])("keeps the latest lines and replays them to a late sink that asks: $name", ({ historyLines, written, kept }) => {
    const uart = make({ historyLines });
    uart.write(written);
    uart.write("partial");
    expect(uart.history()).toEqual(kept);
    const late = new MemorySink();
    const plain = new MemorySink();
    uart.attach(late, { replay: true });
    uart.attach(plain);
    uart.write(" line\n");
    expect(late.lines).toEqual([...kept, "partial line"]);
    expect(plain.lines).toEqual(["partial line"]);
  });

  it("streams raw output (a prompt, a key's echo) as written, and tells the unfinished line", () => {
    const uart = make();
    const raw: string[] = [];
    const stop = uart.onOutput((t) => raw.push(t));
    uart.write("login ok\nroot# ");
    expect(uart.pending()).toBe("root# ");
    uart.write(new TextEncoder().encode("l"));
    uart.write("s\b \b");
    const euro = new TextEncoder().encode("€");
    uart.write(euro.subarray(0, 1));
    uart.write(euro.subarray(1));
    expect(raw).toEqual(["login ok\nroot# ", "l", "s\b \b", "€"]);
    expect(uart.pending()).toBe("root# ls\b \b€");
    uart.write("\n");
    expect(uart.pending()).toBe("");
    stop();
    uart.write("after\n");
    expect(raw).toHaveLength(5);
  });

  it("calls output listeners after the line sinks of the same write, so pending() is current", () => {
    const uart = make();
    const order: string[] = [];
    uart.attach({ line: (l) => order.push(`line ${l}`) });
    uart.onOutput(() => order.push(`pending ${uart.pending()}`));
    uart.write("usr\nroot# ");
    expect(order).toEqual(["line usr", "pending root# "]);
  });

  it("rejects a history size that is not a whole number >= 0", () => {
    expect(() => make({ historyLines: -1 })).toThrow(/historyLines must be a whole number >= 0, got -1/);
    expect(() => make({ historyLines: 1.5 })).toThrow(RangeError);
  });

  it("MemorySink keeps only the newest lines when limited", () => {
    const uart = make();
    const sink = new MemorySink({ limit: 2 });
    uart.attach(sink);
    uart.write("1\n2\n3\n");
    expect(sink.lines).toEqual(["2", "3"]);
  });

  it("PrefixSink writes prefixed lines", () => {
    const out: string[] = [];
    const uart = make();
    uart.attach(new PrefixSink((s) => out.push(s)));
    uart.attach(new PrefixSink((s) => out.push(s), { prefix: "Z> " }));
    uart.write("boot\n");
    expect(out).toEqual(["[uart0] boot\n", "Z> boot\n"]);
  });

  it("delivers input to registered receivers", () => {
    const uart = make();
    const got: string[] = [];
    const off = uart.onInput((b) => got.push(new TextDecoder().decode(b)));
    uart.input("ls\n");
    off();
    uart.input("ignored");
    expect(got).toEqual(["ls\n"]);
  });

  it("on a GIC, keeps input in its receive FIFO and hands it over from its receive interrupt, counted per line", async () => {
    const gic = new InterruptController({ cpus: 1, spis: 32 });
    const uart = new Uart({ name: "uart1", base: 0, irq: 38, gic });
    uart.input("early ");
    const got: string[] = [];
    uart.onInput((b) => got.push(new TextDecoder().decode(b)));
    uart.input("ls\n");
    expect(got).toEqual([]);
    expect(gic.isPending(38)).toBe(true);
    await Promise.resolve();
    expect(got).toEqual(["early ", "ls\n"]);
    expect(gic.count(38)).toBe(1);
    uart.input("x");
    await Promise.resolve();
    expect(gic.count(38)).toBe(2);
  });

  it("drops input past the receive FIFO's capacity and counts it", async () => {
    const gic = new InterruptController({ cpus: 1, spis: 32 });
    const uart = new Uart({ name: "uart1", base: 0, irq: 38, gic, rxCapacity: 4 });
    uart.input("abc");
    uart.input("def");
    const got: string[] = [];
    uart.onInput((b) => got.push(new TextDecoder().decode(b)));
    await Promise.resolve();
    expect(got.join("")).toBe("abcd");
    expect(uart.overruns).toBe(2);
  });

  it("publishes uart-output per line and close() flushes and closes sinks", async () => {
    const trace = new TraceBus();
    const seen: FvpTraceEvent[] = [];
    trace.on((e) => seen.push(e));
    const uart = new Uart({ name: "uart1", base: 0, irq: 38, trace });
    let closed = false;
    uart.attach({ line() {}, close: () => void (closed = true) });
    uart.write("x\ny");
    await uart.close();
    expect(seen).toEqual([
      { type: "uart-output", uart: "uart1", line: "x" },
      { type: "uart-output", uart: "uart1", line: "y" },
    ]);
    expect(closed).toBe(true);
  });
});
