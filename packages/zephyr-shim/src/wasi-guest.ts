/**
 * The guest image that runs a WASI program (a C program built with v8r-cc)
 * as the application of a Zephyr domain: Zephyr boots (banner, kernel), then
 * the program runs as its main thread, with `@v8r/openamp-wasm`'s runner.
 * Its arguments are the bootargs, its stdout and stderr the console, its
 * clock the platform's; the machine port reaches the domain's static shared
 * memory and event channels (through Zephyr's Xen event API); the Zephyr C
 * API of `include/zephyr/*.h` is answered by this kernel. Zephyr has no
 * file system: the program has no preopened directory. Name a `.wasm` as
 * the domain's `v8r,image` (bootXen's `wasiRunner` maps it to this module).
 *
 * @module
 */
import { loadWasiProgram, type ProgramImports, type WasiHost } from "@v8r/openamp-wasm";
import { type DomainContext, programName, startDomainWasi, stopDomainWasi } from "@v8r/xen-dom0less";
import { zephyrProgramImports } from "./wasi-zephyr-api.ts";
import { bootZephyr } from "./zephyr.ts";

/**
 * Guest entry point: boot Zephyr and start the domain's program
 * (`ctx.program`); returns once it runs (a program that cannot run crashes
 * the domain with the reason).
 * @example
 * ```ts
 * // v8r,image = "ping.wasm" in a Zephyr domain, or: v8r-demo --app zephyr=ping.wasm
 * ```
 */
export async function start(ctx: DomainContext): Promise<void> {
  const k = bootZephyr(ctx, { appName: programName(ctx) });
  await startDomainWasi(
    ctx,
    "zephyr-shim",
    loadWasiProgram,
    // the Zephyr C API (include/zephyr/*.h) besides the platform channel
    (env) => ({ imports: (host: WasiHost): ProgramImports => ({ ...env.imports(host), ...zephyrProgramImports(k, host) }) }),
    // Zephyr's Xen event API owns the static ports: the program's events come through it
    { bind: (ring) => k.xen.ports().forEach((port) => k.bind_event_channel(port, ring, undefined)), notify: (port) => void k.notify_evtchn(port) },
  );
}

/** Called when the domain stops: the program ends at its next wait. */
export function stop(ctx: DomainContext): void {
  stopDomainWasi(ctx);
}
