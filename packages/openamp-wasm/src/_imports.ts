import type { FaultCounter } from "./_safe-accessor.ts";
import { inRegion } from "./_shm-range.ts";
import { makeSleep } from "./_sleep.ts";
import type { EnvHandlers } from "./_wasm-api.ts";
import type { ShmAccessor } from "./shm.ts";

/** publish16's flag: a compare-and-store found other bits and stored nothing (V8R_PUBLISH_REFUSED in csrc/_platform.h). */
const PUBLISH_REFUSED = 0x10000;

/**
 * Build the import object of one instance: "v8r_shm" over the accessor (see
 * {@link shmImports}) and "v8r_env" over the handlers. `memory()` returns the
 * instance's memory once it exists.
 */
export function buildImports(shm: ShmAccessor, env: EnvHandlers, memory: () => WebAssembly.Memory, faults: FaultCounter): WebAssembly.Imports {
  const sleep = makeSleep();
  return {
    v8r_shm: shmImports(shm, memory, faults),
    v8r_env: {
      notify: (id: number) => env.notify(id >>> 0),
      on_message: (ept: number, src: number, off: number, len: number, k: number) => env.onMessage(ept >>> 0, src >>> 0, off >>> 0, len >>> 0, k >>> 0),
      on_ns_bind: (ptr: number, len: number, addr: number) => env.onNsBind(ptr >>> 0, len >>> 0, addr >>> 0),
      on_bind: (ept: number, dest: number, old: number) => env.onBind(ept >>> 0, dest >>> 0, old >>> 0),
      log: (level: number, ptr: number, len: number) => env.log(level, ptr >>> 0, len >>> 0),
      sleep_us: (usec: number) => sleep(usec >>> 0),
    },
    env: { emscripten_notify_memory_growth: () => {} },
  };
}

/** The "v8r_shm" import module (csrc/_platform.h), by import name. */
export type ShmImports = ReturnType<typeof shmImports>;

/**
 * The "v8r_shm" imports over the accessor: all offsets are region offsets;
 * the accessor bounds-checks. Block accesses outside the region, or whose
 * view throws, are counted in `faults` and skipped; no import throws. `shm`
 * must not throw either (wrap caller-supplied accessors with guardAccessor()).
 */
