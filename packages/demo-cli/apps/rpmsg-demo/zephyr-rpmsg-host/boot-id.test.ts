import { describe, expect, it } from "vitest";
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
