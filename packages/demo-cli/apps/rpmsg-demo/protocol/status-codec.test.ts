import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES } from "./limits.ts";
import { encodeStatusSample, parseStatusSample, wirePercent } from "./status-codec.ts";
import { STATUS_SCHEMA, type ZephyrFacts } from "./status-schema.ts";

const enc = new TextEncoder();
const bytes = (value: unknown): Uint8Array => enc.encode(typeof value === "string" ? value : JSON.stringify(value));
const base = { v: 1, seq: 7, boot: "1A2b3c4d", t: 12_000 };

describe("parseStatusSample", () => {
  it("accepts a full sample and normalises it", () => {
    const r = parseStatusSample(bytes({
      ...base,
      cpu: 12.5,
      thr: [["main", "running", 3.5], ["idle", "ready", 80]],
      heap: [2048, 14336],
      ipc: { tx: 7, rt: 1, ri: 0, dr: 2, q: 0 },
      per: 1000,
      future: { anything: true },
    }));
    expect(r).toEqual({
      ok: true,
      sample: {
        v: 1, seq: 7, boot: "1a2b3c4d", t: 12_000, cpu: 12.5,
        thr: [{ name: "main", state: "running", cpu: 3.5 }, { name: "idle", state: "ready", cpu: 80 }],
        heap: { used: 2048, free: 14336 },
        ipc: { tx: 7, rt: 1, ri: 0, dr: 2, q: 0 },
        per: 1000,
      },
    });
  });

  it("accepts the minimal sample and fills missing ipc counters with 0", () => {
    const r = parseStatusSample(bytes({ ...base, ipc: { tx: 3 } }));
    expect(r.ok && r.sample.ipc).toEqual({ tx: 3, rt: 0, ri: 0, dr: 0, q: 0 });
    expect(r.ok && "cpu" in r.sample).toBe(false);
  });

  it("accepts exactly 496 bytes and rejects 497", () => {
    const pad = (n: number) => {
      const head = JSON.stringify({ ...base, pad: "" });
      return bytes(JSON.stringify({ ...base, pad: "x".repeat(n - head.length) }));
    };
    expect(pad(MAX_PAYLOAD_BYTES).byteLength).toBe(496);
    expect(parseStatusSample(pad(496)).ok).toBe(true);
    expect(parseStatusSample(pad(497))).toMatchObject({ ok: false, code: "too-long" });
  });

  it.each([
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), "not-utf8"],
    ["empty message", new Uint8Array(0), "not-json"],
    ["truncated JSON", bytes('{"v":1,"seq":'), "not-json"],
    ["an array", bytes([1, 2]), "not-object"],
    ["null", bytes("null"), "not-object"],
    ["missing v", bytes({ seq: 1, boot: "00000000", t: 0 }), "missing-field"],
    ["missing seq", bytes({ v: 1, boot: "00000000", t: 0 }), "missing-field"],
    ["missing boot", bytes({ v: 1, seq: 1, t: 0 }), "missing-field"],
    ["missing t", bytes({ v: 1, seq: 1, boot: "00000000" }), "missing-field"],
    ["version 2", bytes({ ...base, v: 2 }), "unsupported-version"],
    ["version as string", bytes({ ...base, v: "1" }), "bad-field"],
    ["negative seq", bytes({ ...base, seq: -1 }), "bad-field"],
    ["fractional seq", bytes({ ...base, seq: 1.5 }), "bad-field"],
    ["seq as string", bytes({ ...base, seq: "1" }), "bad-field"],
    ["short boot", bytes({ ...base, boot: "abc" }), "bad-field"],
    ["non-hex boot", bytes({ ...base, boot: "zzzzzzzz" }), "bad-field"],
    ["t as string", bytes({ ...base, t: "now" }), "bad-field"],
    ["cpu over 100", bytes({ ...base, cpu: 150 }), "bad-field"],
    ["cpu as string", bytes({ ...base, cpu: "high" }), "bad-field"],
    ["thr not an array", bytes({ ...base, thr: {} }), "bad-field"],
    ["thr entry too short", bytes({ ...base, thr: [["main", "running"]] }), "bad-field"],
    ["thr name a number", bytes({ ...base, thr: [[1, "running", 1]] }), "bad-field"],
    ["heap with one value", bytes({ ...base, heap: [1] }), "bad-field"],
    ["heap negative", bytes({ ...base, heap: [-1, 2] }), "bad-field"],
    ["ipc an array", bytes({ ...base, ipc: [1] }), "bad-field"],
    ["ipc.rt a string", bytes({ ...base, ipc: { rt: "1" } }), "bad-field"],
    ["per 0", bytes({ ...base, per: 0 }), "bad-field"],
  ])("rejects %s", (_label, input, code) => {
    const r = parseStatusSample(input);
    expect(r).toMatchObject({ ok: false, code });
    expect(r.ok ? "" : r.reason.length).toBeGreaterThan(5);
  });

  it("does not let __proto__ in the input reach the sample", () => {
    const r = parseStatusSample(bytes('{"v":1,"seq":0,"boot":"00000000","t":0,"__proto__":{"polluted":1}}'));
    expect(r.ok).toBe(true);
    expect((r.ok && (r.sample as unknown as Record<string, unknown>).polluted)).toBeUndefined();
  });

  it("throws TypeError when called with something that is not bytes", () => {
    expect(() => parseStatusSample("{}" as unknown as Uint8Array)).toThrow(TypeError);
  });
});

