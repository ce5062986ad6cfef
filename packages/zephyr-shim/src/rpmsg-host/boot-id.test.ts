import { describe, expect, it } from "vitest";
import { intArg, parseBootargs } from "./bootargs.ts";
import { makeBootId } from "./boot-id.ts";

describe("boot id", () => {
  it("is 8 hex digits, the same for the same seed and different for another", () => {
    expect(makeBootId(7)).toMatch(/^[0-9a-f]{8}$/);
    expect(makeBootId(7)).toBe(makeBootId(7));
    expect(makeBootId(7)).not.toBe(makeBootId(8));
  });

  it("differs between boots of one seeded run (salted by the boot time) and replays the same", () => {
    expect(makeBootId(1, 0)).toBe(makeBootId(1));
    expect(makeBootId(1, 100_000)).not.toBe(makeBootId(1, 0));
    expect(makeBootId(1, 100_000)).toBe(makeBootId(1, 100_000));
  });

  it("is random without a seed", () => {
    const ids = new Set(Array.from({ length: 8 }, () => makeBootId()));
    expect(ids.size).toBeGreaterThan(1);
  });
});

describe("bootargs", () => {
  it("parses key=value words and bare words", () => {
    expect([...parseBootargs("  period_ms=500 seed=7  quiet ")]).toEqual([
      ["period_ms", "500"],
      ["seed", "7"],
      ["quiet", ""],
    ]);
  });

  it.each([
    ["period_ms=500", 500],
    ["", 1000],
  ])("intArg(%s) is %d", (text, value) => {
    expect(intArg(parseBootargs(text), "period_ms", 1000, 100, 60000)).toBe(value);
  });

  it.each(["period_ms=5", "period_ms=abc", "period_ms=1.5"])("%s is a RangeError naming the argument", (text) => {
    expect(() => intArg(parseBootargs(text), "period_ms", 1000, 100, 60000)).toThrow(/period_ms/);
  });
});
