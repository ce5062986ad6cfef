/**
 * rpmsg-remote, the Linux half of the rpmsg-demo application, and its
 * guest image. It receives Zephyr's status samples over OpenAMP RPMsg
 * (remote role, static vrings in the `rpmsg-shm` region, static event
 * channel 0xa as the doorbell), keeps a history and writes
 * `/usr/share/nginx/html/zephyr-status.html` and `.json` after each one.
 * Name it as the kernel of the Linux domain in a dom0less configuration:
 * `v8r,image = "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote"`.
 *
 * Bootargs: `autorun=0` (boot to the console; start with `rpmsg-demo`),
 * `evtchn=N` (doorbell port), `shm_id=ID`, `shm_phys=ADDR`,
 * `rootfs=/abs/host/dir` (Node and Deno: the root filesystem is that host
 * directory, so a web server on the host can serve the page; otherwise the
 * root filesystem lives in memory), `link_poll_ms=N`, `quiet`.
 *
 * The host can read a file of the root filesystem with a
 * `linux.read-file` control message (a browser page, which cannot see an
 * in-memory root filesystem, reads the status page this way) and send
 * Zephyr a command with a `rpmsg-demo.ctrl` control message.
 *
 * @example
 * ```ts
 * import { runRpmsgRemote } from "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote";
 * const app = await runRpmsgRemote(ctx);          // boots Linux; starts the service unless autorun=0
 * const reply = await (await app.startService()).ctrl.ping(); // { id: 1, ok: true, t: ... } once bound
 * ```
 * @module
 */
import { type RootFs, serveFileReads } from "@v8r/linux-shim";
import type { DomainContext } from "@v8r/xen-dom0less";
import { rpmsgRemoteConfig, runRpmsgRemote } from "./rpmsg-remote-app.ts";

export type { LinuxLinkEvent, LinuxMalformedEvent, LinuxSampleEvent, RpmsgRemoteEvent } from "./events.ts";
export { DEFAULT_CTRL_TIMEOUT_MS, RpmsgCtrlClient, type RpmsgCtrlClientOptions } from "./rpmsg-ctrl-client.ts";
export { LinkState, RpmsgDemoService, type LinkStateName, type RpmsgDemoCounters, type RpmsgDemoServiceOptions } from "./rpmsg-demo-service.ts";
export { RpmsgRemoteApp, rpmsgRemoteConfig, runRpmsgRemote, type RpmsgRemoteConfig, type RunRpmsgRemoteOptions } from "./rpmsg-remote-app.ts";
export {
  StatusHistory,
  type BootRecord,
  type HistoryCounters,
  type HistoryEntry,
  type SampleOutcome,
  type StatusHistoryOptions,
} from "./status-history.ts";
export { renderStatusJson, renderStatusPage, statusJson, type RenderStatusPageOptions, type StatusJson } from "./status-page.ts";
export { DEFAULT_STATUS_DIR, StatusPublisher, type StatusPublisherOptions } from "./status-publisher.ts";

/** Guest entry point: boot Linux and run rpmsg-remote on the domain. */
export async function start(ctx: DomainContext): Promise<void> {
  const config = rpmsgRemoteConfig(ctx.bootargs ?? "");
  let rootfs: RootFs | undefined;
  if (config.rootfsDir !== undefined) {
    // only loaded when asked for: it needs node:fs (Node, Deno)
    // (real work: a virtual clock waits for it)
    const { NodeRootFs } = await ctx.clock.hold(import("@v8r/linux-shim/node"));
    rootfs = new NodeRootFs(config.rootfsDir);
  }
  const app = await runRpmsgRemote(ctx, { config, ...(rootfs ? { rootfs } : {}) });
  serveFileReads(ctx, app.linux.rootfs);
}
