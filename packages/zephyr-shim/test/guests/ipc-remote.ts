/**
 * A guest image for the integration test: an RPMsg remote on the IPC
 * service that publishes every message received on `rpmsg-demo` on the
 * trace bus.
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { ipc_service_open_instance, ipc_service_register_endpoint } from "../../src/ipc/ipc-service.ts";
import { createRpmsgIpcInstance } from "../../src/ipc/rpmsg-static-vrings.ts";
import { bootZephyr } from "../../src/zephyr.ts";

/** What this guest publishes: a message it received on `rpmsg-demo`. */
export interface ReceivedEvent {
  readonly type: "test.received";
  readonly text: string;
}

/** Guest entry point. */
export async function start(ctx: DomainContext): Promise<void> {
  const k = bootZephyr(ctx, { appName: "ipc-remote" });
  const ipc = createRpmsgIpcInstance(k, { role: "remote" });
  await ipc_service_open_instance(ipc);
  const dec = new TextDecoder();
  ipc_service_register_endpoint(ipc, {
    name: "rpmsg-demo",
    cb: { received: (d) => ctx.publish<ReceivedEvent>({ type: "test.received", text: dec.decode(d.slice()) }) },
  });
}
