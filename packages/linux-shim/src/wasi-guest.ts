/**
 * The guest image that runs a WASI program (a C program built with v8r-cc)
 * as the application of a Linux domain: Linux boots (boot log, root
 * filesystem, devices), then the program runs as its init process, with
 * `@v8r/openamp-wasm`'s runner: arguments from the bootargs, stdout and
 * stderr on the console, the platform clock, the machine port over the
 * domain's static shared memory and event channels, and the root filesystem
 * preopened as `/`, so `fopen("/usr/share/nginx/html/zephyr-status.html",
 * "w")` writes the file the web server serves and `rename` replaces it
 * atomically. `rootfs=/abs/host/dir` in the bootargs (Node, Deno) makes the
 * root filesystem that host directory, as for the demo's rpmsg-remote.
 *
 * @module
 */
import { loadWasiProgram } from "@v8r/openamp-wasm";
import { type DomainContext, parseBootargs, programName, startDomainWasi, stopDomainWasi } from "@v8r/xen-dom0less";
import { serveFileReads } from "./control-file-reader.ts";
import { bootLinux } from "./linux.ts";
import type { RootFs } from "./rootfs.ts";
import { type RootFsWasi, rootFsWasi } from "./_wasi-rootfs.ts";

/**
 * Guest entry point: boot Linux and start the domain's program
 * (`ctx.program`) as init; returns once it runs.
 * @example
 * ```ts
 * // v8r,image = "echo.wasm" in a Linux domain, or: v8r-demo --app linux=echo.wasm
 * ```
 */
export async function start(ctx: DomainContext): Promise<void> {
  const linux = await bootLinux(ctx, { shell: false, ...(await hostRootFs(ctx)) });
  linux.klog.log(`Run ${programName(ctx)} as init process`);
  const { clock } = ctx;
  const run = await startDomainWasi(ctx, "linux-shim", loadWasiProgram, (env) => {
    // a program whose waits block its thread would stall a write-back in the background: its calls wait for theirs
    const background = env.idle === undefined ? { background: <T>(work: Promise<T>) => clock.background(work) } : {};
    const files = rootFsWasi(linux.fs, { hold: (work) => clock.hold(work), ...background, log: (line) => linux.klog.log(line), shared: linux.rootfs });
    FILES.set(ctx, files);
    return { preopens: [files.preopen], wasi: files.wasi };
  });
  if (run === undefined) return;
  // an exit (clean or not) writes back what the program left in the page cache
  const atExit = (): void => void clock.background(FILES.get(ctx)?.release() ?? Promise.resolve());
  void run.exited.then(atExit, atExit);
  // the host reads the root filesystem's files through the control channel (the browser page's status page)
  serveFileReads(ctx, linux.rootfs);
}

/** Called when the domain stops: the program ends at its next wait; resolves once the page cache is written back. */
export async function stop(ctx: DomainContext): Promise<void> {
  stopDomainWasi(ctx);
  await FILES.get(ctx)?.release();
}

/** The root filesystem calls of each domain's program. */
const FILES = new WeakMap<DomainContext, RootFsWasi>();

/** `rootfs=/abs/dir` in the bootargs: that host directory is `/` (loaded only then: it needs node:fs). */
async function hostRootFs(ctx: DomainContext): Promise<{ rootfs?: RootFs }> {
  const dir = parseBootargs(ctx.bootargs).get("rootfs");
  if (dir === undefined || dir === "") return {};
  const { NodeRootFs } = await ctx.clock.hold(import("./rootfs-node.ts"));
  return { rootfs: new NodeRootFs(dir) };
}
