import { inRegion } from "./_shm-range.ts";

/**
 * Shared memory as the C code sees it: byte offsets into one region, reached
 * only through these accessors. Out-of-range accesses never touch memory;
 * they read as 0, are ignored, and are counted in `faults`.
 */
export interface ShmAccessor {
  /** Region size in bytes. */
  readonly size: number;
  /** Out-of-range accesses seen so far. */
  readonly faults: number;
  /** Read an unsigned byte. */
  read8(off: number): number;
  /** Read an unsigned little-endian 16-bit value. */
  read16(off: number): number;
  /** Read an unsigned little-endian 32-bit value. */
  read32(off: number): number;
  /** Write a byte. */
  write8(off: number, value: number): void;
  /** Write a little-endian 16-bit value. */
  write16(off: number, value: number): void;
  /** Write a little-endian 32-bit value. */
  write32(off: number, value: number): void;
  /** Sequentially consistent 16-bit load (aligned offsets). */
  loadAcquire16(off: number): number;
  /** Sequentially consistent 32-bit load (aligned offsets). */
  loadAcquire32(off: number): number;
  /** Sequentially consistent 16-bit store (aligned offsets). */
  storeRelease16(off: number, value: number): void;
  /** Sequentially consistent 32-bit store (aligned offsets). */
  storeRelease32(off: number, value: number): void;
  /** A live view of `len` bytes at `off` (throws RangeError outside the region). */
  view(off: number, len: number): Uint8Array;
  /** Optional: the whole region as one view, for fast block copies. */
  readonly bytes?: Uint8Array;
}

/** Shared memory given as a buffer window. */
export interface ShmWindow {
  /** The backing buffer (a SharedArrayBuffer to share it between threads). */
  buffer: SharedArrayBuffer | ArrayBuffer;
  /** Start of the region in the buffer (default 0). */
  offset?: number;
  /** Region length (default: to the end of the buffer). */
  length?: number;
}

/**
 * A buffer window described the way fvp-core's MemoryWindow describes itself
 * (`{ buffer, byteOffset, size, base }`); `base` is its physical address.
 */
export interface ShmRegionWindow {
  /** The backing buffer. */
  buffer: SharedArrayBuffer | ArrayBuffer;
  /** Start of the region in the buffer. */
  byteOffset: number;
  /** Region length. */
  size: number;
  /** Physical address of the region's first byte (used as the default physBase). */
  base?: number;
}

/** What `createRpmsgDevice({ shm })` accepts. */
export type ShmInput = ShmWindow | ShmRegionWindow | ShmAccessor;

/** Physical address a shm input declares for its first byte, if any. */
export function shmPhysBase(shm: ShmInput): number | undefined {
  const base = (shm as ShmRegionWindow).base;
  return typeof base === "number" && !isAccessor(shm) ? base : undefined;
}

function isAccessor(shm: ShmInput): shm is ShmAccessor {
  return typeof (shm as ShmAccessor).read8 === "function";
}

/** Build a bounds-checked accessor over a buffer window (or return an accessor as given). */
export function createShmAccessor(shm: ShmInput): ShmAccessor {
  if (isAccessor(shm)) return shm;
  const total = shm.buffer.byteLength;
  const region = shm as ShmRegionWindow;
  const plain = shm as ShmWindow;
  const base = typeof region.byteOffset === "number" ? region.byteOffset : plain.offset ?? 0;
  const size = typeof region.size === "number" ? region.size : plain.length ?? total - base;
  if (!Number.isInteger(base) || !Number.isInteger(size) || base < 0 || size < 0 || base + size > total) {
    throw new RangeError(`[openamp-wasm] shm window ${base}+${size} does not fit a buffer of ${total} bytes`);
  }
  return new WindowAccessor(shm.buffer, base, size);
}

class WindowAccessor implements ShmAccessor {
  readonly size: number;
  faults = 0;
  readonly #base: number;
  readonly #dv: DataView;
  readonly bytes: Uint8Array;
  readonly #u16: Uint16Array | undefined;
  readonly #u32: Uint32Array | undefined;

  constructor(buffer: SharedArrayBuffer | ArrayBuffer, base: number, size: number) {
    this.size = size;
    this.#base = base;
    this.#dv = new DataView(buffer, base, size);
    this.bytes = new Uint8Array(buffer, base, size);
    this.#u16 = base % 2 === 0 ? new Uint16Array(buffer, 0, buffer.byteLength >>> 1) : undefined;
    this.#u32 = base % 4 === 0 ? new Uint32Array(buffer, 0, buffer.byteLength >>> 2) : undefined;
  }

  #ok(off: number, len: number): boolean {
    if (inRegion(off, len, this.size)) return true;
    this.faults++;
    return false;
  }

  read8(off: number): number {
    return this.#ok(off, 1) ? this.#dv.getUint8(off) : 0;
  }
  read16(off: number): number {
    return this.#ok(off, 2) ? this.#dv.getUint16(off, true) : 0;
  }
  read32(off: number): number {
    return this.#ok(off, 4) ? this.#dv.getUint32(off, true) : 0;
  }
  write8(off: number, value: number): void {
    if (this.#ok(off, 1)) this.#dv.setUint8(off, value);
  }
  write16(off: number, value: number): void {
    if (this.#ok(off, 2)) this.#dv.setUint16(off, value, true);
  }
  write32(off: number, value: number): void {
    if (this.#ok(off, 4)) this.#dv.setUint32(off, value, true);
  }
  loadAcquire16(off: number): number {
    if (!this.#ok(off, 2)) return 0;
    return this.#u16 && off % 2 === 0 ? Atomics.load(this.#u16, (this.#base + off) >>> 1) : this.#dv.getUint16(off, true);
  }
  loadAcquire32(off: number): number {
    if (!this.#ok(off, 4)) return 0;
    return this.#u32 && off % 4 === 0 ? Atomics.load(this.#u32, (this.#base + off) >>> 2) : this.#dv.getUint32(off, true);
  }
  storeRelease16(off: number, value: number): void {
    if (!this.#ok(off, 2)) return;
    if (this.#u16 && off % 2 === 0) Atomics.store(this.#u16, (this.#base + off) >>> 1, value);
    else this.#dv.setUint16(off, value, true);
  }
  storeRelease32(off: number, value: number): void {
    if (!this.#ok(off, 4)) return;
    if (this.#u32 && off % 4 === 0) Atomics.store(this.#u32, (this.#base + off) >>> 2, value);
    else this.#dv.setUint32(off, value, true);
  }
  view(off: number, len: number): Uint8Array {
    if (!inRegion(off, len, this.size)) {
      throw new RangeError(`[openamp-wasm] shm view ${off}+${len} is outside the ${this.size}-byte region`);
    }
    return this.bytes.subarray(off, off + len);
  }
}
