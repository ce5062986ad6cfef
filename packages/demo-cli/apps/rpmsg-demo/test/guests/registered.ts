/**
 * Test guest image: runs whatever main the test registered for this domain
 * of this system (see `../_demo-system.ts`), so a test boots the real apps
 * on the real hypervisor and still holds the app objects.
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { runRegistered } from "../_registry.ts";

/** Guest entry point. */
export async function start(ctx: DomainContext): Promise<void> {
  await runRegistered(ctx);
}
