import { describe, expect, it } from "vitest";
import { StatusHistory } from "./status-history.ts";
import type { StatusSample } from "../protocol/mod.ts";

const s = (seq: number, boot = "aaaaaaaa", extra: Partial<StatusSample> = {}): StatusSample =>
  ({ v: 1, seq, boot, t: seq * 1000, ...extra });

describe("StatusHistory", () => {
  it("accepts consecutive samples without counting losses", () => {
    const h = new StatusHistory();
    expect(h.add(s(0), 10)).toEqual({ kind: "first" });
    expect(h.add(s(1), 20)).toEqual({ kind: "next" });
    expect(h.counters).toEqual({ received: 2, lost: 0, restarts: 0, malformed: 0, stale: 0, outOfOrder: 0 });
    expect(h.lastUpdateMs).toBe(20);
  });

  it("counts the samples missing in a gap of seq", () => {
    const h = new StatusHistory();
    h.add(s(4), 0);
    expect(h.add(s(5), 1)).toEqual({ kind: "next" });
    expect(h.add(s(9), 2)).toEqual({ kind: "gap", lost: 3 });
    expect(h.add(s(11), 3)).toEqual({ kind: "gap", lost: 1 });
    expect(h.counters.lost).toBe(4);
    expect(h.latest()?.lostBefore).toBe(1);
  });

  it("counts a gap as lost exactly as far as Zephyr's dr says it dropped those samples, and remembers dr per boot", () => {
    const h = new StatusHistory();
    const dr = (seq: number, n: number): StatusSample => s(seq, "aaaaaaaa", { ipc: { tx: 0, rt: 0, ri: 0, dr: n, q: 0 } });
    h.add(dr(0, 2), 0);
    expect(h.add(dr(4, 5), 1)).toEqual({ kind: "gap", lost: 3 });
    expect(h.boots[0]).toMatchObject({ firstSeq: 0, lastSeq: 4, samples: 2, firstDr: 2, lastDr: 5 });
    expect(h.counters.lost).toBe(3);
  });

  it("sets aside a sample after a gap Zephyr's dr does not explain (one still on its way), then takes the missing one and carries on", () => {
    const h = new StatusHistory();
    const dr = (seq: number, n: number): StatusSample => s(seq, "aaaaaaaa", { ipc: { tx: 0, rt: 0, ri: 0, dr: n, q: 0 } });
    h.add(dr(0, 0), 0);
    expect(h.add(dr(3, 1), 1)).toEqual({ kind: "out-of-order", missing: 1 });
    expect(h.counters).toMatchObject({ received: 1, lost: 0, outOfOrder: 1 });
    expect(h.entries()).toHaveLength(1);
    expect(h.add(dr(1, 0), 2)).toEqual({ kind: "next" }); // sent again after the host re-initialised
    expect(h.add(dr(3, 1), 3)).toEqual({ kind: "gap", lost: 1 }); // seq 2 was dropped by Zephyr
    expect(h.counters).toMatchObject({ received: 3, lost: 1, outOfOrder: 1 });
  });

  it("treats a new boot id as a restart, remembers the boots and does not count a gap", () => {
    const h = new StatusHistory();
    h.add(s(0, "aaaaaaaa"), 0);
    h.add(s(50, "aaaaaaaa"), 1);
    expect(h.add(s(0, "bbbbbbbb"), 2)).toEqual({ kind: "restart", previousBoot: "aaaaaaaa" });
    expect(h.add(s(1, "bbbbbbbb"), 3)).toEqual({ kind: "next" });
    expect(h.counters.restarts).toBe(1);
    expect(h.counters.lost).toBe(49);
    expect(h.boots.map((b) => [b.boot, b.firstSeq, b.lastSeq, b.samples])).toEqual([
      ["aaaaaaaa", 0, 50, 2],
      ["bbbbbbbb", 0, 1, 2],
    ]);
    expect(h.entries().map((e) => e.restart)).toEqual([false, false, true, false]);
  });

  it("counts a boot that comes back after another as a restart too", () => {
    const h = new StatusHistory();
    h.add(s(0, "aaaaaaaa"), 0);
    h.add(s(0, "bbbbbbbb"), 1);
    expect(h.add(s(1, "aaaaaaaa"), 2).kind).toBe("restart");
    expect(h.counters.restarts).toBe(2);
  });

  it("ignores and counts a sample whose seq is not after the latest one", () => {
    const h = new StatusHistory();
    h.add(s(3), 0);
    expect(h.add(s(3), 1)).toEqual({ kind: "stale", lastSeq: 3 });
    expect(h.add(s(1), 2)).toEqual({ kind: "stale", lastSeq: 3 });
    expect(h.counters).toMatchObject({ received: 1, stale: 2 });
    expect(h.entries()).toHaveLength(1);
  });

  it("keeps only the last 300 samples", () => {
    const h = new StatusHistory();
    for (let i = 0; i < 450; i++) h.add(s(i), i);
    const kept = h.entries();
    expect(kept).toHaveLength(300);
    expect(kept[0]?.sample.seq).toBe(150);
    expect(h.counters.received).toBe(450);
  });

  it("counts malformed messages and remembers the latest reason", () => {
    const h = new StatusHistory();
    h.recordMalformed("sample is not valid JSON", 5);
    h.recordMalformed("sample is 600 bytes", 6);
    expect(h.counters.malformed).toBe(2);
    expect(h.lastMalformed).toEqual({ reason: "sample is 600 bytes", atMs: 6 });
  });

  it("reports the latest sample's ipc counters and zeros before any", () => {
    const h = new StatusHistory();
    expect(h.ipc).toEqual({ tx: 0, rt: 0, ri: 0, dr: 0, q: 0 });
    h.add(s(0, "aaaaaaaa", { ipc: { tx: 1, rt: 2, ri: 3, dr: 4, q: 5 } }), 0);
    h.add(s(1, "aaaaaaaa", { ipc: { tx: 2, rt: 2, ri: 3, dr: 4, q: 0 } }), 1);
    expect(h.ipc).toEqual({ tx: 2, rt: 2, ri: 3, dr: 4, q: 0 });
  });

  it("notifies subscribers and bumps the revision on every change", () => {
    const h = new StatusHistory();
    let calls = 0;
    const off = h.subscribe(() => calls++);
    h.setLinkState("bound");
    h.setLinkState("bound");
    h.add(s(0), 0);
    h.recordMalformed("x", 0);
    expect(calls).toBe(3);
    expect(h.revision).toBe(3);
    expect(h.linkState).toBe("bound");
    off();
    h.setLinkState("down");
    expect(calls).toBe(3);
  });

  it("rejects a capacity that is not a positive integer", () => {
    expect(() => new StatusHistory({ capacity: 0 })).toThrow(RangeError);
  });
});