function facts(threads: number, name = "thread"): ZephyrFacts {
  return {
    seq: 12, boot: "0badf00d", uptimeMs: 12034, periodMs: 1000, loadPct: 3.4,
    threads: Array.from({ length: threads }, (_, i) => ({ name: `${name}_${i}`, state: "sleeping", cpu: 0.5 })),
    threadCount: threads, heapUsed: 1234, heapFree: 64302, heapMaxUsed: 2000,
    ipcTx: 11, ipcRt: 0, ipcRi: 0, ipcDr: 0, ipcQ: 1,
  };
}

describe("encodeStatusSample", () => {
  it("encodes the schema's fields in order as compact JSON", () => {
    const { bytes, dropped } = encodeStatusSample(facts(1));
    expect(new TextDecoder().decode(bytes)).toBe(
      '{"v":1,"seq":12,"boot":"0badf00d","t":12034,"cpu":3.4,"thr":[["thread_0","sleeping",0.5]],"heap":[1234,64302],"ipc":{"tx":11,"rt":0,"ri":0,"dr":0,"q":1},"per":1000}',
    );
    expect(dropped).toBe(0);
  });

  it("returns the sample as sent, which the validator reads back unchanged", () => {
    const { bytes, sample } = encodeStatusSample(facts(3));
    expect(parseStatusSample(bytes)).toEqual({ ok: true, sample });
    expect(Object.keys(sample)).toEqual(STATUS_SCHEMA.fields.map((f) => f.key));
  });

  it.each([0, 5, 20, 200])("with %d threads the message is valid JSON of at most 496 bytes, and what was dropped is counted", (n) => {
    const { bytes, sample, dropped } = encodeStatusSample(facts(n));
    expect(bytes.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { thr: unknown[] };
    expect(parsed.thr.length).toBe(sample.thr?.length);
    expect(parsed.thr.length + dropped).toBe(n);
  });

  it("drops only trailing threads, keeping as many as fit", () => {
    const { bytes, sample, dropped } = encodeStatusSample(facts(50));
    const kept = sample.thr?.length ?? 0;
    expect(dropped).toBe(50 - kept);
    expect(dropped).toBeGreaterThan(0);
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { thr: Array<[string]> };
    expect(parsed.thr.map((t) => t[0])).toEqual(Array.from({ length: kept }, (_, i) => `thread_${i}`));
    const entry = JSON.stringify(["thread_99", "sleeping", 0.5]).length + 1;
    expect(bytes.length + entry).toBeGreaterThan(MAX_PAYLOAD_BYTES - 2);
  });

  it("counts multi-byte UTF-8 names in bytes, not characters", () => {
    const { bytes } = encodeStatusSample(facts(40, "θρεντ"));
    expect(bytes.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });

  it("refuses a sample that cannot fit even without threads, and facts out of range", () => {
    expect(() => encodeStatusSample(facts(0), 60)).toThrow(RangeError);
    expect(() => encodeStatusSample({ ...facts(0), seq: -1 })).toThrow(/seq = -1/);
    expect(() => encodeStatusSample({ ...facts(0), boot: "XYZ" })).toThrow(/boot/);
  });

  it.each([
    [3.44, 3.4],
    [3.45, 3.5],
    [99.99, 100],
    [-2, 0],
    [140, 100],
  ])("wirePercent(%d) = %d", (x, y) => {
    expect(wirePercent(x)).toBe(y);
  });
});
