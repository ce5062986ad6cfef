/**
 * The rpmsg-host guest image: a Zephyr that samples its running state
 * every period and sends it over RPMsg to the Linux domain (endpoint
 * `rpmsg-demo`), and answers commands on `rpmsg-ctrl`. Name it as the
 * kernel of the Zephyr domain in a dom0less configuration
 * (`v8r,image = "@v8r/zephyr-shim/apps/rpmsg-host"`); bootargs such as
 * `period_ms=500 seed=7` tune it.
 *
 * @module
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { runRpmsgHost } from "../src/rpmsg-host/rpmsg-host.ts";

/** Guest entry point: boot Zephyr and run rpmsg-host on the domain. */
export async function start(ctx: DomainContext): Promise<void> {
  await runRpmsgHost(ctx);
}
