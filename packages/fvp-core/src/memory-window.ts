import { hex, PREFIX, range } from "./_format.ts";

/**
 * A plain, structured-cloneable description of a {@link MemoryWindow}: send it
 * to another thread and rebuild the window there with
 * {@link MemoryWindow.fromDescriptor}; both share the same bytes.
 */
export interface WindowDescriptor {
  /** Always `"v8r.window"`. */
  readonly kind: "v8r.window";
  /** The region's backing bytes. */
  readonly buffer: SharedArrayBuffer;
  /** Where the window starts inside `buffer`. */
  readonly byteOffset: number;
  /** Window length in bytes. */
  readonly size: number;
  /** Physical address of the window's first byte. */
  readonly base: number;
  /** Name of the region the window lies in. */
  readonly region: string;
}

/**
 * A bounds-checked view of part of one mapped region: little-endian reads and
 * writes, acquire/release ring-index accessors (Atomics), copies and zero-copy
 * views. Offsets are relative to the window's base; an access outside the
 * window throws a RangeError and never touches other bytes.
 *
 * @example
 * ```ts
 * const w = MemoryWindow.fromDescriptor({ kind: "v8r.window", buffer: new SharedArrayBuffer(16), byteOffset: 0, size: 16, base: 0x1000, region: "demo" });
 * w.write32(4, 0xdeadbeef);
 * w.read32(4); // 0xdeadbeef
 * ```
 */
export class MemoryWindow {
  /** Physical address of the window's first byte. */
  readonly base: number;
  /** Window length in bytes. */
  readonly size: number;
  /** Name of the region the window lies in. */
  readonly region: string;
  /** The region's backing bytes. */
  readonly buffer: SharedArrayBuffer;
  /** Where the window starts inside `buffer`. */
  readonly byteOffset: number;
  readonly #dv: DataView;
  #u16: Uint16Array | undefined;
  #i32: Int32Array | undefined;

