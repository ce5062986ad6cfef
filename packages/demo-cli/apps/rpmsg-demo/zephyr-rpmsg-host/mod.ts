/**
 * rpmsg-host, the Zephyr half of the rpmsg-demo application, and its guest
 * image: a Zephyr that samples its running state every period and sends it
 * over RPMsg to the Linux domain (endpoint `rpmsg-demo`), and answers
 * commands on `rpmsg-ctrl`. Name it as the kernel of the Zephyr domain in a
 * dom0less configuration
 * (`v8r,image = "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host"`); bootargs
 * such as `period_ms=500 seed=7` tune it. It also takes `rpmsg-demo.ctrl`
 * control messages from the host.
 *
 * @example
 * ```ts
 * import { runRpmsgHost } from "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host";
 * const app = await runRpmsgHost(ctx, { periodMs: 500 });
 * app.stats(); // { tx, rt, ri, dr, q, up, seq, trimmed, threadsDropped }
 * ```
 * @module
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { runRpmsgHost } from "./rpmsg-host.ts";

export { makeBootId, seededRandom } from "./boot-id.ts";
export { DEFAULT_LINK_POLICY, type LinkPolicy, type RpmsgHostEvent, type ZephyrLinkEvent, type ZephyrSampleEvent } from "./host-link.ts";
export { RPMSG_HOST_VERSION, runRpmsgHost, type RpmsgHostApp, type RpmsgHostOptions, type RpmsgHostStats } from "./rpmsg-host.ts";

/** Guest entry point: boot Zephyr and run rpmsg-host on the domain. */
export async function start(ctx: DomainContext): Promise<void> {
  await runRpmsgHost(ctx);
}
