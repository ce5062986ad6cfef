import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "./physical-memory.ts";
import { TraceBus, type FvpTraceEvent } from "./trace-bus.ts";

describe("PhysicalMemory", () => {
  it.each([
    { name: "same start", base: 0x1000, size: 0x10 },
    { name: "tail overlap", base: 0x0ff0, size: 0x20 },
    { name: "head overlap", base: 0x1ff0, size: 0x20 },
    { name: "containing", base: 0x0800, size: 0x2000 },
    { name: "contained", base: 0x1100, size: 0x10 },
  ])("map() rejects an overlap ($name) naming both regions and ranges", ({ base, size }) => {
    const mem = new PhysicalMemory();
    mem.map({ base: 0x1000, size: 0x1000, name: "a" });
    expect(() => mem.map({ base, size, name: "b" })).toThrow(RangeError);
    expect(() => mem.map({ base, size, name: "b" })).toThrow(/region "b" at 0x.*overlaps region "a" at 0x1000\.\.0x2000/);
  });

  it("allows regions that touch", () => {
    const mem = new PhysicalMemory();
    mem.map({ base: 0x1000, size: 0x1000, name: "a" });
    mem.map({ base: 0x2000, size: 0x1000, name: "b" });
    mem.map({ base: 0x0, size: 0x1000, name: "c" });
    expect(mem.regions().map((r) => r.name)).toEqual(["c", "a", "b"]);
  });

  it.each([
    { name: "zero size", base: 0, size: 0 },
    { name: "negative size", base: 0, size: -1 },
    { name: "fractional base", base: 0.5, size: 1 },
    { name: "past 2^53", base: 2 ** 53 - 8, size: 16 },
  ])("map() rejects $name with a RangeError", ({ base, size }) => {
    expect(() => new PhysicalMemory().map({ base, size, name: "x" })).toThrow(RangeError);
  });

  it("rejects a duplicate name", () => {
    const mem = new PhysicalMemory();
    mem.map({ base: 0, size: 1, name: "x" });
    expect(() => mem.map({ base: 8, size: 1, name: "x" })).toThrow(/already mapped/);
  });

  it("maps high addresses above 4 GiB", () => {
    const mem = new PhysicalMemory();
    mem.map({ base: 0x8_8000_0000, size: 0x1000, name: "hi" });
    const w = mem.window(0x8_8000_0ff0, 0x10);
    w.write32(0, 7);
    expect(mem.regionAt(0x8_8000_0ff0)?.name).toBe("hi");
    expect(new DataView(mem.region("hi")!.buffer).getUint32(0xff0, true)).toBe(7);
  });

  it("window() must lie inside one region", () => {
    const mem = new PhysicalMemory();
    mem.map({ base: 0x1000, size: 0x100, name: "a" });
    mem.map({ base: 0x1100, size: 0x100, name: "b" });
    expect(() => mem.window(0x10f0, 0x20)).toThrow(/region "a" at 0x1000\.\.0x1100 ends first/);
    expect(() => mem.window(0x3000, 4)).toThrow(/no region is mapped/);
  });

  it("only allows mappings inside the allowed ranges", () => {
    const mem = new PhysicalMemory({ allowed: [{ name: "dram0", base: 0, size: 0x1000 }] });
    mem.map({ base: 0xe00, size: 0x100, name: "ok" });
    expect(() => mem.map({ base: 0xf80, size: 0x100, name: "bad" })).toThrow(/not inside one memory bank \(dram0 0x0\.\.0x1000\)/);
  });

  it("adopts an existing buffer of the right size", () => {
    const buffer = new SharedArrayBuffer(16);
    new Uint8Array(buffer)[3] = 9;
    const mem = new PhysicalMemory();
    mem.map({ base: 0x100, size: 16, name: "kept", buffer });
    expect(mem.window(0x100, 16).read8(3)).toBe(9);
    expect(() => mem.map({ base: 0x200, size: 8, name: "bad", buffer })).toThrow(TypeError);
  });

  it("unmap() frees the range and errors on unknown names", () => {
    const mem = new PhysicalMemory();
    mem.map({ base: 0, size: 16, name: "x" });
    mem.unmap("x");
    expect(mem.region("x")).toBeUndefined();
    mem.map({ base: 0, size: 16, name: "y" });
    expect(() => mem.unmap("x")).toThrow(RangeError);
  });

  it("publishes region-mapped on the trace bus", () => {
    const trace = new TraceBus();
    const seen: FvpTraceEvent[] = [];
    trace.on((e) => seen.push(e));
    new PhysicalMemory({ trace }).map({ base: 0x40, size: 8, name: "t" });
    expect(seen).toEqual([{ type: "region-mapped", name: "t", base: 0x40, size: 8 }]);
  });
});
