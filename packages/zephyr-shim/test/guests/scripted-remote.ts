/**
 * A guest image for the integration test: an RPMsg remote on the Linux
 * domain, built on this package's IPC service in remote role. It publishes
 * every rpmsg-demo sample and rpmsg-ctrl reply on the trace bus and sends
 * one ping after 2.5 s.
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { ipc_service_open_instance, ipc_service_register_endpoint, ipc_service_send } from "../../src/ipc/ipc-service.ts";
import { createRpmsgIpcInstance } from "../../src/ipc/rpmsg-static-vrings.ts";
import { bootZephyr } from "../../src/zephyr.ts";

/** Guest entry point. */
export async function start(ctx: DomainContext): Promise<void> {
  const k = bootZephyr(ctx, { appName: "scripted-remote" });
  const ipc = createRpmsgIpcInstance(k, { role: "remote" });
  await ipc_service_open_instance(ipc);
  const dec = new TextDecoder();
  ipc_service_register_endpoint(ipc, {
    name: "rpmsg-demo",
    cb: { received: (d) => ctx.publish({ type: "test.sample", bytes: d.length, sample: JSON.parse(dec.decode(d)) as unknown }) },
  });
  const ctrl = ipc_service_register_endpoint(ipc, {
    name: "rpmsg-ctrl",
    cb: { received: (d) => ctx.publish({ type: "test.reply", reply: JSON.parse(dec.decode(d)) as unknown }) },
  });
  ctx.clock.setTimeout(() => void ipc_service_send(ctrl, new TextEncoder().encode('{"id":1,"cmd":"ping"}')), 2500);
}