  /** Build a window; prefer {@link PhysicalMemory.window} or {@link MemoryWindow.fromDescriptor}. */
  constructor(d: WindowDescriptor) {
    if (d === null || typeof d !== "object" || d.kind !== "v8r.window") {
      throw new TypeError(`${PREFIX} building a memory window: the descriptor is not a "v8r.window" object`);
    }
    if (!(d.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(`${PREFIX} building window on region "${String(d.region)}": buffer is not a SharedArrayBuffer`);
    }
    const ok = isUint(d.byteOffset) && isUint(d.size) && isUint(d.base) && d.byteOffset + d.size <= d.buffer.byteLength;
    if (!ok) {
      throw new RangeError(
        `${PREFIX} building window on region "${String(d.region)}": offset ${d.byteOffset} + size ${d.size} does not fit its ${d.buffer.byteLength}-byte buffer`,
      );
    }
    this.base = d.base;
    this.size = d.size;
    this.region = d.region;
    this.buffer = d.buffer;
    this.byteOffset = d.byteOffset;
    this.#dv = new DataView(d.buffer, d.byteOffset, d.size);
  }

  /** Rebuild a window from a descriptor (possibly received from another thread). */
  static fromDescriptor(d: WindowDescriptor): MemoryWindow {
    return new MemoryWindow(d);
  }

  /** A plain description of this window that can cross threads. */
  describe(): WindowDescriptor {
    const { buffer, byteOffset, size, base, region } = this;
    return { kind: "v8r.window", buffer, byteOffset, size, base, region };
  }

  /** Read an unsigned byte. */
  read8(off: number): number {
    this.#check("read8", off, 1);
    return this.#dv.getUint8(off);
  }
  /** Read a little-endian unsigned 16-bit value. */
  read16(off: number): number {
    this.#check("read16", off, 2);
    return this.#dv.getUint16(off, true);
  }
  /** Read a little-endian unsigned 32-bit value. */
  read32(off: number): number {
    this.#check("read32", off, 4);
    return this.#dv.getUint32(off, true);
  }
  /** Read a little-endian unsigned 64-bit value. */
  read64(off: number): bigint {
    this.#check("read64", off, 8);
    return this.#dv.getBigUint64(off, true);
  }
  /** Write a byte (the value is truncated to 8 bits). */
  write8(off: number, v: number): void {
    this.#check("write8", off, 1);
    this.#dv.setUint8(off, v);
  }
  /** Write a little-endian 16-bit value (truncated to 16 bits). */
  write16(off: number, v: number): void {
    this.#check("write16", off, 2);
    this.#dv.setUint16(off, v, true);
  }
  /** Write a little-endian 32-bit value (truncated to 32 bits). */
  write32(off: number, v: number): void {
    this.#check("write32", off, 4);
    this.#dv.setUint32(off, v, true);
  }
  /** Write a little-endian 64-bit value (taken modulo 2^64). */
  write64(off: number, v: bigint): void {
    this.#check("write64", off, 8);
    this.#dv.setBigUint64(off, BigInt.asUintN(64, v), true);
  }

  /** Atomic load with acquire ordering of a naturally aligned 16-bit ring index. */
  loadAcquire16(off: number): number {
    return Atomics.load(this.#u16view(), this.#index("loadAcquire16", off, 2));
  }
  /** Atomic load with acquire ordering of a naturally aligned 32-bit value (unsigned). */
  loadAcquire32(off: number): number {
    return Atomics.load(this.#i32view(), this.#index("loadAcquire32", off, 4)) >>> 0;
  }
  /** Atomic store with release ordering of a naturally aligned 16-bit ring index. */
  storeRelease16(off: number, v: number): void {
    Atomics.store(this.#u16view(), this.#index("storeRelease16", off, 2), v);
  }
  /** Atomic store with release ordering of a naturally aligned 32-bit value. */
  storeRelease32(off: number, v: number): void {
    Atomics.store(this.#i32view(), this.#index("storeRelease32", off, 4), v | 0);
  }

  /** Copy `src` into the window at `off`. */
  copyIn(off: number, src: Uint8Array): void {
    this.#check("copyIn", off, src.byteLength);
    new Uint8Array(this.buffer, this.byteOffset + off, src.byteLength).set(src);
  }
  /** A fresh (non-shared) copy of `len` bytes at `off`. */
  copyOut(off: number, len: number): Uint8Array {
    this.#check("copyOut", off, len);
    return new Uint8Array(this.buffer, this.byteOffset + off, len).slice();
  }
  /** A zero-copy `Uint8Array` over `len` bytes at `off` (writes go to the region). */
  view(off: number, len: number): Uint8Array {
    this.#check("view", off, len);
    return new Uint8Array(this.buffer, this.byteOffset + off, len);
  }
  /** Set `len` bytes at `off` to `value`. */
  fill(off: number, len: number, value: number): void {
    this.#check("fill", off, len);
    new Uint8Array(this.buffer, this.byteOffset + off, len).fill(value);
  }
  /** A window over `len` bytes at `off` of this one, sharing its bytes. */
  subwindow(off: number, len: number): MemoryWindow {
    this.#check("subwindow", off, len);
    return new MemoryWindow({
      kind: "v8r.window",
      buffer: this.buffer,
      byteOffset: this.byteOffset + off,
      size: len,
      base: this.base + off,
      region: this.region,
    });
  }

  #check(op: string, off: number, len: number): void {
    if (isUint(off) && isUint(len) && off + len <= this.size) return;
    const at = Number.isFinite(off) ? `${hex(Math.trunc(off))} (address ${hex(this.base + Math.trunc(off))})` : String(off);
    throw new RangeError(
      `${PREFIX} ${op} of ${len} bytes at offset ${at} is outside the ${this.size}-byte window ${range(this.base, this.size)} of region "${this.region}"`,
    );
  }

  #index(op: string, off: number, width: 2 | 4): number {
    this.#check(op, off, width);
    const abs = this.byteOffset + off;
    if (abs % width !== 0) {
      throw new RangeError(
        `${PREFIX} ${op} at offset ${hex(off)} (address ${hex(this.base + off)}) of region "${this.region}" is not ${width}-byte aligned`,
      );
    }
    return abs / width;
  }

  #u16view(): Uint16Array {
    return (this.#u16 ??= new Uint16Array(this.buffer, 0, this.buffer.byteLength >>> 1));
  }
  #i32view(): Int32Array {
    return (this.#i32 ??= new Int32Array(this.buffer, 0, this.buffer.byteLength >>> 2));
  }
}

function isUint(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