export function shmImports(shm: ShmAccessor, memory: () => WebAssembly.Memory, faults: FaultCounter) {
  // views over ArrayBufferLike: a memory's buffer may be a SharedArrayBuffer (Deno's lib says so)
  let mem: Uint8Array = new Uint8Array(0);
  let mem32: Int32Array = new Int32Array(0);
  let mem16: Uint16Array = new Uint16Array(0);
  // memory.grow() detaches the old buffer (byteLength 0): refresh the cached views then
  const refresh = (): void => {
    const buf = memory().buffer;
    mem = new Uint8Array(buf);
    mem32 = new Int32Array(buf);
    mem16 = new Uint16Array(buf);
  };
  const size = shm.size;
  const region = shm.bytes;
  const region32 = region && region.byteOffset % 4 === 0 ? new Int32Array(region.buffer, region.byteOffset, region.length >>> 2) : undefined;
  const region16 = region && region.byteOffset % 2 === 0 ? new Uint16Array(region.buffer, region.byteOffset, region.length >>> 1) : undefined;
  /**
   * Whether wasm memory holds [0, end): a bad C pointer must not read undefined (stored as 0) or write past the end
   * (ignored by a typed array). The cached views are refreshed once when they look too short (grown memory).
   */
  const inWasm = (end: number): boolean => end <= mem.byteLength || (refresh(), end <= mem.byteLength);
  /**
   * The paths a message takes, inline and without a try: 32- or 16-bit words when both ends and the length are
   * aligned (no view made per call), the range inside the region (the wasm range is checked by the caller). False
   * when the access needs the general path (move).
   */
  const words = (toWasm: boolean, o: number, ptr: number, len: number): boolean => {
    if (o + len > size) return false;
    if (region32 && ((o | ptr | len) & 3) === 0) {
      const a = ptr >>> 2, b = o >>> 2, n = len >>> 2;
      if (toWasm) for (let i = 0; i < n; i++) mem32[a + i] = region32[b + i] as number;
      else for (let i = 0; i < n; i++) region32[b + i] = mem32[a + i] as number;
    } else if (region16 && ((o | ptr | len) & 1) === 0) {
      const a = ptr >>> 1, b = o >>> 1, n = len >>> 1;
      if (toWasm) for (let i = 0; i < n; i++) mem16[a + i] = region16[b + i] as number;
      else for (let i = 0; i < n; i++) region16[b + i] = mem16[a + i] as number;
    } else {
      return false;
    }
    return true;
  };
  /** Copy len bytes between shared memory at o and wasm memory at ptr (toWasm: shared -> wasm), unaligned: bytes when short. */
  const move = (toWasm: boolean, o: number, ptr: number, len: number): void => {
    const m = mem;
    if (region && len <= 64) {
      if (toWasm) for (let i = 0; i < len; i++) m[ptr + i] = region[o + i] as number;
      else for (let i = 0; i < len; i++) region[o + i] = m[ptr + i] as number;
    } else if (toWasm) {
      m.set(region ? region.subarray(o, o + len) : shm.view(o, len), ptr);
    } else {
      (region ? region.subarray(o, o + len) : shm.view(o, len)).set(m.subarray(ptr, ptr + len));
    }
  };
  /** Whether [o, o + len) lies in the region; a range outside it is counted as a fault. (No closure per access: these run per message.) */
  const inBlock = (o: number, len: number): boolean => {
    if (inRegion(o, len, size)) return true;
    faults.n++;
    return false;
  };
  /** A block copy (words, else move) of a range in the region; one outside it or outside wasm memory, or whose copy throws, is a fault. */
  const copy = (toWasm: boolean, o: number, ptr: number, len: number): void => {
    if (!inWasm(ptr + len)) {
      faults.n++;
      return;
    }
    if (words(toWasm, o, ptr, len) || !inBlock(o, len)) return;
    try {
      move(toWasm, o, ptr, len);
    } catch {
      faults.n++;
    }
  };
  /**
   * Store (or compare-and-store) 16 bits at so, then load 16 bits at lo; returns them, plus PUBLISH_REFUSED when a
   * compare-and-store found other bits (see csrc/_platform.h). Small results only: a boxed number would be allocated.
   */
  const exchange16 = (so: number, expect: number, value: number, lo: number): number => {
    // 16-bit atomics straight on the region when it is 2-aligned in its buffer (else through the accessor)
    const u16 = region16;
    if (u16 && so % 2 === 0 && lo % 2 === 0 && inRegion(so, 2, size) && inRegion(lo, 2, size)) {
      if (expect > 0xffff) Atomics.store(u16, so >>> 1, value);
      else if (Atomics.compareExchange(u16, so >>> 1, expect, value) !== expect) return PUBLISH_REFUSED | Atomics.load(u16, lo >>> 1);
      return Atomics.load(u16, lo >>> 1);
    }
    const refused = expect <= 0xffff && shm.loadAcquire16(so) !== expect;
    if (!refused) shm.storeRelease16(so, value);
    return (refused ? PUBLISH_REFUSED : 0) | shm.loadAcquire16(lo);
  };
  return {
    read8: (o: number) => shm.read8(o >>> 0),
    read16: (o: number) => shm.read16(o >>> 0),
    read32: (o: number) => shm.read32(o >>> 0) | 0,
    write8: (o: number, v: number) => shm.write8(o >>> 0, v & 0xff),
    write16: (o: number, v: number) => shm.write16(o >>> 0, v & 0xffff),
    write32: (o: number, v: number) => shm.write32(o >>> 0, v >>> 0),
    load_acquire16: (o: number) => shm.loadAcquire16(o >>> 0),
    load_acquire32: (o: number) => shm.loadAcquire32(o >>> 0) | 0,
    store_release16: (o: number, v: number) => shm.storeRelease16(o >>> 0, v & 0xffff),
    store_release32: (o: number, v: number) => shm.storeRelease32(o >>> 0, v >>> 0),
    block_read: (o: number, ptr: number, len: number) => copy(true, o >>> 0, ptr >>> 0, len >>> 0),
    block_write: (o: number, ptr: number, len: number) => copy(false, o >>> 0, ptr >>> 0, len >>> 0),
    publish16: (o: number, ptr: number, len: number, so: number, expect: number, value: number, lo: number) => {
      if (len >>> 0) copy(false, o >>> 0, ptr >>> 0, len >>> 0);
      return exchange16(so >>> 0, expect >>> 0, value & 0xffff, lo >>> 0);
    },
    publish16x2: (o: number, ptr: number, len: number, o2: number, ptr2: number, len2: number, so: number, expect: number, value: number, lo: number) => {
      o >>>= 0;
      ptr >>>= 0;
      o2 >>>= 0;
      ptr2 >>>= 0;
      if (len === 2 && len2 === 16 && region32 && region16 && ((o | ptr) & 1) === 0 && ((o2 | ptr2) & 3) === 0 && o + 2 <= size && o2 + 16 <= size &&
        inWasm(Math.max(ptr + 2, ptr2 + 16))) {
        // a host's send: its avail entry and the descriptor it names, straight
        region16[o >>> 1] = mem16[ptr >>> 1] as number;
        const a = ptr2 >>> 2, b = o2 >>> 2;
        region32[b] = mem32[a] as number;
        region32[b + 1] = mem32[a + 1] as number;
        region32[b + 2] = mem32[a + 2] as number;
        region32[b + 3] = mem32[a + 3] as number;
      } else {
        if (len >>> 0) copy(false, o, ptr, len >>> 0);
        if (len2 >>> 0) copy(false, o2, ptr2, len2 >>> 0);
      }
      return exchange16(so >>> 0, expect >>> 0, value & 0xffff, lo >>> 0);
    },
    block_gather: (offs: number, n: number, len: number, ptr: number) => {
      // the offsets are n u32 words at offs (4-aligned) in wasm memory; a block outside the region is a fault, as block_read's
      len >>>= 0;
      n >>>= 0;
      ptr >>>= 0;
      if (!inWasm((offs >>> 0) + 4 * n)) {
        faults.n++;
        return;
      }
      const at = offs >>> 2;
      for (let i = 0; i < n; i++) copy(true, (mem32[at + i] as number) >>> 0, ptr + i * len, len);
    },
    read8_acquire16: (o8: number, o16: number) => (shm.read8(o8 >>> 0) << 16) | shm.loadAcquire16(o16 >>> 0),
    block_set: (o: number, v: number, len: number) => {
      o >>>= 0;
      len >>>= 0;
      if (!inBlock(o, len)) return;
      try {
        shm.view(o, len).fill(v & 0xff);
      } catch {
        faults.n++;
      }
    },
  };
}

/**
 * Imports that call, at each call, the set `current()` returns: for a program
 * that picks its region after it was instantiated. Built from the names of
 * {@link shmImports}, so no import is left out or forwarded wrongly.
 */
export function forwardShmImports(current: () => ShmImports): ShmImports {
  type Fn = (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number) => number | void;
  const at = (name: string): Fn => (current() as unknown as Record<string, Fn>)[name] as Fn;
  const out: Record<string, Fn> = {};
  // fixed parameters (a rest array would be allocated per call); an import ignores the ones it does not take
  for (const name of Object.keys(current())) out[name] = (a, b, c, d, e, f, g, h, i, j) => at(name)(a, b, c, d, e, f, g, h, i, j);
  return out as unknown as ShmImports;
}
