import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "./physical-memory.ts";

const SIZE = 256;

describe("MemoryWindow properties", () => {
  it("any access either stays inside the window or throws a RangeError, and bytes outside it never change", () => {
    const op = fc.record({
      kind: fc.constantFrom("r8", "r16", "r32", "r64", "w8", "w16", "w32", "w64", "copyIn", "fill", "acq16", "rel32"),
      off: fc.integer({ min: -8, max: 80 }),
      len: fc.integer({ min: 0, max: 24 }),
      value: fc.integer({ min: 0, max: 0xffff_ffff }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 128 }), fc.integer({ min: 0, max: 64 }), fc.array(op, { maxLength: 30 }), (start, size, ops) => {
        const mem = new PhysicalMemory();
        const region = mem.map({ base: 0x1000, size: SIZE, name: "r" });
        const win = mem.window(0x1000 + start, size);
        const bytes = new Uint8Array(region.buffer);
        bytes.fill(0xee);
        for (const o of ops) {
          const width = { r8: 1, w8: 1, r16: 2, w16: 2, acq16: 2, r32: 4, w32: 4, rel32: 4, r64: 8, w64: 8, copyIn: o.len, fill: o.len }[o.kind];
          const inside = o.off >= 0 && o.off + width <= size;
          const run = (): unknown => {
            switch (o.kind) {
              case "r8": return win.read8(o.off);
              case "r16": return win.read16(o.off);
              case "r32": return win.read32(o.off);
              case "r64": return win.read64(o.off);
              case "w8": return win.write8(o.off, o.value);
              case "w16": return win.write16(o.off, o.value);
              case "w32": return win.write32(o.off, o.value);
              case "w64": return win.write64(o.off, BigInt(o.value) << 8n);
              case "copyIn": return win.copyIn(o.off, new Uint8Array(o.len).fill(o.value & 0xff));
              case "fill": return win.fill(o.off, o.len, o.value & 0xff);
              case "acq16": return win.loadAcquire16(o.off);
              case "rel32": return win.storeRelease32(o.off, o.value);
            }
          };
          const aligned = o.kind === "acq16" || o.kind === "rel32" ? (start + o.off) % width === 0 : true;
          if (inside && aligned) run();
          else expect(run).toThrow(RangeError);
        }
        const outside = [...bytes.subarray(0, start), ...bytes.subarray(start + size)];
        expect(outside.every((b) => b === 0xee)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
