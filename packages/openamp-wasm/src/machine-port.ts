/**
 * The host side of the v8r machine port (`platform_info.h`) and of the
 * OpenAMP library inside a WASI program built with v8r-cc: the imports
 * `v8r_shm` (shared memory through I/O ops), `v8r_env` (log lines, sleep,
 * time) and `v8r_port` (choose a region and a doorbell, ring it, wait for it,
 * the watchdog). The guest OS supplies the regions and doorbells it has; this
 * module knows nothing of Xen.
 *
 * @module
 */
import type { MaybeAsync } from "./_asyncify.ts";
import { forwardShmImports, shmImports } from "./_imports.ts";
import type { FaultCounter } from "./_safe-accessor.ts";
import { guardAccessor } from "./_safe-accessor.ts";
import type { Waits } from "./_waits.ts";
import { createShmAccessor, type ShmAccessor, type ShmInput, shmPhysBase } from "./shm.ts";

/** A shared-memory region a program may choose (`shm_id=<name>` in its arguments). */
export interface MachineRegion {
  /** Its name (Xen: the static shm id). */
  readonly name: string;
  /** The bytes: a buffer window, a MemoryWindow-shaped `{ buffer, byteOffset, size, base }`, or an accessor. */
  readonly shm: ShmInput;
  /** Physical address of its first byte (default: the window's `base`, else 0). */
  readonly physBase?: number;
}

/** What a guest OS gives the machine port of a program. */
export interface MachinePortOptions {
  /** The regions the program may use; with one, it needs not name it. */
  readonly regions: readonly MachineRegion[];
  /** The doorbells (Xen: static event channel ports); with one, it needs not name it. */
  readonly doorbells: readonly number[];
  /** Ring the peer's side of doorbell `id`. */
  notify(id: number): void;
}

/** libmetal's log levels, as `metal_log` numbers them. */
export const METAL_LOG_LEVELS = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"] as const;

const ENOENT = -2;
const EINVAL = -22;

/** What the port's imports need from the program runner. */
export interface MachinePortHost {
  /** The program's memory (once instantiated). */
  memory(): WebAssembly.Memory;
  /** The program's waits and doorbell. */
  readonly waits: Waits;
  /** Platform time, ms. */
  now(): number;
  /** A libmetal log line (level as in METAL_LOG_LEVELS). */
  log(level: number, message: string): void;
  /** A line of the port's own (why platform_init failed). */
  error(message: string): void;
}

type ImportFn = (...args: never[]) => MaybeAsync<unknown>;

/**
 * The import modules `v8r_shm`, `v8r_env` and `v8r_port` of one program.
 * Without `options` the program has no shared memory and no doorbell:
 * platform_init fails with a message saying so.
 */
export function machinePortImports(options: MachinePortOptions | undefined, host: MachinePortHost): Record<string, Record<string, ImportFn>> {
  const faults: FaultCounter = { n: 0 };
  const none = createShmAccessor({ buffer: new ArrayBuffer(0) });
  let cur = shmImports(none, host.memory, faults);
  let doorbell: number | undefined;
  const decoder = new TextDecoder();
  const text = (ptr: number, len: number): string => decoder.decode(new Uint8Array(host.memory().buffer, ptr >>> 0, len >>> 0).slice());
  const fail = (message: string, code: number): number => {
    host.error(`[openamp-wasm] platform_init: ${message}`);
    return code;
  };
  const regions = options?.regions ?? [];
  const doorbells = options?.doorbells ?? [];
  return {
    v8r_shm: forwardShmImports(() => cur),
    v8r_env: {
      log: (level: number, ptr: number, len: number) => host.log(level, text(ptr, len)),
      sleep_us: (usec: number) => host.waits.sleepUs(usec >>> 0),
      now_ms: () => host.now(),
    },
    v8r_port: {
      shm_open: (namePtr: number, len: number, sizePtr: number, physPtr: number): number => {
        const name = text(namePtr, len);
        const r = chooseRegion(regions, name);
        if (typeof r === "string") return fail(r, name !== "" && regions.length > 0 ? ENOENT : EINVAL);
        const acc = guardAccessor(createShmAccessor(r.shm), faults);
        cur = shmImports(acc, host.memory, faults);
        const dv = new DataView(host.memory().buffer);
        dv.setUint32(sizePtr >>> 0, acc.size, true);
        dv.setUint32(physPtr >>> 0, (r.physBase ?? shmPhysBase(r.shm) ?? 0) >>> 0, true);
        return 0;
      },
      doorbell_open: (id: number): number => {
        const r = chooseDoorbell(doorbells, id);
        if (typeof r === "string") return fail(r, ENOENT);
        doorbell = r;
        return r;
      },
      notify: () => {
        if (doorbell !== undefined) options?.notify(doorbell);
      },
      wait: (timeoutMs: number) => host.waits.waitRing(timeoutMs >>> 0),
      watchdog: () => host.waits.watchdog(),
    },
  };
}

function chooseRegion(regions: readonly MachineRegion[], name: string): MachineRegion | string {
  const names = regions.map((r) => JSON.stringify(r.name)).join(", ");
  if (regions.length === 0) return "this guest has no shared memory region";
  if (name === "") {
    if (regions.length === 1) return regions[0]!;
    return `this guest has ${regions.length} shared memory regions (${names}); name one with shm_id=<id> in its arguments`;
  }
  return regions.find((r) => r.name === name) ?? `no shared memory region is named ${JSON.stringify(name)} (this guest has ${names})`;
}

function chooseDoorbell(doorbells: readonly number[], id: number): number | string {
  const list = doorbells.join(", ");
  if (doorbells.length === 0) return "this guest has no event channel";
  if (id < 0) {
    if (doorbells.length === 1) return doorbells[0]!;
    return `this guest has ${doorbells.length} event channels (ports ${list}); name one with evtchn=<port> in its arguments`;
  }
  return doorbells.includes(id) ? id : `event channel ${id} is not one of this guest's (ports ${list})`;
}
