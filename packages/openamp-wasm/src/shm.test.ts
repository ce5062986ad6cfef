import { describe, expect, it } from "vitest";
import { createShmAccessor } from "./shm.ts";

describe("createShmAccessor()", () => {
  it("reads and writes little-endian values inside a window of a SharedArrayBuffer", () => {
    const buf = new SharedArrayBuffer(64);
    const a = createShmAccessor({ buffer: buf, offset: 16, length: 32 });
    a.write32(0, 0x11223344);
    a.storeRelease16(4, 0xbeef);
    expect(new Uint8Array(buf, 16, 6)).toEqual(new Uint8Array([0x44, 0x33, 0x22, 0x11, 0xef, 0xbe]));
    expect(a.loadAcquire32(0)).toBe(0x11223344);
    expect(a.read16(1)).toBe(0x2233);
    expect(a.view(0, 2).buffer).toBe(buf);
  });

  it("counts and refuses accesses outside the window instead of touching memory", () => {
    const buf = new ArrayBuffer(32);
    const a = createShmAccessor({ buffer: buf, offset: 8, length: 8 });
    a.write32(6, 0xffffffff);
    expect(a.read8(8)).toBe(0);
    expect(a.faults).toBe(2);
    expect(new Uint8Array(buf).every((b) => b === 0)).toBe(true);
    expect(() => a.view(4, 8)).toThrow(RangeError);
  });

  it("rejects a window that does not fit its buffer", () => {
    expect(() => createShmAccessor({ buffer: new ArrayBuffer(16), offset: 8, length: 16 })).toThrow(RangeError);
  });

  it("accepts a MemoryWindow-shaped { buffer, byteOffset, size }", () => {
    const buf = new SharedArrayBuffer(64);
    const a = createShmAccessor({ buffer: buf, byteOffset: 32, size: 16, base: 0x7000_0000 });
    a.write8(0, 7);
    expect(new Uint8Array(buf)[32]).toBe(7);
    expect(a.size).toBe(16);
  });
});
