import { describe, expect, it } from "vitest";
import { MAX_SAMPLE_BYTES, parseStatusSample } from "./status-sample.ts";

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
    expect(pad(MAX_SAMPLE_BYTES).byteLength).toBe(496);
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
