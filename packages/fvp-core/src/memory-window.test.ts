import { describe, expect, it } from "vitest";
import { MemoryWindow } from "./memory-window.ts";
import { PhysicalMemory } from "./physical-memory.ts";

const BASE = 0x7fe0_0000;
const SIZE = 64;

function setup() {
  const mem = new PhysicalMemory();
  mem.map({ base: BASE - 0x100, size: 0x100, name: "below" });
  const shm = mem.map({ base: BASE, size: SIZE, name: "shm" });
  mem.map({ base: BASE + SIZE, size: 0x100, name: "above" });
  return { mem, shm, win: mem.window(BASE, SIZE) };
}

type Width = 1 | 2 | 4 | 8;
const widths: Array<{ op: string; width: Width }> = [
  { op: "8", width: 1 },
  { op: "16", width: 2 },
  { op: "32", width: 4 },
  { op: "64", width: 8 },
];

function read(w: MemoryWindow, width: Width, off: number): bigint {
  switch (width) {
    case 1: return BigInt(w.read8(off));
    case 2: return BigInt(w.read16(off));
    case 4: return BigInt(w.read32(off));
    case 8: return w.read64(off);
  }
}
function write(w: MemoryWindow, width: Width, off: number, v: bigint): void {
  switch (width) {
    case 1: return w.write8(off, Number(v));
    case 2: return w.write16(off, Number(v));
    case 4: return w.write32(off, Number(v));
    case 8: return w.write64(off, v);
  }
}
const pattern = (width: Width): bigint => BigInt.asUintN(width * 8, 0x8877665544332211n);

describe("MemoryWindow bounds", () => {
  it.each(widths)("read$op/write$op work at the first and last in-bounds offsets", ({ width }) => {
    const { win } = setup();
    for (const off of [0, SIZE - width]) {
      write(win, width, off, pattern(width));
      expect(read(win, width, off)).toBe(pattern(width));
    }
  });

  it.each(widths.flatMap(({ op, width }) => [-1, SIZE - width + 1, SIZE, 0.5, Number.NaN].map((off) => ({ op, width, off }))))(
    "read$op/write$op at offset $off throw a RangeError and leave neighbours untouched",
    ({ width, off }) => {
      const { mem, win } = setup();
      const below = mem.window(BASE - 0x100, 0x100);
      const above = mem.window(BASE + SIZE, 0x100);
      expect(() => read(win, width, off)).toThrow(RangeError);
      expect(() => write(win, width, off, pattern(width))).toThrow(RangeError);
      expect(below.view(0, 0x100).every((b) => b === 0)).toBe(true);
      expect(above.view(0, 0x100).every((b) => b === 0)).toBe(true);
    },
  );

  it("names the address, size and region in the error", () => {
    const { win } = setup();
    expect(() => win.read32(SIZE - 2)).toThrow(/read32 of 4 bytes at offset 0x3e \(address 0x7fe0_003e\).*64-byte window 0x7fe0_0000\.\.0x7fe0_0040 of region "shm"/);
  });

  it("stores little-endian", () => {
    const { win } = setup();
    win.write32(0, 0x11223344);
    expect([...win.view(0, 4)]).toEqual([0x44, 0x33, 0x22, 0x11]);
    win.write64(8, 0x0102030405060708n);
    expect(win.read32(8)).toBe(0x05060708);
    expect(win.read16(14)).toBe(0x0102);
  });

  it.each([
    { name: "copyIn", f: (w: MemoryWindow) => w.copyIn(SIZE - 2, new Uint8Array(3)) },
    { name: "copyOut", f: (w: MemoryWindow) => w.copyOut(SIZE - 2, 3) },
    { name: "view", f: (w: MemoryWindow) => w.view(SIZE, 1) },
    { name: "fill", f: (w: MemoryWindow) => w.fill(-1, 2, 0) },
    { name: "subwindow", f: (w: MemoryWindow) => w.subwindow(1, SIZE) },
  ])("$name past the end throws a RangeError", ({ f }) => {
    expect(() => f(setup().win)).toThrow(RangeError);
  });
});

describe("MemoryWindow data access", () => {
  it("copyOut returns a private copy while view shares the bytes", () => {
    const { win } = setup();
    win.copyIn(4, new Uint8Array([1, 2, 3]));
    const copy = win.copyOut(4, 3);
    const view = win.view(4, 3);
    win.write8(4, 9);
    expect([...copy]).toEqual([1, 2, 3]);
    expect([...view]).toEqual([9, 2, 3]);
    expect(copy.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it("subwindow shares bytes and reports its own base", () => {
    const { win } = setup();
    const sub = win.subwindow(16, 8);
    sub.write16(0, 0xabcd);
    expect(win.read16(16)).toBe(0xabcd);
    expect(sub.base).toBe(BASE + 16);
    expect(() => sub.read8(8)).toThrow(RangeError);
  });

  it("fill sets only the requested bytes", () => {
    const { win } = setup();
    win.fill(2, 3, 0xff);
    expect([...win.view(0, 6)]).toEqual([0, 0, 0xff, 0xff, 0xff, 0]);
  });

  it.each([
    { op: "loadAcquire16", f: (w: MemoryWindow) => w.loadAcquire16(1) },
    { op: "storeRelease16", f: (w: MemoryWindow) => w.storeRelease16(3, 1) },
    { op: "loadAcquire32", f: (w: MemoryWindow) => w.loadAcquire32(2) },
    { op: "storeRelease32", f: (w: MemoryWindow) => w.storeRelease32(6, 1) },
  ])("$op rejects a misaligned offset", ({ f, op }) => {
    expect(() => f(setup().win)).toThrow(new RegExp(`${op}.*not \\d-byte aligned`));
  });

  it("acquire/release accessors see the plain little-endian bytes", () => {
    const { win } = setup();
    win.storeRelease16(2, 0xfffe);
    expect(win.read16(2)).toBe(0xfffe);
    win.write32(4, 0xfedcba98);
    expect(win.loadAcquire32(4)).toBe(0xfedcba98);
    expect(win.loadAcquire16(2)).toBe(0xfffe);
  });

  it("checks alignment against the region, not the window", () => {
    const { mem } = setup();
    const odd = mem.window(BASE + 1, 8);
    expect(() => odd.loadAcquire16(0)).toThrow(/aligned/);
    expect(odd.loadAcquire16(1)).toBe(0);
  });

  it("a descriptor survives structuredClone and shares the same bytes", () => {
    const { win } = setup();
    const copy = MemoryWindow.fromDescriptor(structuredClone(win.subwindow(8, 8).describe()));
    copy.write32(0, 42);
    expect(win.read32(8)).toBe(42);
    expect(copy.region).toBe("shm");
  });

  it.each([
    { name: "wrong kind", d: { kind: "nope" } },
    { name: "plain ArrayBuffer", d: { kind: "v8r.window", buffer: new ArrayBuffer(8), byteOffset: 0, size: 8, base: 0, region: "x" } },
  ])("fromDescriptor rejects a $name with a TypeError", ({ d }) => {
    expect(() => MemoryWindow.fromDescriptor(d as never)).toThrow(TypeError);
  });

  it("fromDescriptor rejects a range that does not fit the buffer", () => {
    const d = { kind: "v8r.window" as const, buffer: new SharedArrayBuffer(8), byteOffset: 4, size: 8, base: 0, region: "x" };
    expect(() => MemoryWindow.fromDescriptor(d)).toThrow(RangeError);
  });
});
