/**
 * The rpmsg-remote guest image: a Linux that receives Zephyr's status
 * samples over OpenAMP RPMsg (remote role, static vrings in the `rpmsg-shm`
 * region, static event channel 0xa as the doorbell) and writes
 * `/usr/share/nginx/html/zephyr-status.html` and `.json` after each one.
 * Name it as the kernel of the Linux domain in a dom0less configuration:
 * `v8r,image = "@v8r/linux-shim/apps/rpmsg-remote"`.
 *
 * Bootargs: `autorun=0` (boot to the console; start with `rpmsg-demo`),
 * `evtchn=N` (doorbell port), `shm_id=ID`, `shm_phys=ADDR`,
 * `rootfs=/abs/host/dir` (Node and Deno: the root filesystem is that host
 * directory, so a web server on the host can serve the page; otherwise the
 * root filesystem lives in memory), `quiet`.
 *
 * The host can read a file of the root filesystem with a
 * `linux.read-file` control message (see `src/control-file-reader.ts`):
 * a browser page, which cannot see an in-memory root filesystem, reads the
 * status page this way.
 *
 * @module
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { serveFileReads } from "../src/control-file-reader.ts";
import { rpmsgRemoteConfig, runRpmsgRemote } from "../src/rpmsg-remote-app.ts";
import type { RootFs } from "../src/rootfs.ts";

/** Guest entry point: boot Linux and run rpmsg-remote on the domain. */
export async function start(ctx: DomainContext): Promise<void> {
  const config = rpmsgRemoteConfig(ctx.bootargs ?? "");
  let rootfs: RootFs | undefined;
  if (config.rootfsDir !== undefined) {
    // only loaded when asked for: it needs node:fs (Node, Deno)
    // (real work: a virtual clock waits for it)
    const { NodeRootFs } = await ctx.clock.hold(import("../src/rootfs-node.ts"));
    rootfs = new NodeRootFs(config.rootfsDir);
  }
  const app = await runRpmsgRemote(ctx, { config, ...(rootfs ? { rootfs } : {}) });
  serveFileReads(ctx, app.linux.rootfs);
}
