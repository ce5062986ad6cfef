/**
 * A guest image for integration tests: the scripted OpenAMP host as a
 * domain of its own. Sends a valid sample every `period_ms` (bootargs,
 * default 1000) with boot id `boot=` (random per start by default) once rpmsg-demo is bound, and answers
 * rpmsg-ctrl.
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { ScriptedHost } from "./_scripted-host.ts";

/** Guest entry point. */
export async function start(ctx: DomainContext): Promise<void> {
  const args = new Map(ctx.bootargs.split(/\s+/).filter(Boolean).map((w) => [w.split("=")[0] ?? "", w.split("=")[1] ?? ""] as const));
  const period = Number(args.get("period_ms") ?? 1000);
  const boot = args.get("boot") ?? Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("");
  const host = await ScriptedHost.create({ ctx });
  host.period = period;
  let seq = 0;
  ctx.console.write(`host-image: up, sampling every ${period} ms\n`);
  ctx.clock.setInterval(() => {
    host.uptime = ctx.clock.now();
    if (!host.bound.has("rpmsg-demo")) return;
    host.sendSample(seq++, boot);
  }, period);
}
