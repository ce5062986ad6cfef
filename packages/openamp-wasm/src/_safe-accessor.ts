import type { ShmAccessor } from "./shm.ts";

/** Faults the import layer saw itself (out-of-range blocks, accessors that threw). */
export interface FaultCounter {
  n: number;
}

/**
 * Wrap a caller-supplied accessor so that no call throws: a throwing access
 * reads as 0, is ignored and is counted in `counter`. An exception must never
 * unwind through wasm, which would leave the C state half-updated.
 */
export function guardAccessor(shm: ShmAccessor, counter: FaultCounter): ShmAccessor {
  const guard = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch {
      counter.n++;
      return fallback;
    }
  };
  return {
    get size() { return shm.size; },
    get faults() { return shm.faults; },
    get bytes() { return shm.bytes; },
    read8: (o) => guard(() => shm.read8(o), 0),
    read16: (o) => guard(() => shm.read16(o), 0),
    read32: (o) => guard(() => shm.read32(o), 0),
    write8: (o, v) => guard(() => shm.write8(o, v), undefined),
    write16: (o, v) => guard(() => shm.write16(o, v), undefined),
    write32: (o, v) => guard(() => shm.write32(o, v), undefined),
    loadAcquire16: (o) => guard(() => shm.loadAcquire16(o), 0),
    loadAcquire32: (o) => guard(() => shm.loadAcquire32(o), 0),
    storeRelease16: (o, v) => guard(() => shm.storeRelease16(o, v), undefined),
    storeRelease32: (o, v) => guard(() => shm.storeRelease32(o, v), undefined),
    view: (o, len) => shm.view(o, len),
  };
}
