import { describe, expect, it } from "vitest";
import { createRateMeter } from "./rate-meter.ts";

describe("createRateMeter", () => {
  it("is 0 before two records", () => {
    const m = createRateMeter();
    expect(m.perSecond()).toBe(0);
    m.record(5, 100);
    expect(m.perSecond()).toBe(0);
  });

  it("gives events per second between the records", () => {
    const m = createRateMeter(5000);
    m.record(0, 0);
    m.record(10, 2000);
    expect(m.perSecond()).toBe(5);
  });

  it("forgets records older than the window", () => {
    const m = createRateMeter(2000);
    m.record(0, 0);
    for (let t = 1000; t <= 10_000; t += 1000) m.record(t <= 5000 ? 100 : 100 + (t - 5000) / 1000, t);
    // Over the last 2 s the counter grew by 1 per second.
    expect(m.perSecond()).toBe(1);
  });

  it("refuses time going back and a window of 0", () => {
    const m = createRateMeter();
    m.record(0, 10);
    expect(() => m.record(1, 5)).toThrow(RangeError);
    expect(() => createRateMeter(0)).toThrow(RangeError);
  });
});
