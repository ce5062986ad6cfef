import { describe, expect, it } from "vitest";
import { staticVringsLayout, vringSize } from "./static-vrings-layout.ts";

describe("staticVringsLayout()", () => {
  it("matches the recorded Zephyr layout for 64 KiB (conformance family A)", () => {
    expect(staticVringsLayout({ shmSize: 0x10000 })).toEqual({
      kind: "static-vrings", shmSize: 0x10000, align: 4, bufferSize: 512, num: 32, statusOffset: 0,
      poolOffset: 4, poolSize: 34464, vring0Offset: 0x8354, vring1Offset: 0x8004,
    });
  });

  it.each([
    { shmSize: 0x10000, num: 32 },
    { shmSize: 0x8000, num: 16 },
    { shmSize: 0x100000, num: 512 },
    { shmSize: 0x4000, num: 8 },
  ])("gives num $num for $shmSize bytes", ({ shmSize, num }) => {
    const l = staticVringsLayout({ shmSize });
    expect(l.num).toBe(num);
    expect(l.vring0Offset + vringSize(l.num, l.align)).toBeLessThanOrEqual(shmSize);
  });

  it("computes vring_size(32, 4) = 846 and vring_size(256, 0x1000) = 10246", () => {
    expect(vringSize(32, 4)).toBe(846);
    expect(vringSize(256, 0x1000)).toBe(10246);
  });

  it.each([
    { opts: { shmSize: 100 }, msg: /too small/ },
    { opts: { shmSize: 0x10000, align: 3 }, msg: /power of two/ },
    { opts: { shmSize: -1 }, msg: /positive integer/ },
    { opts: { shmSize: 0x10000, bufferSize: 16 }, msg: /header/ },
  ])("rejects $opts with a RangeError", ({ opts, msg }) => {
    expect(() => staticVringsLayout(opts)).toThrow(RangeError);
    expect(() => staticVringsLayout(opts)).toThrow(msg);
  });
});
