/**
 * The Zephyr C API of a WASI program on this Zephyr: the import module
 * `v8r_zephyr` behind `include/zephyr/kernel.h`, `zephyr/logging/log.h` and
 * `zephyr/debug/cpu_load.h` (uptime, threads with their runtime statistics,
 * the system heap's statistics, the vCPU load, printk and logging), answered
 * by the kernel the program runs on. The WASI runner gives these imports to
 * every program it runs on Zephyr.
 *
 * @module
 */
import type { KThread } from "./kernel/thread.ts";
import type { LogLevelValue, Logger } from "./kernel/log.ts";
import type { Zephyr } from "./zephyr.ts";
import type { ProgramMemory } from "@v8r/xen-dom0less";

/** A function a program imports. */
type ProgramImport = (...args: never[]) => unknown;

const encoder = new TextEncoder();
const EINVAL = -22;

/**
 * The `v8r_zephyr` imports of a program running on kernel `k`; `host` gives
 * the program's memory and reads its text (valid once it runs; the runner's
 * `WasiHost` fits).
 *
 * @example
 * ```ts
 * const run = program.start({ ...env, imports: (host) => zephyrProgramImports(k, host) });
 * ```
 */
export function zephyrProgramImports(k: Zephyr, host: ProgramMemory): { v8r_zephyr: Record<string, ProgramImport> } {
  const memory = (): WebAssembly.Memory => host.memory();
  const view = (): DataView => new DataView(memory().buffer);
  const text = (ptr: number, len: number): string => host.text(ptr, len);
  const ids = new WeakMap<KThread, number>();
  let nextId = 1;
  let snapshot: KThread[] = [];
  const loggers = new Map<string, Logger>();
  let loadSince = k.clock.now();

  /** Copy `s` into [ptr, ptr + cap) as a NUL-terminated string (cut to fit). */
  const putString = (s: string, ptr: number, cap: number): void => {
    if (cap <= 0) return;
    const bytes = encoder.encode(s).subarray(0, cap - 1);
    const mem = new Uint8Array(memory().buffer, ptr >>> 0, cap >>> 0);
    mem.set(bytes);
    mem[bytes.length] = 0;
  };

  return {
    v8r_zephyr: {
      uptime_ms: (): bigint => BigInt(k.k_uptime_get()),
      thread_count: (): number => {
        snapshot = [];
        k.k_thread_foreach((t) => {
          if (t.state !== "dead") snapshot.push(t);
        });
        return snapshot.length;
      },
      thread_info: (index: number, idPtr: number, name: number, nameCap: number, state: number, stateCap: number, cyclesPtr: number): number => {
        const t = snapshot[index];
        if (t === undefined) return EINVAL;
        let id = ids.get(t);
        if (id === undefined) ids.set(t, (id = nextId++));
        view().setUint32(idPtr >>> 0, id, true);
        putString(t.name, name, nameCap);
        putString(t.state, state, stateCap);
        view().setBigUint64(cyclesPtr >>> 0, BigInt(k.k_thread_runtime_stats_get(t).execution_cycles), true);
        return 0;
      },
      heap_stats: (freePtr: number, allocatedPtr: number, maxPtr: number): void => {
        const s = k.sys_heap_runtime_stats_get();
        const dv = view();
        dv.setUint32(freePtr >>> 0, s.free_bytes, true);
        dv.setUint32(allocatedPtr >>> 0, s.allocated_bytes, true);
        dv.setUint32(maxPtr >>> 0, s.max_allocated_bytes, true);
      },
      cpu_load: (reset: number): number => {
        const now = k.clock.now();
        const cpu = k.ctx.cpus[0];
        const load = cpu !== undefined && now > loadSince ? cpu.load(now - loadSince) : 0;
        if (reset !== 0) loadSince = now;
        return Math.round(Math.min(1, Math.max(0, load)) * 1000);
      },
      console: (ptr: number, len: number): void => k.printk("%s", text(ptr, len)),
      log: (level: number, module: number, moduleLen: number, msg: number, msgLen: number): void => {
        const name = text(module, moduleLen);
        let logger = loggers.get(name);
        if (logger === undefined) loggers.set(name, (logger = k.LOG_MODULE_REGISTER(name)));
        const message = text(msg, msgLen);
        const lvl = level as LogLevelValue;
        if (lvl === 1) logger.LOG_ERR("%s", message);
        else if (lvl === 2) logger.LOG_WRN("%s", message);
        else if (lvl === 3) logger.LOG_INF("%s", message);
        else if (lvl === 4) logger.LOG_DBG("%s", message);
      },
    },
  };
}
