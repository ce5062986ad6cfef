import { describe, expect, it } from "vitest";
import { DurationError, formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    ["1h", 3_600_000],
    ["90s", 90_000],
    ["500ms", 500],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    ["1m30s250ms", 90_250],
    ["1.5s", 1_500],
    ["0s", 0],
    ["2d", 172_800_000],
    [" 12s ", 12_000],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ["", "empty"],
    ["90", "no unit"],
    ["1x", "unexpected"],
    ["s", "unexpected"],
    ["30s1m", "largest to smallest"],
    ["1s1s", "largest to smallest"],
    ["-5s", "unexpected"],
    ["1h 30m", "unexpected"],
  ])("refuses %j with a reason containing %j", (text, reason) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(reason);
  });

  it("names the input in the error", () => {
    expect(() => parseDuration("10 parsecs")).toThrow('[v8r-demo] reading the duration "10 parsecs"');
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [500, "500ms"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [90_061_001, "1d1h1m1s1ms"],
  ])("writes %d ms as %j, which reads back the same", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  it("refuses negative or fractional values", () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });
});
