import { hex, PREFIX, range } from "./_format.ts";
import { MemoryWindow } from "./memory-window.ts";
import type { FvpTraceEvent, TraceSink } from "./trace-bus.ts";

/** A mapped part of the physical address space, backed by its own SharedArrayBuffer. */
export interface MemoryRegion {
  /** Unique name, used in errors and traces. */
  readonly name: string;
  /** Physical address of the first byte. */
  readonly base: number;
  /** Length in bytes. */
  readonly size: number;
  /** The backing bytes. */
  readonly buffer: SharedArrayBuffer;
}

/** An address range where mapping is allowed (e.g. a DRAM bank of the model). */
export interface AddressRange {
  /** Human-readable name, used in errors. */
  readonly name: string;
  /** First address. */
  readonly base: number;
  /** Length in bytes. */
  readonly size: number;
}

/** Options of {@link PhysicalMemory}. */
export interface PhysicalMemoryOptions {
  /** When given, every mapping must lie inside one of these ranges. */
  allowed?: readonly AddressRange[];
  /** Receives `region-mapped` / `region-unmapped` events. */
  trace?: TraceSink<FvpTraceEvent>;
}

/** Options of {@link PhysicalMemory.map}. */
export interface MapOptions {
  /** Physical address of the first byte. */
  base: number;
  /** Length in bytes (not zero). */
  size: number;
  /** Unique region name. */
  name: string;
  /** Adopt existing bytes (exactly `size` long) instead of allocating zeroed ones. */
  buffer?: SharedArrayBuffer;
}

/** Highest address + 1 that a region may reach (2^53, the exact-number limit). */
const ADDRESS_LIMIT = Number.MAX_SAFE_INTEGER + 1;

/**
 * A sparse 64-bit physical address space: only mapped regions have bytes,
 * each backed by its own SharedArrayBuffer. Regions never overlap.
 *
 * @example
 * ```ts
 * const mem = new PhysicalMemory();
 * mem.map({ base: 0x7fe0_0000, size: 0x1000, name: "shm0" });
 * const w = mem.window(0x7fe0_0010, 16);
 * w.write16(0, 0xbeef);
 * ```
 */
export class PhysicalMemory {
  readonly #regions: MemoryRegion[] = [];
  readonly #allowed: readonly AddressRange[] | undefined;
  readonly #trace: TraceSink<FvpTraceEvent> | undefined;

  /** Create an empty address space. */
  constructor(opts: PhysicalMemoryOptions = {}) {
    this.#allowed = opts.allowed;
    this.#trace = opts.trace;
  }

  /** Back `[base, base + size)` with bytes; RangeError when it is empty, overlaps another region or lies outside the allowed ranges. */
  map(opts: MapOptions): MemoryRegion {
    const { base, size, name } = opts;
    if (typeof name !== "string" || name === "") throw new TypeError(`${PREFIX} mapping a region: name must be a non-empty string`);
    if (this.region(name)) throw new RangeError(`${PREFIX} mapping region "${name}": a region with that name is already mapped`);
    checkRange(`mapping region "${name}"`, base, size);
    const clash = this.#regions.find((r) => base < r.base + r.size && r.base < base + size);
    if (clash) {
      throw new RangeError(
        `${PREFIX} mapping region "${name}" at ${range(base, size)}: it overlaps region "${clash.name}" at ${range(clash.base, clash.size)}`,
      );
    }
    this.#checkAllowed(name, base, size);
    const buffer = opts.buffer ?? new SharedArrayBuffer(size);
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== size) {
      throw new TypeError(`${PREFIX} mapping region "${name}": the adopted buffer must be a SharedArrayBuffer of exactly ${size} bytes`);
    }
    const region: MemoryRegion = Object.freeze({ name, base, size, buffer });
    this.#regions.push(region);
    this.#regions.sort((a, b) => a.base - b.base);
    if (this.#trace?.active) this.#trace.emit({ type: "region-mapped", name, base, size });
    return region;
  }

  /** Remove a region; windows already made keep their bytes. RangeError for an unknown name. */
  unmap(name: string): void {
    const i = this.#regions.findIndex((r) => r.name === name);
    const r = this.#regions[i];
    if (!r) throw new RangeError(`${PREFIX} unmapping region "${name}": no region has that name`);
    this.#regions.splice(i, 1);
    if (this.#trace?.active) this.#trace.emit({ type: "region-unmapped", name, base: r.base, size: r.size });
  }

  /** The region called `name`, if mapped. */
  region(name: string): MemoryRegion | undefined {
    return this.#regions.find((r) => r.name === name);
  }

  /** All mapped regions, by ascending base address. */
  regions(): readonly MemoryRegion[] {
    return [...this.#regions];
  }

  /** The region containing `address`, if any. */
  regionAt(address: number): MemoryRegion | undefined {
    return this.#regions.find((r) => address >= r.base && address < r.base + r.size);
  }

  /** A bounds-checked window over `[base, base + size)`, which must lie inside one mapped region. */
  window(base: number, size: number): MemoryWindow {
    checkRange("making a window", base, size, true);
    const r = this.regionAt(base);
    if (!r || base + size > r.base + r.size) {
      const where = r ? `region "${r.name}" at ${range(r.base, r.size)} ends first` : "no region is mapped at its start";
      throw new RangeError(`${PREFIX} making a window at ${range(base, size)} (${size} bytes): ${where}`);
    }
    return new MemoryWindow({ kind: "v8r.window", buffer: r.buffer, byteOffset: base - r.base, size, base, region: r.name });
  }

  #checkAllowed(name: string, base: number, size: number): void {
    const allowed = this.#allowed;
    if (!allowed) return;
    if (allowed.some((a) => base >= a.base && base + size <= a.base + a.size)) return;
    const list = allowed.map((a) => `${a.name} ${range(a.base, a.size)}`).join(", ");
    throw new RangeError(`${PREFIX} mapping region "${name}" at ${range(base, size)}: it is not inside one memory bank (${list})`);
  }
}

function checkRange(doing: string, base: number, size: number, allowZero = false): void {
  if (!Number.isSafeInteger(base) || base < 0) {
    throw new RangeError(`${PREFIX} ${doing}: base ${String(base)} is not an address (a non-negative integer)`);
  }
  if (!Number.isSafeInteger(size) || size < 0 || (size === 0 && !allowZero)) {
    throw new RangeError(`${PREFIX} ${doing} at ${hex(base)}: size ${String(size)} must be a positive integer`);
  }
  if (base + size > ADDRESS_LIMIT) {
    throw new RangeError(`${PREFIX} ${doing}: ${range(base, size)} goes past the 2^53 address limit`);
  }
}
