import type { FaultCounter } from "./_safe-accessor.ts";
import { inRegion } from "./_shm-range.ts";
import { makeSleep } from "./_sleep.ts";
import type { EnvHandlers } from "./_wasm-api.ts";
import type { ShmAccessor } from "./shm.ts";

/**
 * Build the import object of one instance: "v8r_shm" over the accessor (all
 * offsets are region offsets; the accessor bounds-checks) and "v8r_env" over
 * the handlers. `memory()` returns the instance's memory once it exists.
 * Block accesses outside the region, or whose view throws, are counted in
 * `faults` and skipped; no import throws. `shm` must not throw either (wrap
 * caller-supplied accessors with guardAccessor()).
 */
export function buildImports(shm: ShmAccessor, env: EnvHandlers, memory: () => WebAssembly.Memory, faults: FaultCounter): WebAssembly.Imports {
  // Uint8Array<ArrayBufferLike>: a memory's buffer may be a SharedArrayBuffer (Deno's lib says so)
  let mem: Uint8Array = new Uint8Array(0);
  // memory.grow() detaches the old buffer (byteLength 0): refresh the cached view then
  const wasmBytes = (): Uint8Array => (mem.byteLength ? mem : (mem = new Uint8Array(memory().buffer)));
  const region = shm.bytes;
  const sleep = makeSleep();
  const copy = (dst: Uint8Array, d: number, src: Uint8Array, s: number, len: number): void => {
    if (len <= 32) for (let i = 0; i < len; i++) dst[d + i] = src[s + i] as number;
    else dst.set(src.subarray(s, s + len), d);
  };
  /** Whether [o, o + len) lies in the region; a range outside it is counted as a fault. (No closure per access: these run per message.) */
  const inBlock = (o: number, len: number): boolean => {
    if (inRegion(o, len, shm.size)) return true;
    faults.n++;
    return false;
  };
  return {
    v8r_shm: {
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
      block_read: (o: number, ptr: number, len: number) => {
        o >>>= 0;
        len >>>= 0;
        if (!inBlock(o, len)) return;
        try {
          copy(wasmBytes(), ptr >>> 0, region ?? shm.view(o, len), region ? o : 0, len);
        } catch {
          faults.n++;
        }
      },
      block_write: (o: number, ptr: number, len: number) => {
        o >>>= 0;
        len >>>= 0;
        if (!inBlock(o, len)) return;
        try {
          copy(region ?? shm.view(o, len), region ? o : 0, wasmBytes(), ptr >>> 0, len);
        } catch {
          faults.n++;
        }
      },
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
    },
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
