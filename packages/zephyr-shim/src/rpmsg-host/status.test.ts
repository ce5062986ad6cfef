import { describe, expect, it } from "vitest";
import { encodeStatus, MAX_MESSAGE_BYTES, oneDecimal, type StatusSample } from "./status.ts";

function sample(threads: number, name = "thread"): StatusSample {
  return {
    v: 1,
    seq: 12,
    boot: "0badf00d",
    t: 12034,
    cpu: 3.4,
    thr: Array.from({ length: threads }, (_, i) => [`${name}_${i}`, "sleeping", 0.5] as const),
    heap: [1234, 64302],
    ipc: { tx: 11, rt: 0, ri: 0, dr: 0, q: 1 },
    per: 1000,
  };
}

describe("encodeStatus", () => {
  it("encodes the protocol's fields in order as compact JSON", () => {
    const { bytes } = encodeStatus(sample(1));
    expect(new TextDecoder().decode(bytes)).toBe(
      '{"v":1,"seq":12,"boot":"0badf00d","t":12034,"cpu":3.4,"thr":[["thread_0","sleeping",0.5]],"heap":[1234,64302],"ipc":{"tx":11,"rt":0,"ri":0,"dr":0,"q":1},"per":1000}',
    );
  });

  it.each([0, 5, 20, 200])("with %d threads the message is valid JSON of at most 496 bytes", (n) => {
    const { bytes, threads } = encodeStatus(sample(n));
    expect(bytes.length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { thr: unknown[] };
    expect(parsed.thr.length).toBe(threads);
    expect(threads).toBeLessThanOrEqual(n);
  });

  it("drops only trailing threads, keeping as many as fit", () => {
    const { bytes, threads } = encodeStatus(sample(50));
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { thr: Array<[string]> };
    expect(parsed.thr.map((t) => t[0])).toEqual(Array.from({ length: threads }, (_, i) => `thread_${i}`));
    const entry = JSON.stringify(["thread_99", "sleeping", 0.5]).length + 1;
    expect(bytes.length + entry).toBeGreaterThan(MAX_MESSAGE_BYTES - 2);
  });

  it("counts multi-byte UTF-8 names in bytes, not characters", () => {
    const { bytes } = encodeStatus(sample(40, "θρεντ"));
    expect(bytes.length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });

  it.each([
    [3.44, 3.4],
    [3.45, 3.5],
    [99.99, 100],
  ])("oneDecimal(%d) = %d", (x, y) => {
    expect(oneDecimal(x)).toBe(y);
  });
});
